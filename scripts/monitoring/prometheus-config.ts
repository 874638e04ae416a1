// The Prometheus configuration the operator generates for a cluster's Prometheus from its ServiceMonitors and
// PodMonitors, written the way the operator writes it: same job names, service discovery, relabelling order and
// defaults. The scrape model (scrape-model.ts) runs these very relabel_configs over the discovered targets, so the
// labels the rules and dashboards are checked against come from one place; a test runs `promtool check config` on it.
//
// Checked: prometheus-operator/prometheus-operator @ v0.93.0 : pkg/prometheus/promcfg.go
//   (generateServiceMonitorConfig, generatePodMonitorConfig, initRelabelings, generateRunningFilter,
//   appendShardingRelabelingWithLabel, generateK8SSDConfig, getNamespacesFromNamespaceSelector, generateRelabelConfig,
//   AddHonorLabels, addSafeTLStoYaml, buildExternalLabels, generateAlertmanagerConfig, appendAlertingConfig,
//   appendRuleFiles, appendServiceMonitorConfigs/appendPodMonitorConfigs: monitors sorted by namespace/name).
//   The fleet pins kube-prometheus-stack 88.5.3, which ships operator v0.93.1 (chart catalog appVersion); the stored
//   snapshot of the operator stops at v0.93.0, a patch release earlier.
// Only the monitor fields the fleet uses are supported; any other field throws, so the model never silently
// diverges from what the operator would generate.
import type { K8sObject } from '../components/component.ts';

/** One relabel step, keys in the operator's order (source_labels, separator, target_label, regex, modulus, replacement, action). */
export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly target_label?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly replacement?: string;
  readonly action?: string;
}

export interface KubernetesSdConfig {
  readonly role: 'endpoints' | 'pod';
  readonly namespaces?: { readonly names: readonly string[] };
}

