// Alert rules, generated from the component model: per-component rules (service down, HTTP latency/error rate)
// for every component with a monitor or the HTTP metric contract, plus fixed rules over the stacks' metric
// contract and the known exporters. A rule is rendered on a cluster only when every metric it queries is exposed
// there (by a component running on the cluster or an exporter present there), so GPU rules exist only on `gpu`
// clusters and a rule never watches series that cannot exist.
import type { Component, K8sObject } from '../components/component.ts';
import { EDGE_METRICS, HTTP_METRICS, ORIGIN_METRICS, TRANSCODE_METRICS } from '../components/metrics.ts';
import { EDGE_CACHE } from '../components/streaming/edge-cache.ts';
import { OTT_APIS, ottAppName } from '../components/streaming/ott-apis.ts';
import { stackNamespace } from '../components/stacks.ts';
import { BACKUP_ALERTS } from '../components/transcoding/backup-alerts.ts';
import { STACKS, type Capability, type StackName } from '../inventory/schema.ts';
import { EDGE_KIND_LABEL, hlsKindMatcher, servedFromCacheMatcher } from './edge-traffic.ts';
import { scrapeJob } from './scrape-model.ts';

export type Severity = 'critical' | 'warning';

/** One alert as documented: the alert name is the anchor of its runbook section in docs/alerts.md. */
/** Rule groups, in the order they are rendered and documented. */
export const ALERT_GROUPS = ['services', 'streaming', 'transcoding', 'gpu', 'databases', 'storage', 'platform'] as const;
export type AlertGroup = (typeof ALERT_GROUPS)[number];

export interface AlertDefinition {
  readonly alert: string;
  readonly group: AlertGroup;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  /** What the on-call does first. */
  readonly firstSteps: readonly string[];
  readonly for: string;
  /**
   * Example expression (documentation); per-component alerts render one rule per component with its own
   * selector, fixed alerts render exactly this.
   */
  readonly expr: string;
  /** Rendered once per component matching this (per-component alerts); absent = one fixed rule. */
  readonly perComponent?: (c: MonitoredComponent) => string | undefined;
  /** Per-component alerts whose severity depends on the component (ServiceDown: user-facing ones page). */
  readonly severityFor?: (c: MonitoredComponent) => Severity;
  /** Per-component alerts: the component's scrape `job` as a static label (the expression itself has none). */
  readonly labelJob?: boolean;
  /**
   * Rendered once per component that scales with a KEDA ScaledObject in an environment (its overlay carries the
   * ScaledObject and this rule): the expression over KEDA's series of that ScaledObject. KEDA's operator metrics
   * exist only for ScaledObjects that exist, so the rule ships exactly where its series do. `undefined`: the
   * ScaledObject's triggers do not produce the series the rule reads (no rule for it).
   */
  readonly perScaledObject?: (scaledObject: ScaledObjectSite) => string | undefined;
  /**
   * Fixed rules: the component whose objects carry the rule (the one whose metrics it reads; `prometheus` for the
   * platform's exporters). Per-component rules ship with each component they are rendered for.
   */
  readonly owner?: string;
  /** Only on clusters with this capability: the rule ships in the owner's capability unit (GPU exporter rules). */
  readonly capability?: Capability;
  /**
   * Only in environments that expect live traffic (the last of the promotion chain), e.g. "no publishers": the rule
   * ships in the owner's overlay of that environment.
   */
  readonly onlyWhereTrafficExpected?: boolean;
}

/** What the per-component rules need to know about a component: its scrape job and declared metrics. */
export interface MonitoredComponent {
  readonly name: string;
  readonly stack: StackName;
  /** Kind and name of its workload (Deployment/StatefulSet): kube-state-metrics series name it. */
  readonly workload?: { readonly kind: string; readonly name: string };
  /** Prometheus `job` label of its targets; undefined = not scraped. */
  readonly job: string | undefined;
  readonly metrics: readonly string[];
}

/**
 * The `job` label Prometheus gives the component's targets, derived as the operator does (scrape-model.ts): only
 * Services that carry the monitor's endpoint port count, so a `-headless` Service without it never names the job.
 */
export { scrapeJob };

const q = (s: string): string => JSON.stringify(s);
const jobSel = (c: MonitoredComponent): string => `job=${q(c.job!)}`;
const has = (c: MonitoredComponent, m: string): boolean => c.metrics.includes(m);

