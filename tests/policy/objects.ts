// Clean objects for injection tests: each passes every rule in prod, so a test changes one thing and expects
// exactly that rule. `v-` names keep them apart from the generated objects.
import type { RenderedObject } from '../../scripts/policy/types.ts';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An allowed registry, and a repository no overlay's `images` entry rewrites. */
export const TEST_REPOSITORY = 'docker.io/nginxinc/v-test-app';
export const DIGEST_IMAGE = `${TEST_REPOSITORY}:1.0.0@sha256:${'a'.repeat(64)}`;

export const labels = (name: string): Record<string, string> => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': name });

export const deployment = (name: string, namespace: string, mutate: (d: Obj) => void = () => undefined): Obj => {
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: labels(name) },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          automountServiceAccountToken: false,
          // Ids above 10000 and a spread: the WARN rules pod-security/user-ids and availability/spread stay quiet.
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels(name) } }],
          containers: [
            {
              name: 'app',
              image: DIGEST_IMAGE,
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              livenessProbe: { tcpSocket: { port: 'http' } },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                seccompProfile: { type: 'RuntimeDefault' },
              },
            },
          ],
        },
      },
    },
  };
  mutate(d);
  return d;
};

export const pdb = (name: string, namespace: string): Obj => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace },
  spec: { maxUnavailable: 1, selector: { matchLabels: labels(name) } },
});

/** A prod-clean workload: Deployment + PDB, with one change. */
export const workload = (name: string, namespace: string, mutate: (d: Obj) => void = () => undefined): Obj[] => [deployment(name, namespace, mutate), pdb(name, namespace)];

/** The first container of a Deployment made by `deployment`. */
export const container = (d: Obj): Obj => d.spec.template.spec.containers[0];

export const service = (name: string, namespace: string, mutate: (s: Obj) => void = () => undefined): Obj => {
  const s: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: labels(name), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  mutate(s);
  return s;
};

export const ingress = (name: string, namespace: string, host: string, mutate: (i: Obj) => void = () => undefined): Obj => {
  const i: Obj = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'edge-cache', port: { name: 'http' } } } }] } }],
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
    },
  };
  mutate(i);
  return i;
};

/** A raw object as the policy runner hands it to a rule (the `doc`-th document of its file). */
export const rendered = (raw: Obj, doc = 1): RenderedObject => ({
  apiVersion: raw.apiVersion,
  kind: raw.kind,
  name: raw.metadata.name,
  namespace: raw.metadata.namespace,
  effectiveNamespace: raw.metadata.namespace,
  doc,
  raw,
});
