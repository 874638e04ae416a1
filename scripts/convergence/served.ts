// What a cluster serves before Argo CD syncs anything to it.
// - Kubernetes' own API groups: the groups of the `kubernetes-models` package (generated from the Kubernetes
//   OpenAPI; tests/convergence checks this list against the package's folders), plus the APIs aggregated by
//   Kubernetes itself. Version-specific serving is `pnpm validate`'s schema/api-not-served rule, not this one.
// - the cluster's declared baseline (inventory `baseline`: CRDs its provider pre-installs);
// - on the hub, what `pnpm bootstrap` installs before the root exists (Argo CD's and external-secrets' CRDs) and the
//   inventory's `argocd.hubBaseline`.
import type { Served } from './converge.ts';

export const KUBERNETES_GROUPS: readonly string[] = [
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
];

export const servedBy = (baselineGroups: readonly string[], crdKinds: readonly string[] = []): Served => ({
  groups: new Set([...KUBERNETES_GROUPS, ...baselineGroups]),
  kinds: new Set(crdKinds),
});
