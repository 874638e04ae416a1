// Every rule `pnpm validate` reports, with its severity. The README's rule table is written from this list.
import type { Severity } from './types.ts';

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly summary: string;
}

const r = (id: string, severity: Severity, summary: string): RuleInfo => ({ id, severity, summary });

/** Rules of `pnpm validate`'s first-sync simulation (scripts/convergence), each tested in tests/convergence. */
const FIRST_SYNC: readonly RuleInfo[] = [
  r('argocd/template-patch', 'BLOCK', 'a templatePatch Argo CD cannot apply (strategic merge into a RawExtension, a wrong type, a field Application lacks): the ApplicationSet generates nothing'),
  r('argocd/template-patch-yaml11', 'BLOCK', 'a templatePatch value YAML 1.1 (what Argo CD reads) reads differently from YAML 1.2 (`yes`, `on`, `010`)'),
  r('argocd/template-error', 'BLOCK', 'a template element that does not render (missing key, bad function), or a construct not reproduced offline'),
  r('argocd/project-denies', 'BLOCK', 'an object an Application applies (chart hooks included) that its AppProject does not permit: the whole sync is refused'),
  r('argocd/skip-dry-run-ignored', 'BLOCK', 'an Application that needs SkipDryRunOnMissingResource in syncOptions on an Argo CD that ignores it (< 3.1)'),
  r('argocd/never-converges', 'BLOCK', 'an Application with a kind no Kubernetes API, declared baseline or Application on its cluster provides'),
  r('argocd/retry-exhausts', 'BLOCK', 'an Application that waits for another\'s CRDs with a finite retry: a new cluster may never converge'),
  r('argocd/deletion-cascades', 'BLOCK', 'deleting an ApplicationSet or the root would delete Applications (no finalizer, a deleting policy, policy override on, no Delete=false)'),
  r('argocd/root-wave-held', 'BLOCK', 'an object with a health check before the root\'s last wave: one cluster can stop every later wave'),
  r('argocd/leader-election', 'BLOCK', 'several ApplicationSet controller replicas without leader election'),
  r('argocd/feature-unsupported', 'BLOCK', 'a field, sync option or annotation the pinned Argo CD does not implement'),
  r('argocd/runtime-drift', 'BLOCK', 'a field a controller rewrites after apply that the Application neither pins nor ignores: OutOfSync for ever'),
  r('argocd/appset-retirement', 'BLOCK', 'an ApplicationSet the root would not delete when it leaves Git (it keeps owning its Applications)'),
  r('argocd/rolling-sync-prune', 'BLOCK', 'a RollingSync Application whose environment prunes but whose automated.prune is not true'),
  r('argocd/wave-order', 'BLOCK', 'an Application or ApplicationSet of the root not after its AppProject'),
  r('argocd/application-duplicate', 'BLOCK', 'two Applications with one namespace/name (from `pnpm apps`): Argo CD keeps one and the ApplicationSets fight over it'),
  r('argocd/application-name', 'BLOCK', 'a generated Application name that is not a DNS-1123 subdomain or exceeds 63 characters (from `pnpm apps`)'),
  r('argocd/unknown-project', 'BLOCK', 'an Application whose AppProject is not among the root\'s objects (from `pnpm apps`)'),
  r('argocd/destination', 'BLOCK', 'an Application destination with both or neither of name and server, or one its AppProject does not permit (from `pnpm apps`)'),
  r('argocd/source', 'BLOCK', 'an Application source repository its AppProject does not permit, or a path missing from this repository (from `pnpm apps`)'),
  r('argocd/objects-unknown', 'BLOCK', 'an Application whose objects cannot be known offline (a chart without a catalog entry at its version)'),
];

export const FIRST_SYNC_RULE_IDS: ReadonlySet<string> = new Set(FIRST_SYNC.map((x) => x.id));

