// Helm values of the platform add-ons: what the stacks rely on from each (CRDs installed by the chart,
// metrics, client-address preservation). Chart coordinates and versions live in inventory/fleet.yaml.

/** Values per add-on name; an add-on without an entry is installed with its chart defaults. */
export const ADDON_VALUES: Readonly<Record<string, Record<string, unknown>>> = {
  'cert-manager': { crds: { enabled: true, keep: true }, prometheus: { enabled: true } },
  'external-secrets': { installCRDs: true },
  'ingress-nginx': {
    controller: {
      // Keep viewers' addresses for logs and rate limits; the RTMP origin has its own TCP load balancer.
      service: { externalTrafficPolicy: 'Local' },
      metrics: { enabled: true },
      allowSnippetAnnotations: false,
    },
  },
  keda: {},
  'metrics-server': {},
  // Only the operator and its CRDs: Prometheus, Alertmanager and Grafana are the monitoring stack's, in Git.
  'prometheus-operator': {
    crds: { enabled: true },
    prometheusOperator: { enabled: true },
    prometheus: { enabled: false },
    alertmanager: { enabled: false },
    grafana: { enabled: false },
    nodeExporter: { enabled: false },
    kubeStateMetrics: { enabled: false },
    defaultRules: { create: false },
  },
  'gpu-operator': { driver: { enabled: true }, toolkit: { enabled: true }, dcgmExporter: { enabled: true } },
  'istio-base': { defaultRevision: 'default' },
  istiod: { meshConfig: { accessLogFile: '/dev/stdout' } },
};
