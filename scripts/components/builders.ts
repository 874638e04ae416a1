// Small typed builders for the objects every component needs. They encode the house defaults once:
// Pod Security "restricted" contexts, recommended labels, TLS Ingress via cert-manager.
import { createHash } from 'node:crypto';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Resources } from '../inventory/schema.ts';
import { appLabels, selectorLabels } from '../lib/labels.ts';
import type { K8sObject } from './component.ts';

/**
 * A pod-template annotation carrying a hash of the app's configuration: a config change changes the pod
 * template, so Kubernetes rolls the pods instead of leaving them on the old config.
 */
export const configChecksumAnnotation = (...configs: string[]): Record<string, string> => ({
  'streamfleet.io/config-checksum': createHash('sha256').update(configs.join('\0')).digest('hex').slice(0, 16),
});

/** The ingress class every public host uses; the ingress controller add-on installs it. */
export const INGRESS_CLASS = 'nginx';

/** Container securityContext satisfying Pod Security "restricted" plus a read-only root filesystem. */
export const restrictedContainer = (): ISecurityContext => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

export const restrictedPod = (uid: number): IPodSecurityContext => ({
  fsGroup: uid,
  runAsGroup: uid,
  runAsNonRoot: true,
  runAsUser: uid,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** Container resources from inventory settings plus extended resources (requests = limits for those). */
export const toK8sResources = (
  r: Resources,
  extended: Readonly<Record<string, string>> = {},
): NonNullable<IContainer['resources']> => {
  const requests = { ...r.requests, ...extended };
  const limits = { ...r.limits, ...extended };
  return {
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
};

export interface DeploymentSpec {
  readonly name: string;
  readonly namespace: string;
  readonly stack: string;
  readonly uid: number;
  readonly containers: IContainer[];
  /** Run to completion before the containers start (e.g. rendering a config file from a Secret). */
  readonly initContainers?: IContainer[];
  readonly volumes?: NonNullable<IPodSpec['volumes']>;
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds?: number;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: NonNullable<IPodSpec['tolerations']>;
  /** Extra pod annotations (e.g. a config checksum that rolls pods when the ConfigMap changes). */
  readonly podAnnotations?: Record<string, string>;
}

/**
 * Replicas spread across zones (best effort) and nodes: `ScheduleAnyway` for stateless apps, `DoNotSchedule` on
 * nodes for stateful members, where two on one node would lose quorum or data together.
 */
export const spreadAcrossZonesAndNodes = (
  app: string,
  acrossNodes: 'ScheduleAnyway' | 'DoNotSchedule',
): NonNullable<IPodSpec['topologySpreadConstraints']> => [
  { labelSelector: { matchLabels: selectorLabels(app) }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  { labelSelector: { matchLabels: selectorLabels(app) }, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: acrossNodes },
];

/**
 * A Deployment without `replicas`: the environment overlay sets a count, or an HPA owns it, so the base
 * never fights either. Spread across zones and nodes so one failure does not take every replica.
 */
export const deployment = (s: DeploymentSpec): IDeployment & K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.name, s.stack) },
  spec: {
    revisionHistoryLimit: 5,
    selector: { matchLabels: selectorLabels(s.name) },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: appLabels(s.name, s.stack), annotations: s.podAnnotations },
      spec: {
        automountServiceAccountToken: s.serviceAccountName ? undefined : false,
        containers: s.containers,
        enableServiceLinks: false,
        initContainers: s.initContainers,
        nodeSelector: s.nodeSelector,
        securityContext: restrictedPod(s.uid),
        serviceAccountName: s.serviceAccountName,
        terminationGracePeriodSeconds: s.terminationGracePeriodSeconds,
        tolerations: s.tolerations,
        topologySpreadConstraints: spreadAcrossZonesAndNodes(s.name, 'ScheduleAnyway'),
        volumes: s.volumes,
      },
    },
  },
});

export const service = (s: {
  name: string;
  namespace: string;
  stack: string;
  app: string;
  ports: IServicePort[];
  type?: 'ClusterIP' | 'LoadBalancer';
  externalTrafficPolicy?: 'Local' | 'Cluster';
}): IService & K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: {
    externalTrafficPolicy: s.externalTrafficPolicy,
    ports: s.ports,
    selector: selectorLabels(s.app),
    type: s.type ?? 'ClusterIP',
  },
});

/**
 * A headless Service: DNS answers with every pod's address instead of one virtual IP, so a client can reach each
 * replica itself (and Istio's sidecars forward to the address the client chose rather than balancing).
 * `publishNotReadyAddresses` keeps terminating and starting pods in DNS: a replica that drains still holds streams.
 */
export const headlessService = (s: {
  name: string;
  namespace: string;
  stack: string;
  app: string;
  ports: IServicePort[];
}): IService & K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  spec: {
    clusterIP: 'None',
    ports: s.ports,
    publishNotReadyAddresses: true,
    selector: selectorLabels(s.app),
    type: 'ClusterIP',
  },
});

export const configMap = (s: {
  name: string;
  namespace: string;
  stack: string;
  app: string;
  data: Record<string, string>;
}): IConfigMap & K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  data: s.data,
});

export const podDisruptionBudget = (s: {
  app: string;
  namespace: string;
  stack: string;
}): IPodDisruptionBudget & K8sObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: s.app, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  // maxUnavailable (not minAvailable) so a single-replica dev Deployment can still be drained.
  spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(s.app) } },
});

export const serviceAccount = (s: { name: string; namespace: string; stack: string; app: string }): IServiceAccount &
  K8sObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: s.name, namespace: s.namespace, labels: appLabels(s.app, s.stack) },
  automountServiceAccountToken: true,
});

/**
 * A TLS Ingress for one public host. cert-manager's ingress-shim issues the certificate named
 * `<name>-tls` from the environment's ClusterIssuer.
 */
export const tlsIngress = (s: {
  name: string;
  namespace: string;
  stack: string;
  app: string;
  host: string;
  clusterIssuer: string;
  serviceName: string;
  servicePort: string;
  annotations?: Record<string, string>;
}): IIngress & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: s.name,
    namespace: s.namespace,
    labels: appLabels(s.app, s.stack),
    annotations: { 'cert-manager.io/cluster-issuer': s.clusterIssuer, ...s.annotations },
  },
  spec: {
    ingressClassName: INGRESS_CLASS,
    rules: [
      {
        host: s.host,
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: s.serviceName, port: { name: s.servicePort } } },
            },
          ],
        },
      },
    ],
    tls: [{ hosts: [s.host], secretName: `${s.name}-tls` }],
  },
});

/** Volumes every read-only-root container needs for scratch space. */
export const emptyDir = (name: string, sizeLimit: string): NonNullable<IPodSpec['volumes']>[number] => ({
  name,
  emptyDir: { sizeLimit },
});