/** Thresholds in one place; the docs print them through the expressions. */
export const THRESHOLDS = {
  httpP99Seconds: 1,
  httpErrorRatio: 0.05,
  hls5xxRatio: 0.02,
  /**
   * p95 of HLS playlist/segment response time at the edge. A player waiting this long for a playlist or segment
   * drains its buffer (segments last a few seconds); on a healthy edge these take milliseconds (cache hits) to a few
   * hundred (origin fetches). One of the edge exporter's histogram buckets, so the condition is exact ("more than 5%
   * of requests took longer"), not interpolated (a test checks it is a bucket).
   */
  hlsP95Seconds: 2.5,
  cacheHitRatio: 0.8,
  queueDepth: 500,
  jobFailureRatio: 0.1,
  gpuTempCelsius: 85,
  gpuUtilPercent: 95,
  dbConnectionsRatio: 0.8,
  volumeFreeWarning: 0.15,
  volumeFreeCritical: 0.05,
  certDaysWarning: 14,
  certDaysCritical: 3,
} as const;

/**
 * Queue and database metrics of the transcoding stack's in-cluster backing services (rabbitmq_prometheus
 * /metrics/detailed, postgres_exporter, redis_exporter), as their components declare them. Where the inventory
 * points the stack at managed services, no component exposes these and their rules/panels are not rendered.
 * Checked: rabbitmq/rabbitmq-server @ v4.0.5 : deps/rabbitmq_prometheus/src/collectors/
 * prometheus_rabbitmq_core_metrics_collector.erl (family queue_coarse_metrics: queue_messages_ready, gauge, prefixed
 * rabbitmq_detailed_ on /metrics/detailed); prometheus-community/postgres_exporter @ v0.16.0 :
 * collector/pg_stat_database.go (pg_stat_database_numbackends), cmd/postgres_exporter/pg_setting.go
 * (pg_settings_<name>); oliver006/redis_exporter @ v1.67.0 : exporter/exporter.go.
 */
export const BACKING_SERVICE_METRICS = {
  /** Per queue (`queue` label). */
  rabbitmqQueueReady: 'rabbitmq_detailed_queue_messages_ready',
  /** Per database; summed for the server's open connections. */
  pgConnections: 'pg_stat_database_numbackends',
  pgMaxConnections: 'pg_settings_max_connections',
  redisClients: 'redis_connected_clients',
  redisMaxClients: 'redis_config_maxclients',
  /** Counters of key lookups that found / missed a key (Redis INFO keyspace_hits/keyspace_misses). */
  redisHits: 'redis_keyspace_hits_total',
  redisMisses: 'redis_keyspace_misses_total',
} as const;

const B = BACKING_SERVICE_METRICS;
const T = THRESHOLDS;

/**
 * The node label of DCGM exporter series: `Hostname` up to 4.5.3-4.8.2, renamed `hostname` right after (#655); the
 * GPU operator v26.7.0 ships 4.6.0-4.8.3, whose source was not in reach. Grouping by both keeps whichever exists
 * (the other is empty), so rules and panels work on either side of the rename.
 * Checked: NVIDIA/gpu-operator @ v26.7.0 : deployments/gpu-operator/values.yaml (dcgmExporter.version
 * 4.6.0-4.8.3-distroless), internal/state/dcgm_exporter.go (collectors /etc/dcgm-exporter/dcp-metrics-included.csv);
 * NVIDIA/dcgm-exporter @ 4.5.3-4.8.2 and @ d5e5f51 (#655) : internal/pkg/rendermetrics/render_metrics.go (labels gpu,
 * UUID, pci_bus_id, device, modelName, Hostname→hostname), etc/dcp-metrics-included.csv (DCGM_FI_DEV_GPU_TEMP,
 * DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_MEMORY_TEMP, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_FB_FREE, DCGM_FI_DEV_ENC_UTIL,
 * DCGM_FI_DEV_DEC_UTIL, all gauges).
 */
export const DCGM_NODE_LABELS = 'Hostname, hostname';

/**
 * Components viewers or API clients reach directly: their scrape target going down pages (critical); every other
 * component's is a warning. The RTMP origin has its own critical alert (RtmpOriginDown) on xiu itself.
 */
export const USER_FACING_COMPONENTS: ReadonlySet<string> = new Set([EDGE_CACHE, 'player', ...OTT_APIS.map((a) => ottAppName(a.name)), 'transcode-api']);

/**
 * Pod names of a Deployment's pods (`<deployment>-<replicaset hash>-<suffix>`), for kube-state-metrics series, which
 * name the pod but not its owner. Anchored on both hyphens so `rtmp-origin` never matches `rtmp-origin-foo-…` pods
 * of another Deployment with one more name part.
 */
export const deploymentPodRegex = (deployment: string): string => `${deployment}-[a-z0-9]+-[a-z0-9]+`;

