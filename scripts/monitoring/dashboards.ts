// Grafana dashboards as code, typed with @grafana/schema. Panels query only the metric contract
// (scripts/components/metrics.ts) and the known exporters; panels over backing services (queue, databases) are
// `optional`: rendered only when some component of the fleet declares their metrics, because the inventory may
// point the stack at managed services that this fleet does not scrape.
import type { DataQuery, Dashboard, Panel } from '@grafana/schema';
import { EDGE_METRICS, HTTP_METRICS, ORIGIN_METRICS, TRANSCODE_METRICS } from '../components/metrics.ts';
import { EDGE_KIND_LABEL, hlsKindMatcher, servedFromCacheMatcher } from './edge-traffic.ts';
import { parsePromQL } from './promql.ts';
import { RECORDED } from './recording-rules.ts';
import { BACKING_SERVICE_METRICS as B, DCGM_NODE_LABELS, KEDA_METRICS } from './rules.ts';

/** The Prometheus datasource uid provisioned by Grafana's datasource ConfigMap. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/**
 * A Prometheus panel target: Grafana's common DataQuery plus the Prometheus fields. A type literal (not an
 * interface) so it fits Panel's `targets: Record<string, unknown>[]`.
 */
type PromQuery = Pick<DataQuery, 'refId' | 'datasource'> & {
  readonly expr: string;
  readonly legendFormat?: string;
  readonly format?: 'heatmap';
};

interface PanelSpec {
  readonly title: string;
  readonly type: 'timeseries' | 'stat' | 'heatmap';
  readonly unit: string;
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend?: string }>;
  /** Render only when every queried metric is provided (backing services the fleet may not run). */
  readonly optional?: boolean;
  /** Repeat the panel once per value of this dashboard variable. */
  readonly repeat?: string;
}

/** A query variable: `label_values(<metric>, <label>)`, all values selected by default. */
interface VariableSpec {
  readonly name: string;
  readonly metric: string;
  readonly label: string;
}

