// Helm values of the platform add-ons: what the stacks rely on from each (CRDs installed by the chart,
// metrics and ServiceMonitors, client-address preservation, Pod Security). Chart coordinates and versions
// live in inventory/fleet.yaml `addons:`; per-cluster values come from platform/addon-cluster-values.ts.
// Every key was checked against the chart's values.yaml AND a template that reads it, at the tag named next to
// the pin in inventory/fleet.yaml; paths below are relative to that chart's directory at that tag.

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
    // CRDs as chart templates (templates/crd-*.yaml), kept by Helm on uninstall; `installCRDs` is the deprecated form.
    crds: { enabled: true, keep: true },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    // Webhook availability gates every Certificate apply; keep it through node drains.
    // minAvailable is written only when set (hasKey in templates/webhook-poddisruptionbudget.yaml, poddisruptionbudget.yaml).
    webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    replicaCount: 2,
  },
  'external-secrets': {
    installCRDs: true,
    // One switch for all three ServiceMonitors (controller, webhook, cert-controller: templates/servicemonitor.yaml);
    // the chart has no per-component serviceMonitor key. alwaysRender: the default (skipIfMissing) drops them
    // silently when the render does not see monitoring.coreos.com/v1/ServiceMonitor (templates/_helpers.tpl
    // "external-secrets.shouldRenderServiceMonitor"); the add-on waits for the operator's CRDs instead.
    serviceMonitor: { enabled: true, renderMode: 'alwaysRender' },
  },
  'ingress-nginx': {
    controller: {
      replicaCount: 2,
      // PodDisruptionBudget only while more than one replica runs (templates/controller-poddisruptionbudget.yaml).
      minAvailable: 1,
      // Keep viewers' addresses for logs and rate limits; per-cluster load-balancer annotations and the RTMP TCP
      // map come from platform/addon-cluster-values.ts.
      service: { externalTrafficPolicy: 'Local' },
      metrics: { enabled: true, ...serviceMonitorOn },
      // false writes no `allow-snippet-annotations` key (templates/controller-configmap.yaml): the controller's default.
      allowSnippetAnnotations: false,
    },
  },
  keda: {
    // The metrics API server (external.metrics.k8s.io) is what HPAs of ScaledObjects query; scrape all three parts.
    // templates/{metrics-server,manager,webhooks}/servicemonitor.yaml.
    prometheus: {
      metricServer: { enabled: true, ...serviceMonitorOn },
      operator: { enabled: true, ...serviceMonitorOn },
      webhooks: { enabled: true, ...serviceMonitorOn },
    },
  },
  'metrics-server': {
    replicas: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    // Lets the scraper reach /metrics (--authorization-always-allow-paths, templates/deployment.yaml); the
    // ServiceMonitor needs it too (templates/servicemonitor.yaml).
    metrics: { enabled: true },
    ...serviceMonitorOn,
  },
  // The operator, its CRDs and the two exporters the monitoring stack's rules need (kube_*, node_*). Prometheus,
  // Alertmanager and Grafana are the monitoring stack's, in Git. node-exporter needs the host's network and PID
  // namespaces: it is a chart-rendered add-on outside the stacks' Pod Security policy (the accepted exception).
  // crds/nodeExporter/kubeStateMetrics/grafana `enabled` are dependency conditions in Chart.yaml.
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
    // The monitoring stack scrapes the kubelet itself (prometheus.ts: volume stats only, to bound cardinality); the
    // chart's own kubelet ServiceMonitor would scrape the same endpoint again as a second job="kubelet" (duplicate
    // series) plus cAdvisor. The operator still maintains the kubelet Service (prometheusOperator.kubeletService,
    // independent of this switch). Checked: prometheus-community/helm-charts @ kube-prometheus-stack-88.5.3 :
    // charts/kube-prometheus-stack/templates/exporters/kubelet/servicemonitor.yaml (`if and .Values.kubelet.enabled …`).
    kubelet: { enabled: false },
  },
  // All four land in the ClusterPolicy the chart renders (templates/clusterpolicy.yaml); the operator then creates
  // the RuntimeClass, the operands and the DCGM exporter's ServiceMonitor.
  'gpu-operator': {
    operator: { runtimeClass: NVIDIA_RUNTIME_CLASS },
    driver: { enabled: true },
    toolkit: { enabled: true },
    dcgmExporter: { enabled: true, ...serviceMonitorOn },
  },
  // validationFailurePolicy Fail: rendered through Argo CD (`helm template`, never an upgrade) the validator would say
  // Ignore and istiod would flip it to Fail for good, a permanent diff (templates/defaultrevision-
  // validatingwebhookconfiguration.yaml; istiod chart values.yaml `base.validationFailurePolicy` explains the key).
  'istio-base': { defaultRevision: 'default', base: { validationFailurePolicy: 'Fail' } },
  // The CNI node agent sets up pod traffic redirection, so sidecars need no NET_ADMIN/NET_RAW init container and
  // the stacks' namespaces keep Pod Security restricted.
  'istio-cni': {},
  istiod: {
    // `pilot.` is the legacy prefix, copied onto the top level by templates/zzy_descope_legacy.yaml (the chart's own
    // key is `cni.enabled`); the injector reads it as pilot.cni.enabled (files/injection-template.yaml).
    pilot: { cni: { enabled: true } },
    // Merged into the mesh config (templates/configmap.yaml).
    meshConfig: { accessLogFile: '/dev/stdout' },
    // Same reason as istio-base: the chart's own validator (templates/validatingwebhookconfiguration.yaml).
    base: { validationFailurePolicy: 'Fail' },
  },
  // Release name istio-ingressgateway: the chart labels its pods `istio: ingressgateway`, which Gateways select.
  // Per-cluster load-balancer annotations come from the cluster's flavour (platform/addon-cluster-values.ts).
  // With autoscaling on, the chart renders no Deployment replicas (templates/deployment.yaml): the HPA owns them.
  'istio-ingressgateway': {
    service: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
    autoscaling: { enabled: true, minReplicas: 2 },
  },
};