/**
 * KEDA's RabbitMQ scaler, as its operator's metrics name it. `scaler` is the scaler's Go type name, `metric` the
 * HPA external metric `s<trigger index>-rabbitmq-<queue, with . / : % ( ) replaced by ->`; in QueueLength mode over
 * HTTP (queue-trigger.ts) the value is the queue's `messages`: ready + unacknowledged, i.e. jobs waiting or running.
 * The workers' cpu/memory triggers are other scalers (`cpuMemoryScaler`): the `scaler` filter keeps them out.
 * Checked: kedacore/keda @ v2.20.2 : pkg/metricscollector/prommetrics.go (`keda_scaler_metrics_value`, labels
 * namespace, metric, scaledObject, scaler, triggerIndex, type=scaledobject|scaledjob), pkg/scaling/scale_handler.go
 * (scaler = `%T` of the scaler minus `*scalers.`), pkg/scalers/rabbitmq_scaler.go (getQueueStatus, metric name).
 * Scraped: kedacore/charts @ v2.20.2 : keda/templates/manager/{service,servicemonitor}.yaml (port `metrics` 8080 of
 * Service `keda-operator` when prometheus.operator.enabled + serviceMonitor.enabled, as addon-values.ts sets; no
 * honorLabels, so the series' `namespace` arrives as `exported_namespace`, the target's being `keda`).
 */
export const KEDA_METRICS = { scalerValue: 'keda_scaler_metrics_value', rabbitmqScaler: 'rabbitMQScaler' } as const;

/** Stands for the `|`-joined namespaces of every stack of the fleet in a fixed rule's expression (docs print it as is). */
export const FLEET_NAMESPACES = '<fleet namespaces>';