export interface DashboardSpec {
  /** Stable uid and file name. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables?: readonly VariableSpec[];
  readonly panels: readonly PanelSpec[];
}

const ts = (title: string, unit: string, ...queries: PanelSpec['queries']): PanelSpec => ({ title, type: 'timeseries', unit, queries });
const stat = (title: string, unit: string, expr: string): PanelSpec => ({ title, type: 'stat', unit, queries: [{ expr }] });
/** A heatmap of a histogram's buckets (`le` series, Grafana's heatmap format). */
const heatmap = (title: string, unit: string, expr: string, repeat?: string): PanelSpec => ({
  title,
  type: 'heatmap',
  unit,
  queries: [{ expr, legend: '{{le}}' }],
  ...(repeat !== undefined ? { repeat } : {}),
});
const optional = (p: PanelSpec): PanelSpec => ({ ...p, optional: true });
const quantile = (record: string, q: string, by: string): string => `max by (${by}) (${record}{quantile="${q}"})`;

const H = HTTP_METRICS;
const O = ORIGIN_METRICS;
const E = EDGE_METRICS;
const T = TRANSCODE_METRICS;

export const DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'system-overview',
    title: 'System overview',
    description: 'Targets up, HTTP traffic, errors and latency of every service, restarts.',
    panels: [
      stat('Targets down', 'none', 'count(up == 0) or vector(0)'),
      ts('Targets up by job', 'none', { expr: 'sum by (job) (up)', legend: '{{job}}' }),
      ts('HTTP requests/s by job', 'reqps', { expr: `sum by (job) (rate(${H.requests}[5m]))`, legend: '{{job}}' }),
      ts('HTTP 5xx ratio by job', 'percentunit', {
        expr: `sum by (job) (rate(${H.requests}{code=~"5.."}[5m])) / sum by (job) (rate(${H.requests}[5m]))`,
        legend: '{{job}}',
      }),
      ts('HTTP p99 latency by job', 's', {
        expr: `histogram_quantile(0.99, sum by (job, le) (rate(${H.duration}_bucket[5m])))`,
        legend: '{{job}}',
      }),
      ts('Container restarts (15m)', 'none', {
        expr: 'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total[15m]))',
        legend: '{{namespace}}/{{pod}}',
      }),
      ts('Node CPU busy', 'percentunit', { expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', legend: '{{instance}}' }),
    ],
  },
  {
    uid: 'streaming',
    title: 'Streaming',
    description: 'RTMP publishers, viewers, bandwidth, edge cache hit ratio, viewer errors and latency at the CDN edge.',
    panels: [
      stat('Active publishers', 'none', `sum(${O.publishers})`),
      stat('Viewers', 'none', `sum(${O.subscribers})`),
      ts('Viewers by protocol', 'none', { expr: `sum by (protocol) (${O.subscribers})`, legend: '{{protocol}}' }),
      ts('Origin bandwidth', 'bps', { expr: `sum(rate(${O.receivedBytes}[5m])) * 8`, legend: 'ingest' }, { expr: `sum(rate(${O.sentBytes}[5m])) * 8`, legend: 'egress' }),
      ts('Edge bandwidth', 'bps', { expr: `sum(rate(${E.bytes}[5m])) * 8`, legend: 'edge egress' }),
      // What EdgeCacheHitRatioLow reads: HLS responses served from cache (HIT, STALE, UPDATING, REVALIDATED).
      ts('Edge cache hit ratio (HLS)', 'percentunit', {
        expr: `sum(rate(${E.responses}{${servedFromCacheMatcher()}, ${hlsKindMatcher()}}[5m])) / sum(rate(${E.responses}{${hlsKindMatcher()}}[5m]))`,
        legend: 'served from cache',
      }),
      ts('Edge upstream p95', 's', { expr: `histogram_quantile(0.95, sum by (le) (rate(${E.upstreamTime}_bucket[5m])))`, legend: 'p95' }),
      // Viewer traffic from the edge's exporter, not ingress-nginx: every viewer request passes the edge on every
      // cluster, mesh or not (see edge-traffic.ts).
      ts('Viewer responses by status and kind', 'reqps', {
        expr: `sum by (status, ${EDGE_KIND_LABEL}) (rate(${E.responses}[5m]))`,
        legend: `{{status}} {{${EDGE_KIND_LABEL}}}`,
      }),
      ts('Viewer p95 latency (HLS, edge)', 's', {
        expr: `histogram_quantile(0.95, sum by (${EDGE_KIND_LABEL}, le) (rate(${E.responseTime}_bucket{${hlsKindMatcher()}}[5m])))`,
        legend: `p95 {{${EDGE_KIND_LABEL}}}`,
      }),
    ],
  },
  {
    uid: 'transcoding',
    title: 'Transcoding jobs',
    description:
      'Job rates, success ratio, durations by resolution, queue time, encoding speed by worker type and resolution, VMAF, object storage, queue depth.',
    variables: [{ name: 'resolution', metric: `${T.jobDuration}_bucket`, label: 'resolution' }],
    panels: [
      ts('Jobs/s by device and status', 'ops', { expr: `sum by (device, status) (rate(${T.jobs}[5m]))`, legend: '{{device}} {{status}}' }),
      ts('Job success ratio by worker type (15m)', 'percentunit', { expr: `max by (device) (${RECORDED.jobSuccessRatio})`, legend: '{{device}}' }),
      ts(
        'Job duration p50/p95 by worker type and resolution',
        's',
        { expr: quantile(RECORDED.jobDurationQuantile, '0.5', 'device, resolution'), legend: 'p50 {{device}} {{resolution}}' },
        { expr: quantile(RECORDED.jobDurationQuantile, '0.95', 'device, resolution'), legend: 'p95 {{device}} {{resolution}}' },
      ),
      heatmap('Job duration, $resolution', 's', `sum by (le) (rate(${T.jobDuration}_bucket{resolution=~"$resolution"}[5m]))`, 'resolution'),
      ts(
        'Queue time p50/p95/p99 by worker type',
        's',
        ...(['0.5', '0.95', '0.99'] as const).map((q) => ({ expr: quantile(RECORDED.queueTimeQuantile, q, 'device'), legend: `p${Number(q) * 100} {{device}}` })),
      ),
      ts('Encoding speed (x real time) by worker type and resolution', 'none', { expr: `avg by (device, resolution) (${RECORDED.speed})`, legend: '{{device}} {{resolution}}' }),
      ts(
        'VMAF by resolution (median, worst 5%)',
        'none',
        { expr: `histogram_quantile(0.5, sum by (resolution, le) (rate(${T.vmaf}_bucket[30m])))`, legend: 'median {{resolution}}' },
        { expr: `histogram_quantile(0.05, sum by (resolution, le) (rate(${T.vmaf}_bucket[30m])))`, legend: 'p5 {{resolution}}' },
      ),
      ts('Jobs in progress', 'none', { expr: `sum by (device) (${T.inProgress})`, legend: '{{device}}' }),
      optional(ts('Queue depth (in-cluster RabbitMQ)', 'none', { expr: `max by (queue) (${B.rabbitmqQueueReady})`, legend: '{{queue}}' })),
      // Where KEDA scales the workers (managed brokers included): the queue as KEDA's RabbitMQ scaler reads it.
      ts('Queue depth seen by KEDA', 'none', {
        expr: `max by (scaledObject) (${KEDA_METRICS.scalerValue}{scaler="${KEDA_METRICS.rabbitmqScaler}", type="scaledobject"})`,
        legend: '{{scaledObject}}',
      }),
    ],
  },
  {
    uid: 'gpu',
    title: 'GPU',
    description: 'NVIDIA DCGM exporter: temperature, utilisation (SM, encoder, decoder), framebuffer memory (empty on clusters without GPUs).',
    panels: [
      ts(
        'GPU and memory temperature',
        'celsius',
        { expr: `max by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_GPU_TEMP)`, legend: 'gpu {{Hostname}}{{hostname}}/{{gpu}}' },
        { expr: `max by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_MEMORY_TEMP)`, legend: 'memory {{Hostname}}{{hostname}}/{{gpu}}' },
      ),
      ts('GPU utilisation', 'percent', { expr: `avg by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_GPU_UTIL)`, legend: '{{Hostname}}{{hostname}}/{{gpu}}' }),
      ts(
        'Encoder/decoder utilisation',
        'percent',
        { expr: `avg by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_ENC_UTIL)`, legend: 'enc {{Hostname}}{{hostname}}/{{gpu}}' },
        { expr: `avg by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_DEC_UTIL)`, legend: 'dec {{Hostname}}{{hostname}}/{{gpu}}' },
      ),
      ts(
        'GPU memory used / free',
        'decmbytes',
        { expr: `sum by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_FB_USED)`, legend: 'used {{Hostname}}{{hostname}}/{{gpu}}' },
        { expr: `sum by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_FB_FREE)`, legend: 'free {{Hostname}}{{hostname}}/{{gpu}}' },
      ),
    ],
  },
  {
    uid: 'storage-database',
    title: 'Storage and databases',
    description: 'Object storage operations and bandwidth (workers), volume usage, claims not bound, Postgres and Redis connections, Redis hit rate.',
    panels: [
      ts('Object storage operations/s', 'ops', { expr: `sum by (operation, status) (rate(${T.storageOperations}[5m]))`, legend: '{{operation}} {{status}}' }),
      ts('Object storage bandwidth', 'Bps', { expr: `sum by (direction) (rate(${T.storageBytes}[5m]))`, legend: '{{direction}}' }),
      ts('Volume used', 'percentunit', {
        expr: '1 - kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes',
        legend: '{{namespace}}/{{persistentvolumeclaim}}',
      }),
      ts('Claims not bound', 'none', { expr: 'sum by (namespace, phase) (kube_persistentvolumeclaim_status_phase{phase!="Bound"})', legend: '{{namespace}} {{phase}}' }),
      optional(ts('Postgres connections', 'none', { expr: `sum by (job) (${B.pgConnections})`, legend: 'open' }, { expr: `max by (job) (${B.pgMaxConnections})`, legend: 'max' })),
      optional(ts('Redis clients', 'none', { expr: `sum by (job) (${B.redisClients})`, legend: 'connected' }, { expr: `max by (job) (${B.redisMaxClients})`, legend: 'max' })),
      optional(
        ts('Redis cache hit rate', 'percentunit', {
          expr: `sum by (job) (rate(${B.redisHits}[5m])) / (sum by (job) (rate(${B.redisHits}[5m])) + sum by (job) (rate(${B.redisMisses}[5m])))`,
          legend: 'hit rate',
        }),
      ),
    ],
  },
];

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/** Every query expression of a spec's panels. */
export const panelQueries = (p: PanelSpec): string[] => p.queries.map((q) => q.expr);

/**
 * One typed dashboard with the panels whose every series `provided` accepts: a cluster's dashboards keep only panels
 * with data there (`optional` marks the panels over backing services that some clusters take from managed services).
 */
export const renderDashboard = (spec: DashboardSpec, provided: (metric: string) => boolean): Dashboard => {
  const kept = spec.panels.filter((p) => panelQueries(p).every((e) => parsePromQL(e).metrics.every(provided)));
  const panels: Panel[] = kept.map((p, i) => ({
    id: i + 1,
    title: p.title,
    type: p.type,
    datasource: { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID },
    gridPos: { x: (i % 2) * PANEL_WIDTH, y: Math.floor(i / 2) * PANEL_HEIGHT, w: PANEL_WIDTH, h: PANEL_HEIGHT },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    options: {},
    ...(p.repeat !== undefined ? { repeat: p.repeat, repeatDirection: 'h' as const } : {}),
    targets: p.queries.map(
      (q, j): PromQuery => ({
        refId: String.fromCharCode(65 + j),
        datasource: { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID },
        expr: q.expr,
        ...(q.legend !== undefined ? { legendFormat: q.legend } : {}),
        ...(p.type === 'heatmap' ? { format: 'heatmap' as const } : {}),
      }),
    ),
  }));
  const variables = (spec.variables ?? []).map((v) => ({
    name: v.name,
    type: 'query' as const,
    datasource: { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID },
    query: `label_values(${v.metric}, ${v.label})`,
    refresh: 2,
    multi: true,
    includeAll: true,
    current: { text: 'All', value: '$__all' },
  }));
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    editable: false,
    schemaVersion: 39,
    tags: ['streamfleet'],
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    timezone: 'utc',
    panels,
    ...(variables.length > 0 ? { templating: { list: variables } } : {}),
  };
};

/** Dashboards as files: `<uid>.json`, pretty-printed with a trailing newline for readable diffs. */
export const dashboardFiles = (provided: (metric: string) => boolean): Array<{ uid: string; json: string }> =>
  DASHBOARDS.map((d) => ({ uid: d.uid, json: `${JSON.stringify(renderDashboard(d, provided), null, 2)}\n` }));