export const RULES: readonly RuleInfo[] = [
  // Render: what Kustomize fails on, and what it silently accepts.
  r('kustomize/build-failed', 'BLOCK', 'the Application path does not build'),
  r('kustomize/duplicate-key', 'BLOCK', 'a key repeated in a kustomization (Kustomize keeps the last one silently)'),
  r('kustomize/patch-no-target', 'BLOCK', 'a patches entry whose target matches no object (Kustomize skips it silently)'),
  r('kustomize/image-no-target', 'BLOCK', 'an images entry that matches no container image (Kustomize skips it silently)'),
  r('kustomize/duplicate-id', 'BLOCK', 'the same object twice in one Application (e.g. under two apiVersions)'),
  r('argocd/shared-resource', 'BLOCK', 'the same object in two Applications on one cluster (they fight)'),
  // Schemas.
  r('schema/yaml', 'BLOCK', 'build output that is not valid YAML, or repeats a key; a repeated key in a resource file of a build that fails (file, line and key)'),
  r('schema/identity', 'BLOCK', 'an object without apiVersion, kind or metadata.name'),
  r('schema/no-schema', 'BLOCK', 'a kind no installed model package knows (never skipped)'),
  r('schema/invalid', 'BLOCK', 'the object fails its kind\'s schema (types, enums, required fields)'),
  r('schema/unknown-field', 'BLOCK', 'a field the kind does not have (the API server would drop it silently)'),
  r('schema/api-not-served', 'BLOCK', 'an apiVersion the pinned Kubernetes version does not serve'),
  // Pod Security "restricted".
  r('pod-security/privileged', 'BLOCK', 'privileged container'),
  r('pod-security/host-namespaces', 'BLOCK', 'hostNetwork, hostPID or hostIPC'),
  r('pod-security/host-path', 'BLOCK', 'hostPath volume'),
  r('pod-security/host-port', 'BLOCK', 'hostPort on a container port'),
  r('pod-security/privilege-escalation', 'BLOCK', 'allowPrivilegeEscalation not false'),
  r('pod-security/run-as-non-root', 'BLOCK', 'runAsNonRoot not true (pod or container), or runAsUser 0'),
  r('pod-security/capabilities', 'BLOCK', 'capabilities not dropping ALL, or adding any but NET_BIND_SERVICE'),
  r('pod-security/seccomp', 'BLOCK', 'seccompProfile not RuntimeDefault or Localhost'),
  r('pod-security/volume-types', 'BLOCK', 'a volume type outside the restricted set'),
  r('pod-security/read-only-root-fs', 'PROD', 'readOnlyRootFilesystem not true'),
  r('pod-security/sysctls', 'BLOCK', 'a sysctl outside the safe set Pod Security allows'),
  r('pod-security/selinux', 'BLOCK', 'an SELinux type outside container_t, container_init_t, container_kvm_t, container_engine_t, or a user or role set'),
  r('pod-security/apparmor', 'BLOCK', 'an AppArmor profile other than RuntimeDefault or Localhost (field or annotation), e.g. Unconfined'),
  r('pod-security/proc-mount', 'BLOCK', 'procMount other than Default'),
  r('pod-security/user-ids', 'WARN', 'runAsUser or runAsGroup below 10000'),
  r('pod-security/sa-token', 'WARN', 'a service account token mounted in pods whose ServiceAccount no binding of the Application grants anything'),
  // Images.
  r('images/tag', 'BLOCK', 'an image without an explicit tag, or tagged latest'),
  r('images/digest', 'PROD', 'an image not pinned by digest'),
  r('images/registry', 'BLOCK', 'an image from a registry the inventory does not allow'),
  // Resources.
  r('resources/requests', 'BLOCK', 'a container without cpu and memory requests'),
  r('resources/memory-limit', 'BLOCK', 'a container without a memory limit'),
  r('resources/gpu-limits', 'BLOCK', 'GPU requests different from GPU limits'),
  r('resources/cpu-limit', 'WARN', 'a CPU limit (throttled even when the node has idle CPU)'),
  r('workloads/duplicate-env', 'BLOCK', 'the same env name twice in one container'),
  r('workloads/probe-port', 'BLOCK', 'a probe naming a port the container does not declare (the kubelet cannot resolve it: never ready)'),
  r('workloads/mount-no-volume', 'BLOCK', 'a volumeMount of a volume the pod does not have (the API refuses its pods)'),
  // Probes.
  r('probes/readiness', 'BLOCK', 'a Service-backed container without a readiness probe'),
  r('probes/liveness', 'PROD', 'a long-running container without a liveness probe'),
  r('probes/liveness-equals-readiness', 'WARN', 'liveness probe identical to the readiness probe'),
  // Availability.
  r('availability/replicas', 'PROD', 'fewer than 2 replicas (fixed, or the HPA minimum)'),
  r('availability/pdb', 'PROD', 'no PodDisruptionBudget selecting the workload\'s pods'),
  r('availability/headless-service', 'BLOCK', 'a StatefulSet whose serviceName is not a headless Service'),
  r('availability/hpa-replicas', 'BLOCK', 'a workload with a fixed replicas that an autoscaler also targets'),
  r('availability/spread', 'WARN', 'a workload that may run several replicas without topologySpreadConstraints or pod anti-affinity'),
  // Network.
  r('network/default-deny', 'BLOCK', 'a namespace with pods but no default-deny NetworkPolicy (ingress and egress)'),
  r('network/pod-not-selected', 'BLOCK', 'a pod the namespace\'s default-deny policy does not select'),
  r('network/node-port', 'BLOCK', 'a NodePort Service or an explicit nodePort'),
  r('network/external-ips', 'BLOCK', 'a Service with externalIPs'),
  r('network/ingress-tls', 'BLOCK', 'an Ingress without TLS'),
  r('network/ingress-tls-host', 'BLOCK', 'an Ingress host without a TLS entry for it'),
  r('network/ingress-class', 'BLOCK', 'an Ingress without ingressClassName'),
  r('network/ingress-duplicate', 'BLOCK', 'the same host and path in two Ingresses of the fleet'),
  r('network/ingress-wildcard-host', 'BLOCK', 'an Ingress host (rule or TLS) starting with `*`'),
  r('network/ingress-snippet', 'BLOCK', 'an `nginx.ingress.kubernetes.io/*-snippet` annotation (raw nginx configuration in the shared controller)'),
  r('network/ingress-backend', 'BLOCK', 'an Ingress backend Service (name, port name or number) that is not in the same Application and namespace'),
  r('network/service-no-pods', 'BLOCK', 'a Service whose selector selects no pod template in its namespace on the cluster'),
  r('network/policy-no-pods', 'BLOCK', 'a NetworkPolicy whose non-empty podSelector selects no pod template in its namespace on the cluster'),
  // Workload selectors.
  r('workloads/selector-template', 'BLOCK', 'a Deployment, StatefulSet, DaemonSet, ReplicaSet or Job whose selector does not select its pod template (the API refuses it)'),
  r('workloads/selector-changed', 'BLOCK', 'a workload selector that differs from the previous committed render (immutable: the sync fails)'),
  // Secrets.
  r('secrets/secret-object', 'BLOCK', 'a Secret in Git (use ExternalSecret or SealedSecret)'),
  r('secrets/literal', 'BLOCK', 'a secret-looking literal in a container env or a ConfigMap'),
  r('secrets/eso-merge-delete', 'BLOCK', 'an ExternalSecret with deletionPolicy Delete on a Secret it does not own (creationPolicy Merge, None, CreateOrMerge)'),
  r('secrets/sealed-cluster-wide', 'BLOCK', 'a cluster-wide SealedSecret'),
  r('secrets/env', 'WARN', 'a Secret read through env or envFrom instead of a volume'),
  // RBAC.
  r('rbac/wildcard', 'BLOCK', '`*` in the apiGroups, resources or verbs of a Role or ClusterRole rule'),
  r('rbac/cluster-admin', 'BLOCK', 'a RoleBinding or ClusterRoleBinding to the cluster-admin ClusterRole'),
  r('rbac/pods-exec', 'BLOCK', 'create on pods/exec or pods/attach (own rules, aggregated, or a built-in admin/edit binding)'),
  r('rbac/secrets-read', 'BLOCK', 'list or watch on every Secret, or get on every Secret cluster-wide (a ClusterRole bound by a ClusterRoleBinding)'),
  // Namespaces and Argo CD.
  r('namespaces/default', 'BLOCK', 'an object in the default namespace'),
  r('argocd/project-wildcard', 'BLOCK', 'an AppProject with `*` in sources, destinations or kinds'),
  r('argocd/default-project', 'BLOCK', 'an Application or ApplicationSet in the default project'),
  r('argocd/templated-project', 'BLOCK', 'an ApplicationSet whose template project is templated'),
  r('argocd/missingkey', 'BLOCK', 'an ApplicationSet without goTemplate and missingkey=error'),
  r('argocd/allow-empty', 'BLOCK', 'automated sync with allowEmpty: true'),
  r('argocd/preserve-resources', 'BLOCK', 'an ApplicationSet without syncPolicy.preserveResourcesOnDeletion: true'),
  r('argocd/namespace-protection', 'BLOCK', 'a Namespace or PVC without Delete=false|confirm and Prune=false|confirm, or a StatefulSet whose claim retention is Delete'),
  r('argocd/appset-empty-list', 'BLOCK', 'an ApplicationSet list generator with no elements'),
  r('argocd/appset-external-generator', 'BLOCK', 'an ApplicationSet generator that reads outside this repository (scmProvider, pullRequest, clusterDecisionResource, plugin, git of another repository)'),
  r('argocd/applications-sync', 'BLOCK', 'an ApplicationSet whose applicationsSync is not create-update or create-only (from `pnpm apps`)'),
  r('argocd/rolling-sync', 'BLOCK', 'a RollingSync step operator Argo CD ignores, or an Application no step selects (from `pnpm apps`)'),
  r('argocd/sync-wave', 'BLOCK', 'an Application or ApplicationSet sync-wave that is not an integer (from `pnpm apps`)'),
  // First sync: what Argo CD does with the tree from an empty hub and empty clusters (see "First-sync simulation").
  ...FIRST_SYNC,
  // Domain.
  r('domain/gpu-cluster', 'BLOCK', 'a GPU workload on a cluster without the gpu capability'),
  r('domain/keda-queue', 'BLOCK', 'a KEDA trigger queue that is not the queue its target workload consumes'),
  r('domain/edge-upstream', 'BLOCK', 'the edge cache upstream is not the origin Service (name, namespace, port), or, resolved per replica, not headless or not sent as Host'),
  r('domain/metrics-monitor', 'BLOCK', 'a metrics port no ServiceMonitor or PodMonitor scrapes'),
];

export const RULE_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((x) => [x.id, x]));