export const ALERTS: readonly AlertDefinition[] = [
  {
    alert: 'ServiceDown',
    group: 'services',
    // Default; user-facing components page (severityFor).
    severity: 'warning',
    summary: 'A scrape target of {{ $labels.job }} is down',
    description: '{{ $labels.instance }} of {{ $labels.job }} on {{ $externalLabels.cluster }} has not answered its metrics scrape for 5 minutes.',
    firstSteps: ['`kubectl -n <namespace> get pods -l app.kubernetes.io/name=<component>`: crash loops, pending pods, failed probes.', 'Check the NetworkPolicy allows the `monitoring` namespace on the metrics port.'],
    for: '5m',
    expr: 'up{job="<component job>"} == 0',
    perComponent: (c) => (c.job !== undefined ? `up{${jobSel(c)}} == 0` : undefined),
    severityFor: (c) => (USER_FACING_COMPONENTS.has(c.name) ? 'critical' : 'warning'),
  },
  {
    alert: 'HttpHighLatency',
    group: 'services',
    severity: 'warning',
    summary: 'p99 latency of {{ $labels.job }} is above ' + T.httpP99Seconds + 's',
    description: 'The 99th percentile of HTTP request duration of {{ $labels.job }} has been above ' + T.httpP99Seconds + 's for 10 minutes.',
    firstSteps: ['Open the System overview dashboard: is one route or one pod slow?', 'Check CPU throttling and the dependencies (database, queue) of the service.'],
    for: '10m',
    expr: `histogram_quantile(0.99, sum by (job, le) (rate(${HTTP_METRICS.duration}_bucket{job="<component job>"}[5m]))) > ${T.httpP99Seconds}`,
    perComponent: (c) =>
      c.job !== undefined && has(c, HTTP_METRICS.duration)
        ? `histogram_quantile(0.99, sum by (job, le) (rate(${HTTP_METRICS.duration}_bucket{${jobSel(c)}}[5m]))) > ${T.httpP99Seconds}`
        : undefined,
  },
  {
    alert: 'HttpHighErrorRate',
    group: 'services',
    severity: 'critical',
    summary: 'More than ' + T.httpErrorRatio * 100 + '% of {{ $labels.job }} requests fail with 5xx',
    description: 'The ratio of HTTP 5xx responses of {{ $labels.job }} has been above ' + T.httpErrorRatio * 100 + '% for 5 minutes.',
    firstSteps: ['`kubectl -n <namespace> logs deploy/<component>`: look for the failing route.', 'Was there a rollout? `argocd app history <cluster>-<stack>`; roll back by reverting the pin.'],
    for: '5m',
    expr: `sum by (job) (rate(${HTTP_METRICS.requests}{job="<component job>", code=~"5.."}[5m])) / sum by (job) (rate(${HTTP_METRICS.requests}{job="<component job>"}[5m])) > ${T.httpErrorRatio}`,
    perComponent: (c) =>
      c.job !== undefined && has(c, HTTP_METRICS.requests)
        ? `sum by (job) (rate(${HTTP_METRICS.requests}{${jobSel(c)}, code=~"5.."}[5m])) / sum by (job) (rate(${HTTP_METRICS.requests}{${jobSel(c)}}[5m])) > ${T.httpErrorRatio}`
        : undefined,
  },
  {
    alert: 'RtmpOriginDown',
    group: 'streaming',
    severity: 'critical',
    summary: 'No RTMP origin (xiu) is up',
    description:
      'The origin Deployment wants replicas but no xiu container of it has been ready (accepting RTMP) for 2 minutes: publishers cannot ingest and viewers get nothing new. Read from kube-state-metrics, so it fires whether xiu crash-loops, fails its probes or no pod runs at all; the metrics exporter sidecar has no say.',
    firstSteps: [
      '`kubectl -n streaming get pods -l app.kubernetes.io/name=rtmp-origin` and `kubectl -n streaming logs deploy/rtmp-origin -c xiu --previous`: crash loop, config error, pending pods?',
      'Check the load balancer Service of the origin has endpoints and an external address.',
    ],
    for: '2m',
    expr: `(max by (namespace, deployment) (kube_deployment_spec_replicas{namespace="streaming", deployment="rtmp-origin"}) > 0) unless on (namespace) (sum by (namespace) (kube_pod_container_status_ready{namespace="streaming", container="xiu", pod=~"${deploymentPodRegex('rtmp-origin')}"}) > 0)`,
    // xiu itself, not the exporter sidecar's scrape: kube-state-metrics' readiness of the `xiu` container (its
    // readiness probe is the RTMP port) against the Deployment's desired replicas. Desired > 0 and none ready fires;
    // no pod at all (unschedulable) too, since the right-hand side is then empty.
    // Checked: kubernetes/kube-state-metrics @ v2.20.0 (kube-state-metrics chart 8.4.0 of kube-prometheus-stack
    // 88.5.3) : internal/store/pod.go (kube_pod_container_status_ready: container, plus namespace/pod/uid),
    // internal/store/deployment.go (kube_deployment_spec_replicas: namespace/deployment).
    // The origin's scrape job as a label: the inhibition of its own ServiceDown matches on it (same cluster, same job).
    labelJob: true,
    perComponent: (c: MonitoredComponent): string | undefined => {
      if (!has(c, ORIGIN_METRICS.publishers) || c.workload?.kind !== 'Deployment') return undefined;
      const ns = q(stackNamespace(c.stack));
      const d = c.workload.name;
      return `(max by (namespace, deployment) (kube_deployment_spec_replicas{namespace=${ns}, deployment=${q(d)}}) > 0) unless on (namespace) (sum by (namespace) (kube_pod_container_status_ready{namespace=${ns}, container="xiu", pod=~${q(deploymentPodRegex(d))}}) > 0)`;
    },
  },
  {
    alert: 'NoActivePublishers',
    owner: 'rtmp-origin',
    group: 'streaming',
    severity: 'warning',
    summary: 'No stream is being published',
    description: 'The RTMP origin has had no active publisher for 15 minutes where live traffic is expected (the last environment of the promotion chain).',
    firstSteps: ['Ask the broadcast team whether an encoder should be live.', 'Check the origin logs for rejected publishes and the load balancer for connection errors.'],
    for: '15m',
    expr: `sum(${ORIGIN_METRICS.publishers}) == 0`,
    onlyWhereTrafficExpected: true,
  },
  // Viewer alerts read the edge's own exporter: every viewer request passes the edge on every cluster (mesh or not),
  // whereas ingress-nginx metrics exist only where an Ingress routes viewers and Istio's only on mesh clusters.
  // HlsHigh5xxRate keeps its name (runbook anchor, silences, routes) though it now also counts HTTP-FLV at the edge.
  {
    alert: 'HlsHigh5xxRate',
    owner: EDGE_CACHE,
    group: 'streaming',
    severity: 'critical',
    summary: 'Viewers get 5xx errors from the CDN edge',
    description:
      'More than ' + T.hls5xxRatio * 100 + '% of viewer requests (HLS playlists and segments, HTTP-FLV) answered by the CDN edge have failed with 5xx for 5 minutes.',
    firstSteps: [
      'Streaming dashboard, "Viewer responses by status and kind": playlists, segments or FLV? Is the origin up and publishing?',
      '`kubectl -n streaming logs deploy/edge-cache -c nginx` for upstream errors (connect refused, timeouts to the origin).',
    ],
    for: '5m',
    expr: `sum by (namespace, job) (rate(${EDGE_METRICS.responses}{status=~"5.."}[5m])) / sum by (namespace, job) (rate(${EDGE_METRICS.responses}[5m])) > ${T.hls5xxRatio}`,
  },
  {
    alert: 'HlsHighLatency',
    owner: EDGE_CACHE,
    group: 'streaming',
    severity: 'warning',
    summary: 'HLS {{ $labels.' + EDGE_KIND_LABEL + ' }} responses of the CDN edge are slow',
    description:
      'The 95th percentile of the time the CDN edge took to answer HLS {{ $labels.' + EDGE_KIND_LABEL + ' }} requests has been above ' + T.hlsP95Seconds + 's for 10 minutes: viewers fall behind and rebuffer. HTTP-FLV is not counted (its response lasts as long as the viewer watches).',
    firstSteps: [
      'Streaming dashboard: is "Edge upstream p95" high too (the origin is slow) or only the viewer latency (edge CPU, network, cache volume)?',
      'Check the edge pods for CPU throttling and restarts; a restart empties the cache and sends every request to the origin.',
    ],
    for: '10m',
    expr: `histogram_quantile(0.95, sum by (namespace, job, ${EDGE_KIND_LABEL}, le) (rate(${EDGE_METRICS.responseTime}_bucket{${hlsKindMatcher()}}[5m]))) > ${T.hlsP95Seconds}`,
  },
  {
    alert: 'EdgeCacheHitRatioLow',
    owner: EDGE_CACHE,
    group: 'streaming',
    severity: 'warning',
    summary: 'Edge cache hit ratio below ' + T.cacheHitRatio * 100 + '%',
    description:
      'The edge cache served less than ' + T.cacheHitRatio * 100 + '% of HLS responses from cache (HIT, STALE, UPDATING or REVALIDATED) over 30 minutes: the origin carries the viewer load.',
    firstSteps: ['Check the cache volume is not full and the edge pods are not restarting (restarts empty the cache).', 'Check playlists/segments cache durations in the edge nginx config.'],
    for: '30m',
    // Over HLS only: HTTP-FLV passes the edge uncached and would count as misses. STALE/UPDATING/REVALIDATED
    // responses come from the cache too (edge-traffic.ts): counting only HIT would page while the cache works.
    expr: `sum(rate(${EDGE_METRICS.responses}{${servedFromCacheMatcher()}, ${hlsKindMatcher()}}[10m])) / sum(rate(${EDGE_METRICS.responses}{${hlsKindMatcher()}}[10m])) < ${T.cacheHitRatio}`,
  },
  {
    alert: 'TranscodeQueueDepthHigh',
    owner: 'rabbitmq',
    group: 'transcoding',
    severity: 'warning',
    summary: 'Transcoding queue {{ $labels.queue }} has more than ' + T.queueDepth + ' jobs waiting',
    description: 'Jobs are arriving faster than workers consume them for 15 minutes.',
    firstSteps: ['Transcoding dashboard: are workers running and scaling (KEDA ScaledObject, HPA)?', 'Check the GPU nodes are schedulable on GPU clusters.'],
    for: '15m',
    expr: `max by (queue) (${B.rabbitmqQueueReady}) > ${T.queueDepth}`,
  },
  {
    alert: 'TranscodeWorkerQueueBacklog',
    group: 'transcoding',
    severity: 'warning',
    summary: 'More than ' + T.queueDepth + ' jobs wait or run for {{ $labels.scaledObject }}',
    description:
      "The queue a KEDA-scaled worker consumes has held more than " + T.queueDepth + " jobs (waiting or running) for 15 minutes, as KEDA's RabbitMQ scaler reads it: where the broker is managed (Amazon MQ) no in-cluster exporter sees the queue, KEDA does.",
    firstSteps: [
      '`kubectl -n transcoding get scaledobject,hpa`: is the worker at maxReplicaCount? Raise it in the environment (`autoscaling.maxReplicas`).',
      'Transcoding dashboard: are workers finishing jobs (jobs/s, failures)? On GPU clusters, are GPU nodes schedulable?',
    ],
    for: '15m',
    // `exported_namespace`: the series' own `namespace` (the ScaledObject's) collides with the target's (`keda`), and
    // the chart's ServiceMonitor does not honor labels, so Prometheus renames the scraped one.
    expr: `max by (exported_namespace, scaledObject) (${KEDA_METRICS.scalerValue}{exported_namespace="transcoding", scaledObject="<worker>", scaler="${KEDA_METRICS.rabbitmqScaler}", type="scaledobject"}) > ${T.queueDepth}`,
    // Only ScaledObjects with a `rabbitmq` trigger have a rabbitMQScaler series (a system worker may scale on SQS or NATS).
    // Checked: kedacore/keda @ v2.20.2 : pkg/scaling/scalers_builder.go (trigger type "rabbitmq" → NewRabbitMQScaler).
    perScaledObject: (so) =>
      !so.triggerTypes.includes('rabbitmq')
        ? undefined
        : `max by (exported_namespace, scaledObject) (${KEDA_METRICS.scalerValue}{exported_namespace=${q(so.namespace)}, scaledObject=${q(so.name)}, scaler="${KEDA_METRICS.rabbitmqScaler}", type="scaledobject"}) > ${T.queueDepth}`,
  },
  {
    alert: 'TranscodeJobFailureRate',
    owner: 'transcode-worker-cpu',
    group: 'transcoding',
    severity: 'warning',
    summary: 'More than ' + T.jobFailureRatio * 100 + '% of {{ $labels.device }} transcoding jobs fail',
    description: 'The failed share of finished transcoding jobs has been above ' + T.jobFailureRatio * 100 + '% for 15 minutes.',
    firstSteps: ['`kubectl -n transcoding logs deploy/transcode-worker-<device>`: which profile fails?', 'Compare with the last worker image pin change.'],
    for: '15m',
    expr: `sum by (device) (rate(${TRANSCODE_METRICS.jobs}{status="failed"}[15m])) / sum by (device) (rate(${TRANSCODE_METRICS.jobs}[15m])) > ${T.jobFailureRatio}`,
  },
  {
    alert: 'GpuTemperatureHigh',
    owner: 'prometheus',
    capability: 'gpu',
    group: 'gpu',
    severity: 'warning',
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} is above ' + T.gpuTempCelsius + '°C',
    description: 'A GPU has been hotter than ' + T.gpuTempCelsius + '°C for 10 minutes; it will throttle.',
    firstSteps: ['GPU dashboard: one card or the whole node?', 'Cordon the node if it keeps rising: `kubectl cordon <node>`.'],
    for: '10m',
    expr: `max by (${DCGM_NODE_LABELS}, gpu) (DCGM_FI_DEV_GPU_TEMP) > ${T.gpuTempCelsius}`,
  },
  {
    alert: 'GpuUtilisationSaturated',
    owner: 'prometheus',
    capability: 'gpu',
    group: 'gpu',
    severity: 'warning',
    summary: 'GPUs of {{ $labels.Hostname }}{{ $labels.hostname }} are saturated',
    description: 'Average GPU utilisation of a node has been above ' + T.gpuUtilPercent + '% for 30 minutes: add GPU nodes or workers.',
    firstSteps: ['Transcoding dashboard: is the GPU queue growing?', 'Raise the GPU node group size.'],
    for: '30m',
    expr: `avg by (${DCGM_NODE_LABELS}) (DCGM_FI_DEV_GPU_UTIL) > ${T.gpuUtilPercent}`,
  },
  {
    alert: 'PostgresConnectionsHigh',
    group: 'databases',
    severity: 'warning',
    summary: 'Postgres uses more than ' + T.dbConnectionsRatio * 100 + '% of its connections',
    description: 'Open connections have been above ' + T.dbConnectionsRatio * 100 + '% of max_connections for 10 minutes; new clients will be refused.',
    firstSteps: ['Storage/database dashboard: which client holds connections?', 'Look for connection leaks after a transcode-api rollout.'],
    for: '10m',
    expr: `sum by (job) (${B.pgConnections}{job="<component job>"}) / max by (job) (${B.pgMaxConnections}{job="<component job>"}) > ${T.dbConnectionsRatio}`,
    // Every component whose exporter reports both (the transcoding Postgres, each postgres preset of a system).
    perComponent: (c) =>
      c.job !== undefined && has(c, B.pgConnections) && has(c, B.pgMaxConnections)
        ? `sum by (job) (${B.pgConnections}{${jobSel(c)}}) / max by (job) (${B.pgMaxConnections}{${jobSel(c)}}) > ${T.dbConnectionsRatio}`
        : undefined,
  },
  {
    alert: 'RedisConnectionsHigh',
    group: 'databases',
    severity: 'warning',
    summary: 'Redis uses more than ' + T.dbConnectionsRatio * 100 + '% of its client slots',
    description: 'Connected clients have been above ' + T.dbConnectionsRatio * 100 + '% of maxclients for 10 minutes.',
    firstSteps: ['Storage/database dashboard: client count trend.', 'Look for clients that do not reuse connections.'],
    for: '10m',
    expr: `sum by (job) (${B.redisClients}{job="<component job>"}) / max by (job) (${B.redisMaxClients}{job="<component job>"}) > ${T.dbConnectionsRatio}`,
    // Every component whose exporter reports both (the transcoding Redis, each redis preset of a system).
    perComponent: (c) =>
      c.job !== undefined && has(c, B.redisClients) && has(c, B.redisMaxClients)
        ? `sum by (job) (${B.redisClients}{${jobSel(c)}}) / max by (job) (${B.redisMaxClients}{${jobSel(c)}}) > ${T.dbConnectionsRatio}`
        : undefined,
  },
  {
    alert: 'PersistentVolumeFillingUp',
    owner: 'prometheus',
    group: 'storage',
    severity: 'warning',
    summary: 'Volume {{ $labels.persistentvolumeclaim }} is more than ' + (100 - T.volumeFreeWarning * 100) + '% full',
    description: 'PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than ' + T.volumeFreeWarning * 100 + '% free space.',
    firstSteps: ['Storage dashboard: growth rate.', 'Expand the PVC (the storage class must allow expansion) or lower retention in the inventory.'],
    for: '15m',
    expr: `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < ${T.volumeFreeWarning}`,
  },
  {
    alert: 'PersistentVolumeFull',
    owner: 'prometheus',
    group: 'storage',
    severity: 'critical',
    summary: 'Volume {{ $labels.persistentvolumeclaim }} is almost full',
    description: 'PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than ' + T.volumeFreeCritical * 100 + '% free space; writes will fail.',
    firstSteps: ['Expand the PVC now, or free space (e.g. lower Prometheus retention).'],
    for: '5m',
    expr: `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < ${T.volumeFreeCritical}`,
  },
  {
    alert: 'PersistentVolumeClaimNotBound',
    owner: 'prometheus',
    group: 'storage',
    severity: 'warning',
    summary: 'PVC {{ $labels.persistentvolumeclaim }} is {{ $labels.phase }}',
    description: 'A PersistentVolumeClaim has been Pending or Lost for 15 minutes: a storage provisioning or attach error.',
    firstSteps: ['`kubectl -n <namespace> describe pvc <name>`: provisioner events.', 'Check the storage class named in clusters.yaml exists.'],
    for: '15m',
    expr: 'kube_persistentvolumeclaim_status_phase{phase=~"Pending|Lost"} == 1',
  },
  {
    alert: 'CertificateExpiringSoon',
    owner: 'prometheus',
    group: 'platform',
    severity: 'warning',
    summary: 'Certificate {{ $labels.name }} expires in less than ' + T.certDaysWarning + ' days',
    description: 'cert-manager has not renewed {{ $labels.namespace }}/{{ $labels.name }}; renewal normally happens 30 days before expiry.',
    firstSteps: ['`kubectl -n <namespace> describe certificate <name>` and its CertificateRequest/Order/Challenge.', 'Check the HTTP-01/DNS-01 solver can reach the host.'],
    for: '1h',
    expr: `(certmanager_certificate_expiration_timestamp_seconds - time()) < ${T.certDaysWarning} * 86400`,
  },
  {
    alert: 'CertificateExpiryCritical',
    owner: 'prometheus',
    group: 'platform',
    severity: 'critical',
    summary: 'Certificate {{ $labels.name }} expires in less than ' + T.certDaysCritical + ' days',
    description: 'Viewers will get TLS errors when {{ $labels.exported_namespace }}/{{ $labels.name }} expires.',
    firstSteps: ['Same as CertificateExpiringSoon, now urgent; as a last resort delete the Secret to force reissue.'],
    for: '10m',
    expr: `(certmanager_certificate_expiration_timestamp_seconds - time()) < ${T.certDaysCritical} * 86400`,
  },
  {
    alert: 'PodCrashLooping',
    owner: 'prometheus',
    group: 'services',
    severity: 'warning',
    summary: 'Container {{ $labels.container }} of {{ $labels.pod }} restarts repeatedly',
    description: 'A container of a fleet namespace has restarted more than 3 times in 15 minutes.',
    firstSteps: ['`kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c {{ $labels.container }} --previous`'],
    for: '5m',
    // The fleet's namespaces (built-in stacks and systems) are known only at render time: rulesAt fills them in.
    expr: `increase(kube_pod_container_status_restarts_total{namespace=~"${FLEET_NAMESPACES}"}[15m]) > 3`,
  },
  // Backup/verify CronJobs of the in-cluster databases (scripts/components/transcoding/backup-alerts.ts).
  ...BACKUP_ALERTS,
];