export interface ScrapeConfig {
  readonly job_name: string;
  readonly honor_labels: boolean;
  readonly honor_timestamps?: boolean;
  readonly kubernetes_sd_configs: readonly KubernetesSdConfig[];
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
  readonly metrics_path?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly scheme?: string;
  readonly tls_config?: Readonly<Record<string, unknown>>;
  readonly bearer_token_file?: string;
  readonly relabel_configs: readonly RelabelConfig[];
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** The monitor objects as the operator reads them (the CRD fields the fleet uses). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}
export interface NamespaceSelector {
  readonly any?: boolean;
  readonly matchNames?: readonly string[];
}
interface CrdRelabel {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly targetLabel?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly replacement?: string;
  readonly action?: string;
}
export interface MonitorEndpoint {
  readonly port?: string;
  readonly targetPort?: string | number;
  readonly portNumber?: number;
  readonly path?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly scheme?: string;
  readonly interval?: string;
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
  readonly honorTimestamps?: boolean;
  readonly bearerTokenFile?: string;
  readonly tlsConfig?: { readonly insecureSkipVerify?: boolean; readonly serverName?: string; readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  readonly filterRunning?: boolean;
  readonly relabelings?: readonly CrdRelabel[];
  readonly metricRelabelings?: readonly CrdRelabel[];
}
export interface Monitor {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly namespace: string;
  readonly name: string;
  readonly jobLabel?: string;
  readonly targetLabels: readonly string[];
  readonly podTargetLabels: readonly string[];
  readonly namespaceSelector: NamespaceSelector;
  readonly selector: LabelSelector;
  readonly endpoints: readonly MonitorEndpoint[];
}

const ENDPOINT_FIELDS = new Set([
  'port', 'targetPort', 'portNumber', 'path', 'params', 'scheme', 'interval', 'scrapeTimeout', 'honorLabels', 'honorTimestamps',
  'bearerTokenFile', 'tlsConfig', 'filterRunning', 'relabelings', 'metricRelabelings',
]);
const SPEC_FIELDS = new Set(['jobLabel', 'targetLabels', 'podTargetLabels', 'namespaceSelector', 'selector', 'endpoints', 'podMetricsEndpoints']);

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the loosely typed monitor objects */
/** The monitors among `objects`, read into the fields above; throws on a field the generator does not model. */
export const monitorsOf = (objects: readonly K8sObject[]): Monitor[] =>
  objects
    .filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')
    .map((o: any): Monitor => {
      const where = `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
      const spec = o.spec ?? {};
      for (const k of Object.keys(spec)) if (!SPEC_FIELDS.has(k)) throw new Error(`${where}: spec.${k} is not modelled by scripts/monitoring/prometheus-config.ts`);
      const endpoints: MonitorEndpoint[] = (o.kind === 'ServiceMonitor' ? spec.endpoints : spec.podMetricsEndpoints) ?? [];
      for (const ep of endpoints) {
        for (const k of Object.keys(ep)) if (!ENDPOINT_FIELDS.has(k)) throw new Error(`${where}: endpoint field ${k} is not modelled by scripts/monitoring/prometheus-config.ts`);
      }
      return {
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
        jobLabel: spec.jobLabel || undefined,
        targetLabels: spec.targetLabels ?? [],
        podTargetLabels: spec.podTargetLabels ?? [],
        namespaceSelector: spec.namespaceSelector ?? {},
        selector: spec.selector ?? {},
        endpoints,
      };
    })
    // appendServiceMonitorConfigs/appendPodMonitorConfigs walk the monitors sorted by "<namespace>/<name>".
    .sort((a, b) => (a.kind === b.kind ? `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`) : a.kind === 'ServiceMonitor' ? -1 : 1));
/* eslint-enable @typescript-eslint/no-explicit-any */

/** sanitizeLabelName: every character outside [a-zA-Z0-9_] becomes `_`. */
export const sanitizeLabelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

const sortedKeys = (o: Readonly<Record<string, string>> | undefined): string[] => Object.keys(o ?? {}).sort();

/** The `__meta_kubernetes_<object>_label…` keep/drop steps for a label selector (SelectorMechanism "Relabel", the default). */
const selectorRelabelings = (selector: LabelSelector, object: 'service' | 'pod'): RelabelConfig[] => {
  const label = (k: string): string => `__meta_kubernetes_${object}_label_${sanitizeLabelName(k)}`;
  const present = (k: string): string => `__meta_kubernetes_${object}_labelpresent_${sanitizeLabelName(k)}`;
  const out: RelabelConfig[] = sortedKeys(selector.matchLabels).map((k) => ({
    action: 'keep',
    source_labels: [label(k), present(k)],
    regex: `(${selector.matchLabels![k]});true`,
  }));
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join('|');
    if (e.operator === 'In') out.push({ action: 'keep', source_labels: [label(e.key), present(e.key)], regex: `(${values});true` });
    if (e.operator === 'NotIn') out.push({ action: 'drop', source_labels: [label(e.key), present(e.key)], regex: `(${values});true` });
    if (e.operator === 'Exists') out.push({ action: 'keep', source_labels: [present(e.key)], regex: 'true' });
    if (e.operator === 'DoesNotExist') out.push({ action: 'drop', source_labels: [present(e.key)], regex: 'true' });
  }
  return out;
};

const crdRelabelings = (rcs: readonly CrdRelabel[] | undefined): RelabelConfig[] =>
  (rcs ?? []).map((c) => ({
    ...(c.sourceLabels?.length ? { source_labels: c.sourceLabels } : {}),
    ...(c.separator !== undefined ? { separator: c.separator } : {}),
    ...(c.targetLabel ? { target_label: c.targetLabel } : {}),
    ...(c.regex ? { regex: c.regex } : {}),
    ...(c.modulus ? { modulus: c.modulus } : {}),
    ...(c.replacement !== undefined ? { replacement: c.replacement } : {}),
    ...(c.action ? { action: c.action.toLowerCase() } : {}),
  }));

/** Environment variables the config reloader substitutes in the generated file. */
export const SHARD_ENV = '$(SHARD)';
/** Single shard (the Prometheus CR sets no `shards`): every target hashes to shard 0 and is kept. */
const shardingRelabelings = (): RelabelConfig[] => [
  { source_labels: ['__address__', '__tmp_hash'], target_label: '__tmp_hash', regex: '(.+);', replacement: '$1', action: 'replace' },
  { source_labels: ['__tmp_hash'], target_label: '__tmp_hash', modulus: 1, action: 'hashmod' },
  { source_labels: ['__tmp_hash', '__tmp_disable_sharding'], regex: `${SHARD_ENV};|.+;.+`, action: 'keep' },
];

const runningFilter: RelabelConfig = { action: 'drop', source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)' };

const sdConfig = (m: Monitor, role: KubernetesSdConfig['role']): KubernetesSdConfig[] => {
  const names = m.namespaceSelector.any ? [] : m.namespaceSelector.matchNames?.length ? m.namespaceSelector.matchNames : [m.namespace];
  return [{ role, ...(names.length > 0 ? { namespaces: { names } } : {}) }];
};

/** Fields between the SD config and the relabellings, in the operator's order. */
const httpFields = (ep: MonitorEndpoint): Partial<ScrapeConfig> => {
  const tls = ep.tlsConfig;
  return {
    ...(ep.interval ? { scrape_interval: ep.interval } : {}),
    ...(ep.scrapeTimeout ? { scrape_timeout: ep.scrapeTimeout } : {}),
    ...(ep.path ? { metrics_path: ep.path } : {}),
    ...(ep.params ? { params: ep.params } : {}),
    ...(ep.scheme ? { scheme: ep.scheme } : {}),
    ...(tls
      ? {
          tls_config: {
            ...(tls.insecureSkipVerify !== undefined ? { insecure_skip_verify: tls.insecureSkipVerify } : {}),
            ...(tls.serverName ? { server_name: tls.serverName } : {}),
            ...(tls.caFile ? { ca_file: tls.caFile } : {}),
            ...(tls.certFile ? { cert_file: tls.certFile } : {}),
            ...(tls.keyFile ? { key_file: tls.keyFile } : {}),
          },
        }
      : {}),
    ...(ep.bearerTokenFile ? { bearer_token_file: ep.bearerTokenFile } : {}),
  };
};

const labelCopy = (from: string, to: string): RelabelConfig => ({ source_labels: [from], target_label: sanitizeLabelName(to), regex: '(.+)', replacement: '${1}' });

const serviceMonitorConfig = (m: Monitor, ep: MonitorEndpoint, i: number): ScrapeConfig => {
  const relabelings: RelabelConfig[] = [{ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' }, ...selectorRelabelings(m.selector, 'service')];
  if (ep.port) relabelings.push({ action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: ep.port });
  else if (typeof ep.targetPort === 'string' && ep.targetPort !== '') {
    relabelings.push({ action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: ep.targetPort });
  } else if (typeof ep.targetPort === 'number' && ep.targetPort !== 0) {
    relabelings.push({ action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(ep.targetPort) });
  }
  const target = ['__meta_kubernetes_endpoint_address_target_kind', '__meta_kubernetes_endpoint_address_target_name'];
  relabelings.push(
    { source_labels: target, separator: ';', regex: 'Node;(.*)', replacement: '${1}', target_label: 'node' },
    { source_labels: target, separator: ';', regex: 'Pod;(.*)', replacement: '${1}', target_label: 'pod' },
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
  );
  if (ep.filterRunning ?? true) relabelings.push(runningFilter);
  for (const l of m.targetLabels) relabelings.push(labelCopy(`__meta_kubernetes_service_label_${sanitizeLabelName(l)}`, l));
  for (const l of m.podTargetLabels) relabelings.push(labelCopy(`__meta_kubernetes_pod_label_${sanitizeLabelName(l)}`, l));
  // Job from the Service name; jobLabel (when the Service carries it) overrides.
  relabelings.push({ source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' });
  if (m.jobLabel) relabelings.push(labelCopy(`__meta_kubernetes_service_label_${sanitizeLabelName(m.jobLabel)}`, 'job'));
  if (ep.port) relabelings.push({ target_label: 'endpoint', replacement: ep.port });
  else if (ep.targetPort !== undefined && String(ep.targetPort) !== '') relabelings.push({ target_label: 'endpoint', replacement: String(ep.targetPort) });
  relabelings.push(...crdRelabelings(ep.relabelings), ...shardingRelabelings());
  const metric = crdRelabelings(ep.metricRelabelings);
  return {
    job_name: `serviceMonitor/${m.namespace}/${m.name}/${i}`,
    honor_labels: ep.honorLabels ?? false,
    ...(ep.honorTimestamps !== undefined ? { honor_timestamps: ep.honorTimestamps } : {}),
    kubernetes_sd_configs: sdConfig(m, 'endpoints'),
    ...httpFields(ep),
    relabel_configs: relabelings,
    ...(metric.length > 0 ? { metric_relabel_configs: metric } : {}),
  };
};

const podMonitorConfig = (m: Monitor, ep: MonitorEndpoint, i: number): ScrapeConfig => {
  const relabelings: RelabelConfig[] = [{ source_labels: ['job'], target_label: '__tmp_prometheus_job_name' }];
  if (ep.filterRunning ?? true) relabelings.push(runningFilter);
  relabelings.push(...selectorRelabelings(m.selector, 'pod'));
  // port, then portNumber, then the deprecated targetPort.
  const byName = (name: string): RelabelConfig => ({ action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: name });
  const byNumber = (n: number): RelabelConfig => ({ action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(n) });
  if (ep.port) relabelings.push(byName(ep.port));
  else if (ep.portNumber) relabelings.push(byNumber(ep.portNumber));
  else if (typeof ep.targetPort === 'string' && ep.targetPort !== '') relabelings.push(byName(ep.targetPort));
  else if (typeof ep.targetPort === 'number' && ep.targetPort !== 0) relabelings.push(byNumber(ep.targetPort));
  relabelings.push(
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  );
  for (const l of m.podTargetLabels) relabelings.push(labelCopy(`__meta_kubernetes_pod_label_${sanitizeLabelName(l)}`, l));
  // Job `<namespace>/<podmonitor>`; jobLabel (when the pod carries it) overrides.
  relabelings.push({ target_label: 'job', replacement: `${m.namespace}/${m.name}` });
  if (m.jobLabel) relabelings.push(labelCopy(`__meta_kubernetes_pod_label_${sanitizeLabelName(m.jobLabel)}`, 'job'));
  if (ep.port) relabelings.push({ target_label: 'endpoint', replacement: ep.port });
  else if (ep.targetPort !== undefined && String(ep.targetPort) !== '') relabelings.push({ target_label: 'endpoint', replacement: String(ep.targetPort) });
  relabelings.push(...crdRelabelings(ep.relabelings), ...shardingRelabelings());
  const metric = crdRelabelings(ep.metricRelabelings);
  return {
    job_name: `podMonitor/${m.namespace}/${m.name}/${i}`,
    honor_labels: ep.honorLabels ?? false,
    ...(ep.honorTimestamps !== undefined ? { honor_timestamps: ep.honorTimestamps } : {}),
    kubernetes_sd_configs: sdConfig(m, 'pod'),
    ...httpFields(ep),
    relabel_configs: relabelings,
    ...(metric.length > 0 ? { metric_relabel_configs: metric } : {}),
  };
};

/** One scrape config per monitor endpoint, ServiceMonitors first, as GenerateServerConfiguration orders them. */
export const scrapeConfigs = (monitors: readonly Monitor[]): Array<{ readonly monitor: Monitor; readonly endpoint: number; readonly config: ScrapeConfig }> =>
  monitors.flatMap((m) =>
    m.endpoints.map((ep, i) => ({ monitor: m, endpoint: i, config: m.kind === 'ServiceMonitor' ? serviceMonitorConfig(m, ep, i) : podMonitorConfig(m, ep, i) })),
  );

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the Prometheus custom resource */
/**
 * The whole configuration file for the cluster's Prometheus custom resource and the monitors it selects (the fleet's
 * Prometheus selects every monitor and rule of every namespace). `add-on monitors` (the kube-prometheus-stack
 * chart's own ServiceMonitors) are not in `objects` and so not here.
 */
export const prometheusConfig = (objects: readonly K8sObject[], externalLabels: Readonly<Record<string, string>> = {}): Record<string, unknown> => {
  const prom: any = objects.find((o) => o.kind === 'Prometheus');
  if (prom === undefined) throw new Error('no Prometheus custom resource among the objects');
  const spec = prom.spec ?? {};
  const ns: string = prom.metadata.namespace;
  const name: string = prom.metadata.name;
  // The CRD defaults scrapeInterval and evaluationInterval to 30s (prometheus_types.go +kubebuilder:default).
  const global = {
    scrape_interval: spec.scrapeInterval ?? '30s',
    ...(spec.scrapeTimeout ? { scrape_timeout: spec.scrapeTimeout } : {}),
    external_labels: Object.fromEntries(
      Object.entries({ prometheus: `${ns}/${name}`, prometheus_replica: '$(POD_NAME)', ...{ ...(spec.externalLabels ?? {}), ...externalLabels } }).sort(([a], [b]) => a.localeCompare(b)),
    ),
    evaluation_interval: spec.evaluationInterval ?? '30s',
  };
  const alertmanagers = (spec.alerting?.alertmanagers ?? []).map((am: any) => ({
    ...(am.scheme ? { scheme: am.scheme } : {}),
    ...(am.pathPrefix ? { path_prefix: am.pathPrefix } : {}),
    kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [am.namespace ?? ns] } }],
    ...(am.apiVersion && String(am.apiVersion).toUpperCase() === 'V2' ? { api_version: 'v2' } : {}),
    relabel_configs: [
      { action: 'keep', source_labels: ['__meta_kubernetes_service_name'], regex: am.name },
      typeof am.port === 'number'
        ? { action: 'keep', source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(am.port) }
        : { action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: am.port },
    ],
  }));
  return {
    global,
    // One entry per rule ConfigMap the operator writes, `<prefix>-rulefiles-<i>` mounted under /etc/prometheus/rules/
    // (pkg/operator/rules.go; prefix `prometheus-<name>`: pkg/prometheus/common.go PrefixedName; Prometheus accepts a
    // glob only in the last path element). The fleet's rules fit one ConfigMap.
    ...(spec.ruleSelector ? { rule_files: [`/etc/prometheus/rules/prometheus-${name}-rulefiles-0/*.yaml`] } : {}),
    scrape_configs: scrapeConfigs(monitorsOf(objects)).map((s) => s.config),
    ...(alertmanagers.length > 0
      ? { alerting: { alert_relabel_configs: [{ action: 'labeldrop', regex: 'prometheus_replica' }], alertmanagers } }
      : {}),
  };
};
/* eslint-enable @typescript-eslint/no-explicit-any */
