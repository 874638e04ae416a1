// Viewer alerts as Prometheus evaluates them: promtool (the real consumer) checks and unit-tests the PrometheusRules
// that a mesh and a non-mesh cluster actually receive (a real gen + Kustomize build of each cluster's stacks), fed
// with series shaped like the CDN edge's access-log exporter: its metric names, its label names as the shipped
// exporter config yields them, its histogram buckets, and the scrape labels of the edge's ServiceMonitor.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { main } from '../../scripts/cli/gen.ts';
import { EDGE_METRICS } from '../../scripts/components/metrics.ts';
import { EDGE_CACHE, edgeExporterConfig } from '../../scripts/components/streaming/edge-cache.ts';
import { buildMany } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { EDGE_KIND_LABEL, EDGE_REQUEST_KINDS, edgeKindRelabelYaml, HLS_KINDS, type EdgeRequestKind } from '../../scripts/monitoring/edge-traffic.ts';
import { THRESHOLDS } from '../../scripts/monitoring/rules.ts';
import { captureIo, DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../support/fleet.ts';
import { promtool } from '../support/tools.ts';


/* eslint-disable @typescript-eslint/no-explicit-any -- reads loosely typed built objects and exporter YAML */

/** The viewer alerts under test; each must exist on every cluster that runs the edge. */
const VIEWER_ALERTS = ['HlsHigh5xxRate', 'HlsHighLatency', 'EdgeCacheHitRatioLow'] as const;

// --- the exporter as the shipped config sets it up ----------------------------------------------------------------

/** The one namespace of the edge's exporter config. */
const exporterNamespace = (): any => {
  const cfg = parse(edgeExporterConfig());
  expect(cfg.namespaces, 'edgeExporterConfig() declares exactly one namespace').toHaveLength(1);
  return cfg.namespaces[0];
};

/**
 * Label names of every edge metric: the configured relabelings, then the exporter's built-in `method` and `status`
 * (deduplicated by target label), none of them `only_counter` here.
 * Checked: martin-helmich/prometheus-nginxlog-exporter @ v1.11.0 : pkg/metrics/collection_init.go,
 * pkg/relabeling/defaults.go, pkg/relabeling/types.go (UniqueRelabelings).
 */
const exporterLabelNames = (): string[] => {
  const relabels: any[] = exporterNamespace().relabel_configs ?? [];
  expect(relabels.filter((r) => r.only_counter === true), 'no only_counter relabelings (histograms would lack them)').toEqual([]);
  return [...new Set([...relabels.map((r) => String(r.target_label)), 'method', 'status'])].sort();
};

/** Histogram upper bounds (`le`) of the exporter's histograms, +Inf last. */
const exporterBuckets = (): string[] => {
  const buckets: number[] = exporterNamespace().histogram_buckets;
  expect(buckets, 'edgeExporterConfig() sets histogram_buckets').toBeInstanceOf(Array);
  return [...buckets.map(String), '+Inf'];
};

// --- promtool ------------------------------------------------------------------------------------------------------


// --- the clusters' rules, as built ---------------------------------------------------------------------------------

interface ClusterRules {
  readonly cluster: string;
  /** Rule files, one per PrometheusRule (as prometheus-operator writes them), relative to `dir`. */
  readonly files: string[];
  readonly dir: string;
  /** Every rule of the cluster, by alert name (the fixed viewer alerts appear once). */
  readonly rules: Map<string, any>;
  /** Scrape labels Prometheus gives the edge exporter's targets (from the built ServiceMonitor and Service). */
  readonly target: Record<string, string>;
}

let root: string;
let fleet: Fleet;
const built = new Map<'mesh' | 'no-mesh', ClusterRules>();

beforeAll(async () => {
  // Fail at once, with the fix, when promtool is missing; never skip.
  await promtool(['--version'], process.cwd());
  fleet = await loadFleet(DEFAULT_INVENTORY);
  const runsEdge = fleet.clusters.filter((c) => c.stacks.includes('streaming'));
  const picked = {
    mesh: runsEdge.find((c) => c.capabilities.includes('mesh')),
    'no-mesh': runsEdge.find((c) => !c.capabilities.includes('mesh')),
  };
  expect(picked.mesh, 'the default fleet has a mesh cluster running streaming').toBeDefined();
  expect(picked['no-mesh'], 'the default fleet has a non-mesh cluster running streaming').toBeDefined();

  root = await tempDir('viewer-alerts');
  const out = join(root, 'out');
  const io = captureIo();
  const code = await main(['--inventory', DEFAULT_INVENTORY, '--out', out], io.io);
  if (code !== 0) throw new Error(`gen exited ${code}:\n${io.err()}${io.out()}`);
  const wanted = new Set([picked.mesh!.name, picked['no-mesh']!.name]);
  const targets = (await findClusterStackTargets(out)).filter((t) => wanted.has(t.cluster));
  const results = await buildMany(await detectEngine(), targets.map((t) => t.dir));
  for (const [kind, cluster] of Object.entries(picked) as Array<['mesh' | 'no-mesh', { name: string }]>) {
    const objects: any[] = [];
    results.forEach((r, i) => {
      if (targets[i]!.cluster !== cluster.name) return;
      if (!r.ok) throw new Error(`kustomize ${targets[i]!.path}: ${r.error.message}`);
      objects.push(...parseAllDocuments(r.yaml).map((d) => d.toJS()));
    });
    const dir = join(root, 'promtool', cluster.name);
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    const rules = new Map<string, any>();
    for (const pr of objects.filter((o) => o.kind === 'PrometheusRule')) {
      const file = `${pr.metadata.namespace}-${pr.metadata.name}.yaml`;
      await writeFile(join(dir, file), stringify({ groups: pr.spec.groups }));
      files.push(file);
      for (const g of pr.spec.groups) for (const r of g.rules) if (!rules.has(r.alert)) rules.set(r.alert, r);
    }
    const sm = objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === EDGE_CACHE);
    expect(sm, `${cluster.name}: the edge's ServiceMonitor`).toBeDefined();
    const svc = objects.find(
      (o) => o.kind === 'Service' && o.metadata.namespace === sm.metadata.namespace &&
        Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
    // prometheus-operator's target labels of a ServiceMonitor endpoint: job = Service name (no jobLabel set).
    const target = {
      job: svc.metadata.name,
      namespace: sm.metadata.namespace,
      service: svc.metadata.name,
      endpoint: sm.spec.endpoints[0].port,
      container: 'log-exporter',
    };
    built.set(kind, { cluster: cluster.name, files: files.sort(), dir, rules, target });
  }
});

afterAll(async () => {
  if (root !== undefined) await removeDir(root);
});

// --- series shaped like the exporter's --------------------------------------------------------------------------

const MINUTES = 60;

/** Label values of one kind of edge response; label names must be exactly the exporter's. */
interface Traffic {
  readonly kind: EdgeRequestKind;
  readonly status: string;
  readonly cache_status: string;
  readonly method?: string;
  /** Requests per second. */
  readonly rps: number;
  /** Response time of every request of this traffic, seconds. */
  readonly seconds: number;
  readonly pod?: string;
}

const selector = (metric: string, labels: Record<string, string>): string =>
  `${metric}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;

/** `0+<per minute>x<MINUTES>`: a counter growing steadily, sampled every minute. */
const steady = (perMinute: number): string => `0+${perMinute}x${MINUTES}`;

/** The exporter's series for some traffic: the response counter and the response-time histogram. */
const seriesFor = (target: Record<string, string>, traffic: readonly Traffic[]): Array<{ series: string; values: string }> => {
  const names = exporterLabelNames();
  const buckets = exporterBuckets();
  return traffic.flatMap((t) => {
    const own: Record<string, string> = { cache_status: t.cache_status, [EDGE_KIND_LABEL]: t.kind, method: t.method ?? 'GET', status: t.status };
    // Exactly the exporter's label names: a series with a label it never sets would prove nothing.
    expect(Object.keys(own).sort(), 'test series carry exactly the labels edgeExporterConfig() yields').toEqual(names);
    const pod = t.pod ?? 'edge-cache-7d9f8-a';
    const labels = { ...own, ...target, pod, instance: `${pod === 'edge-cache-7d9f8-a' ? '10.0.0.11' : '10.0.0.12'}:4040` };
    const perMinute = t.rps * 60;
    return [
      { series: selector(EDGE_METRICS.responses, labels), values: steady(perMinute) },
      ...buckets.map((le) => ({
        series: selector(`${EDGE_METRICS.responseTime}_bucket`, { ...labels, le }),
        values: steady(le === '+Inf' || t.seconds <= Number(le) ? perMinute : 0),
      })),
      { series: selector(`${EDGE_METRICS.responseTime}_sum`, labels), values: steady(perMinute * t.seconds) },
      { series: selector(`${EDGE_METRICS.responseTime}_count`, labels), values: steady(perMinute) },
    ];
  });
};

/** What promtool compares: the alert's labels and its annotations with `{{ $labels.x }}` expanded. */
const expected = (rule: any, labels: Record<string, string>): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } => {
  const all = { ...labels, ...rule.labels };
  const expand = (s: string): string => s.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, k: string) => all[k] ?? '');
  return {
    exp_labels: all,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations as Record<string, string>).map(([k, v]) => [k, expand(v)])),
  };
};

const HEALTHY_HLS: Traffic[] = [
  { kind: 'segment', status: '200', cache_status: 'HIT', rps: 8, seconds: 0.08 },
  { kind: 'segment', status: '200', cache_status: 'HIT', rps: 8, seconds: 0.08, pod: 'edge-cache-7d9f8-b' },
  { kind: 'segment', status: '200', cache_status: 'MISS', rps: 0.5, seconds: 0.4 },
  { kind: 'playlist', status: '200', cache_status: 'HIT', rps: 2, seconds: 0.004 },
  { kind: 'playlist', status: '200', cache_status: 'EXPIRED', rps: 0.5, seconds: 0.03 },
];

/** Scenarios: what viewers see, and which viewer alerts must (not) fire. */
const scenarios = (c: ClusterRules): Array<{ name: string; traffic: Traffic[]; evalTime: string; fires: Partial<Record<(typeof VIEWER_ALERTS)[number], Array<Record<string, string>>>> }> => {
  const edge = { namespace: c.target.namespace!, job: c.target.job! };
  return [
    {
      name: 'healthy traffic, 4xx and a trickle of 5xx, long-lived FLV viewers',
      traffic: [
        ...HEALTHY_HLS,
        { kind: 'other', status: '404', cache_status: '-', rps: 0.5, seconds: 0.001 },
        { kind: 'segment', status: '503', cache_status: 'MISS', rps: 0.1, seconds: 0.2 },
        // An FLV response lasts as long as the viewer watches: every one of them is "slower" than any bucket.
        { kind: 'flv', status: '200', cache_status: '-', rps: 1, seconds: 1800 },
      ],
      // Late enough for the slowest `for` (30m) to have elapsed.
      evalTime: '45m',
      fires: { HlsHigh5xxRate: [], HlsHighLatency: [], EdgeCacheHitRatioLow: [] },
    },
    {
      name: 'cache cold: most HLS responses are misses (FLV, uncached, is not counted)',
      traffic: [
        { kind: 'segment', status: '200', cache_status: 'MISS', rps: 8, seconds: 0.3 },
        { kind: 'segment', status: '200', cache_status: 'HIT', rps: 4, seconds: 0.05 },
        { kind: 'playlist', status: '200', cache_status: 'HIT', rps: 2, seconds: 0.004 },
        { kind: 'flv', status: '200', cache_status: '-', rps: 0.2, seconds: 1800 },
      ],
      evalTime: '45m',
      fires: { HlsHigh5xxRate: [], HlsHighLatency: [], EdgeCacheHitRatioLow: [{}] },
    },
    {
      name: 'HLS playlists fail with 502 on one edge pod',
      traffic: [...HEALTHY_HLS, { kind: 'playlist', status: '502', cache_status: 'MISS', rps: 1, seconds: 0.01 }],
      evalTime: '15m',
      fires: { HlsHigh5xxRate: [edge], HlsHighLatency: [] },
    },
    {
      name: 'HTTP-FLV viewers get 502',
      traffic: [...HEALTHY_HLS, { kind: 'flv', status: '502', cache_status: '-', rps: 1, seconds: 0.01 }],
      evalTime: '15m',
      fires: { HlsHigh5xxRate: [edge] },
    },
    {
      name: 'segments slow (10% above the threshold), playlists fast',
      traffic: [
        ...HEALTHY_HLS,
        { kind: 'segment', status: '200', cache_status: 'MISS', rps: 2, seconds: THRESHOLDS.hlsP95Seconds * 1.5, pod: 'edge-cache-7d9f8-b' },
      ],
      evalTime: '20m',
      fires: { HlsHigh5xxRate: [], HlsHighLatency: [{ ...edge, [EDGE_KIND_LABEL]: 'segment' }] },
    },
  ];
};

describe('the edge exporter config yields what the viewer alerts read', () => {
  it('metric names carry the exporter namespace as prefix', () => {
    const ns = exporterNamespace();
    for (const m of Object.values(EDGE_METRICS)) expect(m.startsWith(`${ns.name}_http_`), m).toBe(true);
  });

  it('the log format has $request_time (feeds the response-time histogram), $request, $status, $upstream_cache_status', () => {
    const format: string = exporterNamespace().format;
    // Checked: prometheus-nginxlog-exporter @ v1.11.0 : main.go observes ResponseSecondsHist from field request_time.
    for (const v of ['request_time', 'request', 'status', 'upstream_cache_status']) {
      expect(format, `edgeExporterConfig() format lacks $${v}`).toMatch(new RegExp(`\\$${v}(?![a-z_])`));
    }
  });

  it(`relabels the request path into \`${EDGE_KIND_LABEL}\` as edge-traffic.ts defines it`, () => {
    const relabels: any[] = exporterNamespace().relabel_configs ?? [];
    const kind = relabels.find((r) => r.target_label === EDGE_KIND_LABEL);
    expect(kind, `edgeExporterConfig() has no relabel_configs entry for ${EDGE_KIND_LABEL}: add edgeKindRelabelYaml()`).toEqual(parse(edgeKindRelabelYaml('').join('\n'))[0]);
  });

  it('the latency threshold is one of the exporter histogram buckets (exact, not interpolated)', () => {
    expect(exporterNamespace().histogram_buckets).toContain(THRESHOLDS.hlsP95Seconds);
  });

  // The exporter's mapping (pkg/relabeling/mapping.go): 2nd space-separated field of $request, first matching regexp's
  // replacement over the whole match.
  const kindOf = (request: string): string => {
    const path = request.split(' ')[1] ?? '';
    const hit = EDGE_REQUEST_KINDS.find((k) => new RegExp(k.regexp).test(path));
    return hit === undefined ? '' : path.replace(new RegExp(hit.regexp, 'g'), hit.kind);
  };
  it.each([
    ['GET /live/stream1/index.m3u8 HTTP/1.1', 'playlist'],
    ['GET /live/stream1/index.m3u8?token=abc HTTP/1.1', 'playlist'],
    ['GET /live/stream1/1712345678.ts HTTP/1.1', 'segment'],
    ['HEAD /live/stream1/init.mp4 HTTP/1.1', 'segment'],
    ['GET /live/stream1/audio-12.aac?x=1 HTTP/1.1', 'segment'],
    ['GET /live/stream1.flv HTTP/1.1', 'flv'],
    ['GET /live/stream1.flv?session=9 HTTP/1.1', 'flv'],
    ['GET / HTTP/1.1', 'other'],
    ['GET /live/stream1.m3u8.bak HTTP/1.1', 'other'],
    ['-', 'other'],
  ])('%s → %s', (request, kind) => {
    expect(kindOf(request)).toBe(kind);
    if (kind === 'flv') expect(HLS_KINDS).not.toContain(kind);
  });
});