/**
 * Where rules ship, kube-prometheus style: with the component whose metrics they read, so every cluster that runs
 * the component gets its rules from the same shared unit and no cluster carries a copy of its own.
 * - `component`: the component's base unit: its per-component rules and the fixed rules it owns;
 * - `capability`: the component's unit for a capability (GPU exporter rules with Prometheus on `gpu` clusters);
 * - `live-traffic`: the component's overlay of the environment that expects live traffic;
 * - `autoscaled`: the component's overlay of an environment where a KEDA ScaledObject scales it.
 */
export type RuleSite =
  | { readonly at: 'component'; readonly component: MonitoredComponent }
  | { readonly at: 'capability'; readonly component: string; readonly capability: Capability }
  | { readonly at: 'live-traffic'; readonly component: string }
  | ({ readonly at: 'autoscaled'; readonly component: string } & Omit<ScaledObjectSite, 'name'>);

/** A KEDA ScaledObject as the per-ScaledObject rules see it. */
export interface ScaledObjectSite {
  readonly name: string;
  readonly namespace: string;
  /** `spec.triggers[].type` (KEDA's scaler kinds: `rabbitmq`, `aws-sqs-queue`, `nats-jetstream`, `cpu`, …). */
  readonly triggerTypes: readonly string[];
}

