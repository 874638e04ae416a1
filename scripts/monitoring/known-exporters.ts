// Metrics that no component of the fleet declares but that the platform provides: exporters installed by the
// platform add-ons or Prometheus itself. Rules and dashboards may query these without a component exposing them.
// Keep every entry explicit, with where it comes from, so a query against a metric nobody scrapes fails a check.

export interface KnownExporter {
  readonly name: string;
  /** Where the metrics come from and who scrapes them. */
  readonly source: string;
  /** Exact metric names. */
  readonly metrics?: readonly string[];
  /** Metric-name prefixes (whole families such as kube-state-metrics' `kube_`). */
  readonly prefixes?: readonly string[];
  /** Capability a cluster needs for the exporter to run there (GPU exporters run only on `gpu` clusters). */
  readonly requires?: 'gpu' | 'mesh';
}

export const KNOWN_EXPORTERS: readonly KnownExporter[] = [
  { name: 'prometheus', source: 'Prometheus itself: the synthetic `up` series of every scrape target', metrics: ['up'] },
  {
    name: 'kube-state-metrics',
    source: 'kube-prometheus-stack add-on (platform), kube-state-metrics enabled',
    prefixes: ['kube_'],
  },
  { name: 'node-exporter', source: 'kube-prometheus-stack add-on (platform), prometheus-node-exporter enabled', prefixes: ['node_'] },
  {
    name: 'kubelet',
    source: 'kubelet /metrics, scraped by the `kubelet` ServiceMonitor of the monitoring stack (prometheus component)',
    prefixes: ['kubelet_volume_stats_'],
  },
  {
    name: 'cert-manager',
    source: 'cert-manager add-on (platform), its ServiceMonitor enabled',
    metrics: ['certmanager_certificate_expiration_timestamp_seconds', 'certmanager_certificate_ready_status'],
  },
  // No Argo CD exporter: Argo CD runs on the hub, which is not a cluster of the fleet, so no fleet Prometheus scrapes
  // `argocd_app_info`; alerts on it would ship everywhere and fire nowhere (Argo CD notifications cover the hub).
  {
    name: 'ingress-nginx',
    source: 'ingress-nginx add-on (platform), controller metrics + ServiceMonitor enabled',
    metrics: ['nginx_ingress_controller_requests'],
  },
  {
    name: 'dcgm-exporter',
    // Checked: NVIDIA/gpu-operator @ v26.7.0 : deployments/gpu-operator/values.yaml (dcgm-exporter 4.6.0-4.8.3,
    // serviceMonitor enabled), internal/state/dcgm_exporter.go (default collectors dcp-metrics-included.csv);
    // NVIDIA/dcgm-exporter @ 4.5.3-4.8.2 : etc/dcp-metrics-included.csv (these gauges; see DCGM_NODE_LABELS in rules.ts).
    source: 'NVIDIA GPU operator add-on (platform, `gpu` clusters only): DCGM exporter',
    metrics: [
      'DCGM_FI_DEV_GPU_TEMP',
      'DCGM_FI_DEV_MEMORY_TEMP',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_ENC_UTIL',
      'DCGM_FI_DEV_DEC_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_FB_FREE',
    ],
    requires: 'gpu',
  },
  {
    name: 'keda',
    // Checked: kedacore/keda @ v2.20.2 : pkg/metricscollector/prommetrics.go; scraped through the chart's operator
    // ServiceMonitor (kedacore/charts @ v2.20.2 : keda/templates/manager/servicemonitor.yaml), which the platform's
    // KEDA values enable (scripts/components/addon-values.ts).
    source: 'KEDA add-on (platform): the operator\'s scaler metrics, e.g. the queue length a ScaledObject reads',
    metrics: ['keda_scaler_metrics_value'],
  },
];

/** Whether `metric` is provided by one of `exporters`. */
export const isKnownExporterMetric = (metric: string, exporters: readonly KnownExporter[] = KNOWN_EXPORTERS): boolean =>
  exporters.some((e) => (e.metrics ?? []).includes(metric) || (e.prefixes ?? []).some((p) => metric.startsWith(p)));
