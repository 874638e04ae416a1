// Prometheus, run by the Prometheus operator (installed by the platform add-ons): the monitoring stack's
// entry point. It discovers every ServiceMonitor, PodMonitor and PrometheusRule in the cluster.
import type { IPrometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import { capabilityAlertRules } from '../../monitoring/alert-rules.ts';
import { assertMonitored } from '../../monitoring/monitor-check.ts';
import { clusterMonitoringSettings, MONITORING_DEFAULTS } from '../../monitoring/settings.ts';
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import { podDisruptionBudget, restrictedPod, service, serviceAccount, toK8sResources } from '../builders.ts';
import { allowIngress, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { kedaNamespace, kedaReadsPrometheus } from '../services/keda-triggers.ts';
import { ALERTMANAGER } from './alertmanager.ts';

export const PROMETHEUS = 'prometheus';
const NAMESPACE = MONITORING_NAMESPACE;
export const PROMETHEUS_PORT = 9090;
const PORT = PROMETHEUS_PORT;
/** Retention default of the monitoring stack (clusters override it from the inventory settings). */
export const RETENTION = MONITORING_DEFAULTS.retention;
/** Node ports Prometheus scrapes outside pod networking: kubelet and node-exporter (host network). */
const KUBELET_PORT = 10250;
const NODE_EXPORTER_PORT = 9100;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
};

const clusterRole = (): IClusterRole & K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: `${NAMESPACE}-${PROMETHEUS}`, labels: appLabels(PROMETHEUS, 'monitoring') },
  rules: [
    { apiGroups: [''], resources: ['endpoints', 'nodes', 'nodes/metrics', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ],
});

const clusterRoleBinding = (): IClusterRoleBinding & K8sObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: `${NAMESPACE}-${PROMETHEUS}`, labels: appLabels(PROMETHEUS, 'monitoring') },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${NAMESPACE}-${PROMETHEUS}` },
  subjects: [{ kind: 'ServiceAccount', name: PROMETHEUS, namespace: NAMESPACE }],
});

type EmbeddedClaim = NonNullable<NonNullable<NonNullable<IPrometheus['spec']>['storage']>['volumeClaimTemplate']>;

const prometheus = (ctx: BaseContext): IPrometheus & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: { name: PROMETHEUS, namespace: NAMESPACE, labels: appLabels(PROMETHEUS, 'monitoring') },
  spec: {
    alerting: { alertmanagers: [{ name: ALERTMANAGER, namespace: NAMESPACE, port: 'web', apiVersion: 'v2' }] },
    // Tag and version are pinned per environment by the overlay.
    image: ctx.repository('prometheus'),
    // The operator labels the pods app.kubernetes.io/name=prometheus but not with the component label that the
    // PodDisruptionBudget and the NetworkPolicy select on; without these they would select no pod.
    podMetadata: { labels: selectorLabels(PROMETHEUS) },
    podMonitorNamespaceSelector: {},
    podMonitorSelector: {},
    resources: toK8sResources(defaults.resources),
    retention: RETENTION,
    ruleNamespaceSelector: {},
    ruleSelector: {},
    securityContext: restrictedPod(1000),
    serviceAccountName: PROMETHEUS,
    serviceMonitorNamespaceSelector: {},
    serviceMonitorSelector: {},
    storage: {
      // The model types this embedded claim as a full object with apiVersion/kind, which the CRD does not
      // require and the operator does not read; write only the spec.
      volumeClaimTemplate: {
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: MONITORING_DEFAULTS.storageSize } } },
      } as unknown as EmbeddedClaim,
    },
    walCompression: true,
  },
});

/**
 * kubelet volume stats (PVC fill, storage alerts): the operator maintains the kubelet Service in kube-system
 * (kube-prometheus-stack add-on); only `kubelet_volume_stats_*` series are kept to bound cardinality.
 */
const kubeletServiceMonitor = (): IServiceMonitor & K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'kubelet', namespace: NAMESPACE, labels: appLabels(PROMETHEUS, 'monitoring') },
  spec: {
    endpoints: [
      {
        port: 'https-metrics',
        scheme: 'https',
        honorLabels: true,
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        // The kubelet's serving certificate is usually self-signed per node.
        tlsConfig: { insecureSkipVerify: true },
        metricRelabelings: [{ action: 'keep', sourceLabels: ['__name__'], regex: 'kubelet_volume_stats_.*' }],
      },
    ],
    jobLabel: 'k8s-app',
    namespaceSelector: { matchNames: ['kube-system'] },
    selector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet' } },
  },
});

const base = (ctx: BaseContext): K8sObject[] => {
  // Every component's metrics port must have a monitor: fail the render naming the culprit.
  assertMonitored(ctx, [PROMETHEUS]);
  return baseObjects(ctx);
};

const baseObjects = (ctx: BaseContext): K8sObject[] => [
  kubeletServiceMonitor(),
  serviceAccount({ name: PROMETHEUS, namespace: NAMESPACE, stack: 'monitoring', app: PROMETHEUS }),
  clusterRole(),
  clusterRoleBinding(),
  prometheus(ctx),
  service({
    name: PROMETHEUS,
    namespace: NAMESPACE,
    stack: 'monitoring',
    app: PROMETHEUS,
    ports: [{ name: 'web', port: PORT, targetPort: 'web', protocol: 'TCP' }],
  }),
  podDisruptionBudget({ app: PROMETHEUS, namespace: NAMESPACE, stack: 'monitoring' }),
  allowIngress({
    app: PROMETHEUS,
    namespace: NAMESPACE,
    rules: [
      {
        from: [
          fromNamespace(INGRESS_NAMESPACE),
          fromNamespace(NAMESPACE),
          // KEDA's operator runs the queries of system services' `prometheus` triggers (services/keda-triggers.ts).
          ...(kedaReadsPrometheus(ctx.fleet) ? [fromNamespace(kedaNamespace(ctx.fleet))] : []),
        ],
        ports: [PORT],
      },
    ],
  }),
  // Prometheus scrapes every namespace and talks to the API server for discovery.
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${PROMETHEUS}-egress`, namespace: NAMESPACE },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': PROMETHEUS } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: {} }] },
        {
          ports: [
            { port: 443, protocol: 'TCP' },
            { port: 6443, protocol: 'TCP' },
            { port: KUBELET_PORT, protocol: 'TCP' },
            { port: NODE_EXPORTER_PORT, protocol: 'TCP' },
          ],
        },
      ],
    },
  },
];