export interface RenderedRule {
  readonly group: AlertGroup;
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: Severity; readonly component?: string; readonly job?: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

/** Runbook anchor of an alert in docs/alerts.md (GitHub lower-cases headings). */
export const alertAnchor = (alert: string): string => alert.toLowerCase();

/** `<repoURL without .git>/blob/<revision>/docs/alerts.md#<alert>` */
export const runbookUrl = (git: { repoURL: string; targetRevision: string }, alert: string): string =>
  `${git.repoURL.replace(/\.git$/, '')}/blob/${git.targetRevision}/docs/alerts.md#${alertAnchor(alert)}`;

/** Whether a fixed rule ships at a site (per-component rules only ship with their component). */
const fixedAt = (a: AlertDefinition, site: RuleSite): boolean => {
  const owner = site.at === 'component' ? site.component.name : site.component;
  if (a.owner !== owner) return false;
  if (site.at === 'capability') return a.capability === site.capability && !a.onlyWhereTrafficExpected;
  if (site.at === 'live-traffic') return a.onlyWhereTrafficExpected === true && a.capability === undefined;
  if (site.at === 'autoscaled') return false;
  return a.capability === undefined && !a.onlyWhereTrafficExpected;
};

/** The rules that ship at one site, in ALERTS order. */
export const rulesAt = (
  site: RuleSite,
  git: { repoURL: string; targetRevision: string },
  /** Every stack's namespace (built-in and systems), for the fixed rules that watch the whole fleet. */
  namespaces: readonly string[] = STACKS.map(stackNamespace),
): RenderedRule[] => {
  const rules: RenderedRule[] = [];
  const annotations = (a: AlertDefinition): RenderedRule['annotations'] => ({
    summary: a.summary,
    description: a.description,
    runbook_url: runbookUrl(git, a.alert),
  });
  for (const a of ALERTS) {
    if (a.perComponent) {
      if (site.at !== 'component') continue;
      const expr = a.perComponent(site.component);
      if (expr !== undefined) {
        const severity = a.severityFor?.(site.component) ?? a.severity;
        const job = a.labelJob && site.component.job !== undefined ? { job: site.component.job } : {};
        rules.push({ group: a.group, alert: a.alert, expr, for: a.for, labels: { severity, component: site.component.name, ...job }, annotations: annotations(a) });
      }
    } else if (a.perScaledObject) {
      if (site.at !== 'autoscaled') continue;
      const expr = a.perScaledObject({ name: site.component, namespace: site.namespace, triggerTypes: site.triggerTypes });
      if (expr !== undefined) rules.push({ group: a.group, alert: a.alert, expr, for: a.for, labels: { severity: a.severity, component: site.component }, annotations: annotations(a) });
    } else if (fixedAt(a, site)) {
      const expr = a.expr.replace(FLEET_NAMESPACES, namespaces.join('|'));
      rules.push({ group: a.group, alert: a.alert, expr, for: a.for, labels: { severity: a.severity }, annotations: annotations(a) });
    }
  }
  return rules;
};

/** Components as the rules see them. */
export const monitoredComponents = (components: readonly Component[], objectsOf: (c: Component) => readonly K8sObject[]): MonitoredComponent[] =>
  components.map((c) => ({
    name: c.name,
    stack: c.stack,
    workload: { kind: c.workload.kind, name: c.workload.name },
    job: scrapeJob(objectsOf(c)),
    metrics: c.metrics ?? [],
  }));
