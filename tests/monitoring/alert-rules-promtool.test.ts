// Every alert and recording rule as Prometheus evaluates it: a real gen + Kustomize build of one cluster of each kind
// (dev, staging, prod, prod GPU), each cluster's PrometheusRules written as rule files, and promtool unit tests that
// feed each alert series shaped as its exporter and scrape target produce them: at its threshold it fires with the
// labels the rule yields there, just below it stays silent. Recording rules must produce the series the dashboards
// read. The viewer alerts (Hls*) are tested the same way, with the edge exporter's exact config, in
// viewer-alerts.test.ts. Unit-test keys: prometheus/prometheus @ v2.42.0 (Debian's promtool; the fleet runs v3.1.0,
// whose unit-test format is a superset) : cmd/promtool/unittest.go.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { main } from '../../scripts/cli/gen.ts';
import { HTTP_METRICS, ORIGIN_METRICS, TRANSCODE_METRICS } from '../../scripts/components/metrics.ts';
import { buildMany } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import { DASHBOARDS } from '../../scripts/monitoring/dashboards.ts';
import { parsePromQL } from '../../scripts/monitoring/promql.ts';
import { RECORDED } from '../../scripts/monitoring/recording-rules.ts';
import { ALERTS, BACKING_SERVICE_METRICS as B, KEDA_METRICS, THRESHOLDS as T, USER_FACING_COMPONENTS } from '../../scripts/monitoring/rules.ts';
import { captureIo, DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';
import { promtool } from '../support/tools.ts';


/* eslint-disable @typescript-eslint/no-explicit-any -- reads loosely typed built objects */

/** One cluster of each kind the default fleet has (same components, capabilities and environment = same rules). */
const CLUSTERS = ['dev-k3d', 'staging-eu-west-1', 'prod-eu-west-1', 'prod-gpu-us-east-1'] as const;
/** Tested with the edge exporter's own config in viewer-alerts.test.ts. */
const VIEWER_ALERTS = new Set(['HlsHigh5xxRate', 'HlsHighLatency']);


interface BuiltRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Namespace of the PrometheusRule carrying it (the component's). */
  readonly namespace: string;
}

interface ClusterRules {
  readonly cluster: string;
  readonly dir: string;
  readonly files: string[];
  readonly rules: BuiltRule[];
}

let root: string;
const built = new Map<string, ClusterRules>();

beforeAll(async () => {
  await promtool(['--version'], process.cwd());
  root = await tempDir('alert-rules-promtool');
  const out = join(root, 'out');
  const io = captureIo();
  const code = await main(['--inventory', DEFAULT_INVENTORY, '--out', out], io.io);
  if (code !== 0) throw new Error(`gen exited ${code}:\n${io.err()}${io.out()}`);
  const wanted = new Set<string>(CLUSTERS);
  const targets = (await findClusterStackTargets(out)).filter((t) => wanted.has(t.cluster));
  const results = await buildMany(await detectEngine(), targets.map((t) => t.dir));
  for (const cluster of CLUSTERS) {
    const objects: any[] = [];
    results.forEach((r, i) => {
      if (targets[i]!.cluster !== cluster) return;
      if (!r.ok) throw new Error(`kustomize ${targets[i]!.path}: ${r.error.message}`);
      objects.push(...parseAllDocuments(r.yaml).map((d) => d.toJS()));
    });
    const dir = join(root, 'promtool', cluster);
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    const rules: BuiltRule[] = [];
    for (const pr of objects.filter((o) => o.kind === 'PrometheusRule')) {
      const file = `${pr.metadata.namespace}-${pr.metadata.name}.yaml`;
      await writeFile(join(dir, file), stringify({ groups: pr.spec.groups }));
      files.push(file);
      for (const g of pr.spec.groups) for (const r of g.rules) rules.push({ ...r, namespace: pr.metadata.namespace });
    }
    built.set(cluster, { cluster, dir, files: files.sort(), rules });
  }
}, 600_000);

afterAll(async () => {
  if (root !== undefined) await removeDir(root);
});

// --- series ------------------------------------------------------------------------------------------------------

type Labels = Record<string, string>;
interface Series {
  readonly series: string;
  readonly values: string;
}

const MINUTES = 120;
const sel = (metric: string, labels: Labels): string =>
  `${metric}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
/** A gauge holding `v` for the whole test. */
const gauge = (metric: string, labels: Labels, v: number): Series => ({ series: sel(metric, labels), values: `${v}+0x${MINUTES}` });
/** A counter growing by `perMinute` every minute. */
const counter = (metric: string, labels: Labels, perMinute: number): Series => ({ series: sel(metric, labels), values: `0+${perMinute}x${MINUTES}` });
/** Histogram series: `perMinute` observations a minute, all of value `v`, over upper bounds `les`. */
const histogram = (metric: string, labels: Labels, les: readonly number[], perMinute: number, v: number): Series[] => [
  ...[...les.map(String), '+Inf'].map((le) => counter(`${metric}_bucket`, { ...labels, le }, le === '+Inf' || v <= Number(le) ? perMinute : 0)),
  counter(`${metric}_sum`, labels, perMinute * v),
  counter(`${metric}_count`, labels, perMinute),
];

/**
 * Scrape labels of a component's target, as prometheus-operator writes them: job (read off the rule: the render's
 * scrape job), namespace, pod, container, endpoint, instance; `service` for ServiceMonitor targets (job = Service).
 */
const componentTarget = (rule: BuiltRule): Labels => {
  const job = /job="([^"]+)"/.exec(rule.expr)?.[1];
  expect(job, `${rule.alert} (${rule.labels?.component}) selects a job`).toBeDefined();
  const viaPodMonitor = job!.includes('/');
  return {
    job: job!,
    namespace: rule.namespace,
    pod: `${rule.labels?.component ?? 'x'}-6d5f7c9b8-k2x4q`,
    container: 'main',
    endpoint: 'metrics',
    instance: '10.42.0.17:9090',
    ...(viaPodMonitor ? {} : { service: job! }),
  };
};

/** Platform exporters' targets (chart ServiceMonitors). honorLabels ones keep the series' namespace/pod/container. */
const KSM: Labels = { job: 'kube-state-metrics', instance: '10.42.0.5:8080', endpoint: 'http', service: 'prometheus-operator-kube-state-metrics' };
const KUBELET: Labels = { job: 'kubelet', instance: '10.0.1.12:10250', endpoint: 'https-metrics', service: 'prometheus-operator-kubelet', node: 'ip-10-0-1-12' };
// Not honorLabels: the target's namespace wins, the series' own becomes exported_namespace.
const CERT_MANAGER: Labels = { job: 'cert-manager', namespace: 'cert-manager', instance: '10.42.0.9:9402', endpoint: 'tcp-prometheus-servicemonitor', service: 'cert-manager', pod: 'cert-manager-7c9f-x', container: 'cert-manager-controller' };
const DCGM: Labels = { job: 'nvidia-dcgm-exporter', namespace: 'gpu-operator', instance: '10.42.3.4:9400', endpoint: 'gpu-metrics', service: 'nvidia-dcgm-exporter', pod: 'nvidia-dcgm-exporter-abcde', container: 'nvidia-dcgm-exporter' };
const KEDA: Labels = { job: 'keda-operator', namespace: 'keda', instance: '10.42.0.11:8080', endpoint: 'metrics', service: 'keda-operator', pod: 'keda-operator-5f6d-x', container: 'keda-operator' };

/** Inputs that make an alert fire (`fire`) or stay silent just below its threshold (`silent`), and its labels. */
interface Scenario {
  readonly fire: Series[];
  readonly silent: Series[];
  /** Labels of the firing alert (before the rule's own labels). */
  readonly labels: Labels;
  /** Eval time: long enough for the rule's `for`. */
  readonly at?: string;
}

const HTTP_LES = [0.1, 0.5, T.httpP99Seconds, 2.5];
const ORIGIN_POD_LABELS = (ready: number, pod: string): Series =>
  gauge('kube_pod_container_status_ready', { ...KSM, namespace: 'streaming', pod, container: 'xiu', uid: `uid-${pod}` }, ready);

/** One scenario per alert (per-component alerts: for the component of `rule`). */
const scenarioFor = (rule: BuiltRule): Scenario => {
  const alert = rule.alert!;
  switch (alert) {
    case 'ServiceDown': {
      const t = componentTarget(rule);
      return { fire: [gauge('up', t, 0)], silent: [gauge('up', t, 1)], labels: t };
    }
    case 'HttpHighLatency': {
      const t = componentTarget(rule);
      const labels = { ...t, method: 'GET', route: '/v1/things' };
      return {
        fire: histogram(HTTP_METRICS.duration, labels, HTTP_LES, 60, T.httpP99Seconds * 2),
        silent: histogram(HTTP_METRICS.duration, labels, HTTP_LES, 60, T.httpP99Seconds * 0.9),
        labels: { job: t.job! },
      };
    }
    case 'HttpHighErrorRate': {
      const t = componentTarget(rule);
      const ok = counter(HTTP_METRICS.requests, { ...t, code: '200', method: 'GET', route: '/v1/things' }, 1000);
      const failing = (share: number): Series => counter(HTTP_METRICS.requests, { ...t, code: '503', method: 'GET', route: '/v1/things' }, (1000 * share) / (1 - share));
      return { fire: [ok, failing(T.httpErrorRatio * 1.2)], silent: [ok, failing(T.httpErrorRatio * 0.8)], labels: { job: t.job! } };
    }
    case 'RtmpOriginDown': {
      const deployment = /deployment="([^"]+)"/.exec(rule.expr)![1]!;
      const spec = gauge('kube_deployment_spec_replicas', { ...KSM, namespace: 'streaming', deployment }, 3);
      const pods = ['rtmp-origin-7b9c6d5f4-a1b2c', 'rtmp-origin-7b9c6d5f4-d3e4f', 'rtmp-origin-7b9c6d5f4-g5h6i'];
      // The exporter sidecar's scrape is irrelevant: up=0 while xiu is ready stays silent, up=1 while xiu is down fires.
      const up = (v: number): Series => gauge('up', { ...componentTarget({ ...rule, expr: 'job="rtmp-origin"' }), job: 'rtmp-origin' }, v);
      return {
        fire: [spec, up(1), ...pods.map((p) => ORIGIN_POD_LABELS(0, p))],
        silent: [spec, up(0), ORIGIN_POD_LABELS(1, pods[0]!), ...pods.slice(1).map((p) => ORIGIN_POD_LABELS(0, p))],
        labels: { namespace: 'streaming', deployment },
      };
    }
    case 'NoActivePublishers': {
      const t = { job: 'rtmp-origin', namespace: 'streaming', service: 'rtmp-origin', endpoint: 'metrics', pod: 'rtmp-origin-7b9c6d5f4-a1b2c', container: 'exporter', instance: '10.42.0.20:9102' };
      return { fire: [gauge(ORIGIN_METRICS.publishers, t, 0)], silent: [gauge(ORIGIN_METRICS.publishers, t, 1)], labels: {}, at: '30m' };
    }
    case 'EdgeCacheHitRatioLow': {
      const t = { job: 'edge-cache', namespace: 'streaming', service: 'edge-cache', endpoint: 'metrics', pod: 'edge-cache-5c8d7-a', container: 'log-exporter', instance: '10.42.0.30:4040' };
      const r = (cache_status: string, kind: string, perMinute: number): Series =>
        counter('edge_http_response_count_total', { ...t, cache_status, kind, method: 'GET', status: '200' }, perMinute);
      // Served from cache: HIT, STALE, UPDATING, REVALIDATED. 75% of HLS (below 80%) fires; 85% with only 55% HIT
      // (the rest stale/updating/revalidated: a working cache under origin trouble) stays silent.
      return {
        fire: [r('HIT', 'segment', 600), r('STALE', 'segment', 150), r('MISS', 'segment', 250), r('-', 'flv', 5000)],
        silent: [r('HIT', 'segment', 550), r('STALE', 'segment', 150), r('UPDATING', 'playlist', 100), r('REVALIDATED', 'playlist', 50), r('MISS', 'segment', 150), r('-', 'flv', 5000)],
        labels: {},
        at: '50m',
      };
    }
    case 'TranscodeQueueDepthHigh': {
      const t = { job: 'rabbitmq', namespace: 'transcoding', service: 'rabbitmq', endpoint: 'metrics', pod: 'rabbitmq-0', container: 'rabbitmq', instance: '10.42.0.40:15692' };
      const q = (v: number): Series => gauge(B.rabbitmqQueueReady, { ...t, vhost: '/', queue: 'transcode.jobs' }, v);
      return { fire: [q(T.queueDepth + 1)], silent: [q(T.queueDepth)], labels: { queue: 'transcode.jobs' }, at: '30m' };
    }
    case 'TranscodeWorkerQueueBacklog': {
      const scaledObject = rule.labels!.component!;
      const queue = scaledObject.endsWith('gpu') ? 'transcode-jobs-gpu' : 'transcode-jobs';
      // The ScaledObject's namespace (its PrometheusRule's) arrives as exported_namespace (KEDA's ServiceMonitor does
      // not honor labels).
      const exported_namespace = rule.namespace;
      const v = (x: number): Series =>
        gauge(KEDA_METRICS.scalerValue, { ...KEDA, exported_namespace, scaledObject, scaler: KEDA_METRICS.rabbitmqScaler, triggerIndex: '0', metric: `s0-rabbitmq-${queue}`, type: 'scaledobject' }, x);
      return { fire: [v(T.queueDepth + 1)], silent: [v(T.queueDepth)], labels: { exported_namespace, scaledObject }, at: '30m' };
    }
    case 'TranscodeJobFailureRate': {
      const t = { job: 'transcoding/transcode-worker-cpu', namespace: 'transcoding', endpoint: 'metrics', pod: 'transcode-worker-cpu-7d-a', container: 'worker', instance: '10.42.0.50:9090' };
      const j = (status: string, perMinute: number): Series => counter(TRANSCODE_METRICS.jobs, { ...t, device: 'cpu', profile: 'h264-1080p', resolution: '1080p', status }, perMinute);
      return {
        fire: [j('succeeded', 100 * (1 - T.jobFailureRatio * 1.2)), j('failed', 100 * T.jobFailureRatio * 1.2)],
        silent: [j('succeeded', 100 * (1 - T.jobFailureRatio * 0.8)), j('failed', 100 * T.jobFailureRatio * 0.8)],
        labels: { device: 'cpu' },
        at: '30m',
      };
    }
    case 'GpuTemperatureHigh':
    case 'GpuUtilisationSaturated': {
      const gpu = { ...DCGM, gpu: '0', UUID: 'GPU-1234', pci_bus_id: '00000000:00:1E.0', device: 'nvidia0', modelName: 'NVIDIA L4', Hostname: 'ip-10-0-3-4' };
      const [metric, threshold, labels] =
        alert === 'GpuTemperatureHigh' ? ['DCGM_FI_DEV_GPU_TEMP', T.gpuTempCelsius, { Hostname: 'ip-10-0-3-4', gpu: '0' }] : ['DCGM_FI_DEV_GPU_UTIL', T.gpuUtilPercent, { Hostname: 'ip-10-0-3-4' }];
      return { fire: [gauge(metric, gpu, threshold + 1)], silent: [gauge(metric, gpu, threshold)], labels, at: '45m' };
    }
    case 'PostgresConnectionsHigh':
    case 'RedisConnectionsHigh': {
      // One rule per component with the exporter (the transcoding database/cache, each preset of a system): its
      // StatefulSet's first pod, the exporter sidecar, scraped through the component's ServiceMonitor.
      const pg = alert === 'PostgresConnectionsHigh';
      const t: Labels = { ...componentTarget(rule), pod: `${rule.labels?.component ?? 'x'}-0`, container: 'exporter', instance: pg ? '10.42.0.60:9187' : '10.42.0.61:9121' };
      const max = 100;
      const used = (n: number): Series[] =>
        pg
          ? [gauge(B.pgConnections, { ...t, datid: '16384', datname: 'transcode' }, n - 5), gauge(B.pgConnections, { ...t, datid: '5', datname: 'postgres' }, 5), gauge(B.pgMaxConnections, { ...t, server: 'localhost:5432' }, max)]
          : [gauge(B.redisClients, t, n), gauge(B.redisMaxClients, t, max)];
      return { fire: used(max * T.dbConnectionsRatio + 1), silent: used(max * T.dbConnectionsRatio), labels: { job: t.job! }, at: '20m' };
    }
    case 'PersistentVolumeFillingUp':
    case 'PersistentVolumeFull': {
      const free = alert === 'PersistentVolumeFull' ? T.volumeFreeCritical : T.volumeFreeWarning;
      const labels = { ...KUBELET, namespace: 'monitoring', persistentvolumeclaim: 'prometheus-db-prometheus-0' };
      const cap = 100 * 2 ** 30;
      const vol = (f: number): Series[] => [gauge('kubelet_volume_stats_available_bytes', labels, Math.round(cap * f)), gauge('kubelet_volume_stats_capacity_bytes', labels, cap)];
      return { fire: vol(free * 0.9), silent: vol(free * 1.1), labels, at: '30m' };
    }
    case 'PersistentVolumeClaimNotBound': {
      const labels = (phase: string): Labels => ({ ...KSM, namespace: 'transcoding', persistentvolumeclaim: 'data-postgres-0', phase });
      const claim = (pending: number): Series[] => [gauge('kube_persistentvolumeclaim_status_phase', labels('Pending'), pending), gauge('kube_persistentvolumeclaim_status_phase', labels('Bound'), 1 - pending)];
      return { fire: claim(1), silent: claim(0), labels: labels('Pending'), at: '30m' };
    }
    case 'CertificateExpiringSoon':
    case 'CertificateExpiryCritical': {
      const days = alert === 'CertificateExpiringSoon' ? T.certDaysWarning : T.certDaysCritical;
      const labels = { ...CERT_MANAGER, exported_namespace: 'streaming', name: 'cdn-tls', issuer_name: 'letsencrypt-prod', issuer_kind: 'ClusterIssuer', issuer_group: 'cert-manager.io' };
      // promtool's clock starts at 0: an expiry `d` days after the evaluation time.
      const at = 90 * 60;
      return {
        fire: [gauge('certmanager_certificate_expiration_timestamp_seconds', labels, at + (days - 0.5) * 86400)],
        silent: [gauge('certmanager_certificate_expiration_timestamp_seconds', labels, at + (days + 0.5) * 86400)],
        labels,
        at: '90m',
      };
    }
    case 'PodCrashLooping': {
      const labels = { ...KSM, namespace: 'transcoding', pod: 'transcode-api-6d8f-x', container: 'api', uid: 'uid-1' };
      // > 3 restarts in 15 minutes: one every 3 minutes (5) fires, one every 5 minutes (3) does not.
      const restarts = (everyMinutes: number): Series => ({ series: sel('kube_pod_container_status_restarts_total', labels), values: Array.from({ length: MINUTES + 1 }, (_, i) => String(Math.floor(i / everyMinutes))).join(' ') });
      return { fire: [restarts(3)], silent: [restarts(5)], labels, at: '40m' };
    }
    case 'DatabaseBackupStale': {
      // The last scheduled run (t=60 s) has no success after it and is past the grace period at 300 m: fires. A
      // success after the schedule (t=90 s) keeps it silent. The run-length series outlast the default 120 minutes.
      const cronjob = /cronjob=~"([^"|]+)\|/.exec(rule.expr)?.[1] ?? 'postgres-backup';
      const labels = { namespace: 'transcoding', cronjob };
      const long = (metric: string, v: number): Series => ({ series: sel(metric, { ...KSM, ...labels }), values: `${v}+0x300` });
      const run = (successAt: number): Series[] => [long('kube_cronjob_created', 0), long('kube_cronjob_status_last_schedule_time', 60), long('kube_cronjob_status_last_successful_time', successAt)];
      return { fire: run(30), silent: run(90), labels, at: '300m' };
    }
    default:
      throw new Error(`no promtool scenario for alert ${alert}: add one to scenarioFor()`);
  }
};

/** What promtool compares: the alert's labels and its annotations with `{{ $labels.x }}` expanded. */
const expected = (rule: BuiltRule, labels: Labels): { exp_labels: Labels; exp_annotations: Labels } => {
  const all = { ...labels, ...rule.labels };
  const expand = (s: string): string =>
    s.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, k: string) => all[k] ?? '').replace(/\{\{\s*\$externalLabels\.(\w+)\s*\}\}/g, '');
  return {
    exp_labels: all,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expand(v)])),
  };
};

/** Default eval time: past the rule's `for` (at most 30m here) with rate windows full. */
const evalTime = (s: Scenario): string => s.at ?? '20m';

describe('every alert has a promtool scenario', () => {
  it('each alert definition is tested here or in viewer-alerts.test.ts', () => {
    for (const a of ALERTS) {
      if (VIEWER_ALERTS.has(a.alert)) continue;
      const rule: BuiltRule = { alert: a.alert, expr: 'job="x" deployment="rtmp-origin"', labels: { component: 'transcode-worker-cpu' }, namespace: 'x' };
      expect(() => scenarioFor(rule), a.alert).not.toThrow(/no promtool scenario/);
    }
  });
});

describe.each(CLUSTERS)('%s: alerts and recording rules through promtool', (cluster) => {
  const c = (): ClusterRules => built.get(cluster)!;

  it('promtool check rules accepts every rule file', async () => {
    expect(c().files.length).toBeGreaterThan(0);
    expect(await promtool(['check', 'rules', ...c().files], c().dir)).toMatch(/SUCCESS/);
  });

  it('every alert fires at its threshold with the labels its targets produce, and stays silent below it', async () => {
    const alerts = c().rules.filter((r) => r.alert !== undefined && !VIEWER_ALERTS.has(r.alert));
    expect(alerts.length).toBeGreaterThan(0);
    const tests = alerts.flatMap((rule) => {
      const s = scenarioFor(rule);
      const name = `${rule.alert}${rule.labels?.component ? ` (${rule.labels.component})` : ''}`;
      // Other rules of the same alert name (one per component) see the same input: expect only this rule's alert by
      // giving each its own test group and checking only this component's alert via its labels.
      const same = alerts.filter((r) => r.alert === rule.alert);
      const fires = [expected(rule, s.labels)];
      // A per-component alert of another component does not fire on this component's series (its job differs).
      expect(same.filter((r) => r !== rule && JSON.stringify(r.labels) === JSON.stringify(rule.labels))).toEqual([]);
      return [
        { name: `${name} fires`, interval: '1m', input_series: s.fire, alert_rule_test: [{ eval_time: evalTime(s), alertname: rule.alert, exp_alerts: fires }] },
        { name: `${name} silent below threshold`, interval: '1m', input_series: s.silent, alert_rule_test: [{ eval_time: evalTime(s), alertname: rule.alert, exp_alerts: [] }] },
      ];
    });
    const file = 'alerts.test.yaml';
    await writeFile(join(c().dir, file), stringify({ rule_files: c().files, evaluation_interval: '1m', tests }));
    expect(await promtool(['test', 'rules', file], c().dir)).toMatch(/SUCCESS/);
  }, 120_000);

  it('ServiceDown pages for user-facing components only', () => {
    for (const r of c().rules.filter((x) => x.alert === 'ServiceDown')) {
      expect(r.labels?.severity, r.labels?.component).toBe(USER_FACING_COMPONENTS.has(r.labels!.component!) ? 'critical' : 'warning');
    }
  });
});

// --- recording rules ---------------------------------------------------------------------------------------------

/** Worker series: every histogram observation lies in (100, 200], so quantile q is exactly 100 + 100 q. */
const workerSeries = (job: string, device: string): Series[] => {
  const t = { job, namespace: 'transcoding', endpoint: 'metrics', pod: `${job.split('/')[1]}-7d-a`, container: 'worker', instance: '10.42.0.50:9090' };
  const l = { ...t, device, profile: `h264-1080p`, resolution: '1080p' };
  return [
    counter(TRANSCODE_METRICS.jobs, { ...l, status: 'succeeded' }, 9),
    counter(TRANSCODE_METRICS.jobs, { ...l, status: 'failed' }, 1),
    counter(TRANSCODE_METRICS.jobs, { ...l, status: 'requeued' }, 5),
    ...histogram(TRANSCODE_METRICS.jobDuration, l, [100, 200], 10, 150),
    ...histogram(TRANSCODE_METRICS.queueTime, { ...t, device, profile: 'h264-1080p' }, [100, 200], 10, 150),
    gauge(TRANSCODE_METRICS.speed, { ...t, device, resolution: '1080p' }, 3),
  ];
};

describe.each(['dev-k3d', 'prod-gpu-us-east-1'] as const)('%s: recording rules produce the series the dashboards read', (cluster) => {
  it('promtool: recorded values and every dashboard query over a recorded series has data', async () => {
    const c = built.get(cluster)!;
    const records = c.rules.filter((r) => r.record !== undefined);
    expect(new Set(records.map((r) => r.record))).toEqual(new Set(Object.values(RECORDED)));
    const jobs = [...new Set(records.map((r) => /job="([^"]+)"/.exec(r.expr)![1]!))];
    const input = jobs.flatMap((job) => workerSeries(job, job.endsWith('gpu') ? 'gpu' : 'cpu'));
    const recorded = new Set<string>(Object.values(RECORDED));
    const panelQueries = DASHBOARDS.flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.expr))).filter((e) => parsePromQL(e).metrics.some((m) => recorded.has(m)));
    expect(panelQueries.length).toBeGreaterThanOrEqual(4);
    const one = [{ labels: '{}', value: 1 }];
    const exprTests = [
      ...jobs.flatMap((job) => {
        const device = job.endsWith('gpu') ? 'gpu' : 'cpu';
        return [
          { expr: `round(100 * ${RECORDED.jobSuccessRatio}{job="${job}"})`, eval_time: '30m', exp_samples: [{ labels: `{device="${device}", job="${job}"}`, value: 90 }] },
          ...(['0.5', '0.95', '0.99'] as const).map((q) => ({
            expr: `round(${RECORDED.jobDurationQuantile}{job="${job}", quantile="${q}"})`,
            eval_time: '30m',
            exp_samples: [{ labels: `{device="${device}", job="${job}", quantile="${q}", resolution="1080p"}`, value: 100 + 100 * Number(q) }],
          })),
          { expr: `round(${RECORDED.queueTimeQuantile}{job="${job}", quantile="0.95"})`, eval_time: '30m', exp_samples: [{ labels: `{device="${device}", job="${job}", quantile="0.95"}`, value: 195 }] },
          { expr: `round(${RECORDED.speed}{job="${job}"})`, eval_time: '30m', exp_samples: [{ labels: `{device="${device}", job="${job}", resolution="1080p"}`, value: 3 }] },
        ];
      }),
      ...panelQueries.map((expr) => ({ expr: `count(${expr}) >= bool 1`, eval_time: '30m', exp_samples: one })),
    ];
    const file = 'recording.test.yaml';
    await writeFile(
      join(c.dir, file),
      stringify({ rule_files: c.files, evaluation_interval: '1m', tests: [{ name: 'worker series', interval: '1m', input_series: input, promql_expr_test: exprTests }] }),
    );
    expect(await promtool(['test', 'rules', file], c.dir)).toMatch(/SUCCESS/);
  }, 120_000);
});