describe.each(['mesh', 'no-mesh'] as const)('viewer alerts on a %s cluster, through promtool', (which) => {
  const rules = (): ClusterRules => built.get(which)!;

  it('the cluster receives every viewer alert, identical on mesh and non-mesh clusters', () => {
    for (const a of VIEWER_ALERTS) {
      expect(rules().rules.get(a), `${rules().cluster}: ${a}`).toBeDefined();
      expect(rules().rules.get(a)).toEqual(built.get(which === 'mesh' ? 'no-mesh' : 'mesh')!.rules.get(a));
    }
  });

  it('no viewer alert reads ingress-nginx or Istio metrics', () => {
    for (const a of VIEWER_ALERTS) expect(rules().rules.get(a).expr).not.toMatch(/nginx_ingress_|istio_/);
  });

  it('promtool check rules accepts every rule file of the cluster', async () => {
    const c = rules();
    expect(c.files.length).toBeGreaterThan(0);
    const out = await promtool(['check', 'rules', ...c.files], c.dir);
    expect(out).toMatch(/SUCCESS/);
  });

  it('promtool test rules: viewer alerts fire on 5xx and latency trouble, stay silent on healthy traffic', async () => {
    const c = rules();
    // Unit-test file keys: prometheus/prometheus @ v2.42.0 (Debian's promtool) : cmd/promtool/unittest.go (strict
    // YAML; expected alerts compare labels and expanded annotations exactly, alertname added by promtool).
    const tests = scenarios(c).map((s) => ({
      name: s.name,
      interval: '1m',
      input_series: seriesFor(c.target, s.traffic),
      alert_rule_test: Object.entries(s.fires).map(([alertname, alerts]) => ({
        eval_time: s.evalTime,
        alertname,
        exp_alerts: alerts!.map((labels) => expected(c.rules.get(alertname), labels)),
      })),
    }));
    const testFile = `${which}-viewer-alerts.test.yaml`;
    const doc = { rule_files: c.files, evaluation_interval: '1m', tests };
    await writeFile(join(c.dir, testFile), stringify(doc));
    const out = await promtool(['test', 'rules', testFile], c.dir);
    expect(out).toMatch(/SUCCESS/);
  });
});