/** Storage class, retention and volume size of the cluster, and its name on every alert it sends. */
const clusterPatches = (ctx: ClusterContext): JsonPatch[] => {
  const { retention, storageSize } = clusterMonitoringSettings(ctx.fleet, ctx.environment, ctx.cluster);
  return [
    {
      target: { kind: 'Prometheus', name: PROMETHEUS },
      ops: [
        { op: 'add', path: '/spec/storage/volumeClaimTemplate/spec/storageClassName', value: ctx.cluster.storageClass },
        // Alertmanager groups and inhibits by cluster; dashboards of a central Grafana could tell clusters apart.
        { op: 'add', path: '/spec/externalLabels', value: { cluster: ctx.cluster.name } },
        ...(retention !== RETENTION ? [{ op: 'replace' as const, path: '/spec/retention', value: retention }] : []),
        ...(storageSize !== MONITORING_DEFAULTS.storageSize
          ? [{ op: 'replace' as const, path: '/spec/storage/volumeClaimTemplate/spec/resources/requests/storage', value: storageSize }]
          : []),
      ],
    },
  ];
};

export const prometheusComponent: Component = {
  name: PROMETHEUS,
  stack: 'monitoring',
  description: 'Prometheus (operator-managed) scraping every ServiceMonitor and PodMonitor',
  requires: [],
  images: [{ image: 'prometheus', via: 'patch', imagePath: '/spec/image', versionPath: '/spec/version' }],
  workload: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    name: PROMETHEUS,
    resourcesPath: '/spec/resources',
    replicasVia: 'patch',
  },
  defaults,
  base,
  // The GPU exporter's alert rules, on `gpu` clusters only (the DCGM exporter runs only there).
  withCapability: { gpu: (ctx) => capabilityAlertRules(ctx, prometheusComponent, 'gpu') },
  clusterPatches: (ctx) => clusterPatches(ctx),
};
