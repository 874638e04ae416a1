// Helm values of the platform add-ons: what the stacks rely on from each (CRDs installed by the chart,
// metrics and ServiceMonitors, client-address preservation, Pod Security). Chart coordinates and versions
// live in inventory/fleet.yaml `addons:`; per-cluster values are list-generator fields (argocd-addons.ts).

/** The RTMP ingest port and the origin's Service (kept by the streaming stack) the ingress controller maps it to. */
export const RTMP_TCP_PORT = 1935;
const RTMP_SERVICE = { namespace: 'streaming', name: 'rtmp-origin-rtmp' } as const;

/** ingress-nginx `tcp:` backend of the RTMP port: `<namespace>/<service>:<port>`. */
export const rtmpTcpBackend = (): string => `${RTMP_SERVICE.namespace}/${RTMP_SERVICE.name}:${RTMP_TCP_PORT}`;

/** Name of the RuntimeClass the GPU operator creates; transcoding's GPU workers use it. */
export const NVIDIA_RUNTIME_CLASS = 'nvidia';

const serviceMonitorOn = { serviceMonitor: { enabled: true } } as const;

/** Values per add-on name; an add-on without an entry is installed with its chart defaults. */
export const ADDON_VALUES: Readonly<Record<string, Record<string, unknown>>> = {
  'cert-manager': {
    crds: { enabled: true, keep: true },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    // Webhook availability gates every Certificate apply; keep it through node drains.
    webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    replicaCount: 2,
  },
  'external-secrets': {
    installCRDs: true,
    ...serviceMonitorOn,
    webhook: { ...serviceMonitorOn },
    certController: { ...serviceMonitorOn },
  },
  'ingress-nginx': {
    controller: {
      replicaCount: 2,
      minAvailable: 1,
      // Keep viewers' addresses for logs and rate limits; per-cluster load-balancer annotations and the RTMP TCP
      // map come from platform/addon-cluster-values.ts.
      service: { externalTrafficPolicy: 'Local' },
      metrics: { enabled: true, ...serviceMonitorOn },
      allowSnippetAnnotations: false,
    },
  },
  keda: {
    // The metrics API server (external.metrics.k8s.io) is what HPAs of ScaledObjects query; scrape all three parts.
    prometheus: {
      metricServer: { enabled: true, ...serviceMonitorOn },
      operator: { enabled: true, ...serviceMonitorOn },
      webhooks: { enabled: true, ...serviceMonitorOn },
    },
  },
  'metrics-server': {
    replicas: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    metrics: { enabled: true },
    ...serviceMonitorOn,
  },
  // The operator, its CRDs and the two exporters the monitoring stack's rules need (kube_*, node_*). Prometheus,
  // Alertmanager and Grafana are the monitoring stack's, in Git. node-exporter needs the host's network and PID
  // namespaces: it is a chart-rendered add-on outside the stacks' Pod Security policy (the accepted exception).
  'prometheus-operator': {
    crds: { enabled: true },
    prometheusOperator: { enabled: true },
    prometheus: { enabled: false },
    alertmanager: { enabled: false },
    grafana: { enabled: false },
    nodeExporter: { enabled: true },
    kubeStateMetrics: { enabled: true },
    defaultRules: { create: false },
    // These create Services in kube-system (outside the project's destinations) and are not scraped by our rules.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    coreDns: { enabled: false },
  },
  'gpu-operator': {
    operator: { runtimeClass: NVIDIA_RUNTIME_CLASS },
    driver: { enabled: true },
    toolkit: { enabled: true },
    dcgmExporter: { enabled: true, ...serviceMonitorOn },
  },
  'istio-base': { defaultRevision: 'default' },
  // The CNI node agent sets up pod traffic redirection, so sidecars need no NET_ADMIN/NET_RAW init container and
  // the stacks' namespaces keep Pod Security restricted.
  'istio-cni': {},
  istiod: {
    pilot: { cni: { enabled: true } },
    meshConfig: { accessLogFile: '/dev/stdout' },
  },
  // Release name istio-ingressgateway: the chart labels its pods `istio: ingressgateway`, which Gateways select.
  // Per-cluster load-balancer annotations come from the cluster's flavour (platform/addon-cluster-values.ts).
  'istio-ingressgateway': {
    service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
    autoscaling: { enabled: true, minReplicas: 2 },
  },
};
