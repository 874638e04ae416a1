// "A component with a metrics port and no monitor is an error": a pure check over the components' base objects.
// A container port named `metrics` or `*-metrics` must be scraped by a PodMonitor (selecting the pods, on that
// port name) or a ServiceMonitor (selecting a Service of the component that targets that port) among the
// component's own objects, so adding a metrics port without its monitor fails `pnpm gen` naming the component.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { BaseContext, Component, K8sObject } from '../components/component.ts';
import { isKnownExporterMetric, type KnownExporter } from './known-exporters.ts';
import { parser } from '@prometheus-io/lezer-promql';
import type { ExpressionToCheck } from './promql.ts';
import { duplicateScrapes, scrapeTargets, type ScrapeTarget } from './scrape-model.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

type Labels = Readonly<Record<string, string>>;

interface MetricsPort {
  readonly workload: string;
  readonly podLabels: Labels;
  readonly name: string;
  readonly number: number;
}

export const isMetricsPortName = (name: string): boolean => name === 'metrics' || name.endsWith('-metrics');

/** Whether every `selector` label is in `labels` (an empty selector selects nothing here: it is never intended). */
const selects = (selector: Labels | undefined, labels: Labels | undefined): boolean =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/* eslint-disable @typescript-eslint/no-explicit-any -- walks loosely typed K8sObjects of every kind */
const metricsPorts = (objects: readonly K8sObject[]): MetricsPort[] =>
  objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .flatMap((o) => {
      const template = (o as any).spec?.template;
      const podLabels: Labels = template?.metadata?.labels ?? {};
      const containers: any[] = [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])];
      return containers.flatMap((c) =>
        (c.ports ?? [])
          .filter((p: any) => typeof p.name === 'string' && isMetricsPortName(p.name))
          .map((p: any) => ({ workload: `${o.kind}/${o.metadata.name}`, podLabels, name: p.name as string, number: p.containerPort as number })),
      );
    });

const coveredByPodMonitor = (port: MetricsPort, objects: readonly K8sObject[]): boolean =>
  objects.some(
    (o: any) =>
      o.kind === 'PodMonitor' &&
      selects(o.spec?.selector?.matchLabels, port.podLabels) &&
      (o.spec?.podMetricsEndpoints ?? []).some((e: any) => e.port === port.name),
  );

const coveredByServiceMonitor = (port: MetricsPort, objects: readonly K8sObject[]): boolean =>
  objects.some((sm: any) => {
    if (sm.kind !== 'ServiceMonitor') return false;
    const endpointPorts = new Set((sm.spec?.endpoints ?? []).map((e: any) => e.port));
    return objects.some(
      (svc: any) =>
        svc.kind === 'Service' &&
        selects(sm.spec?.selector?.matchLabels, svc.metadata?.labels) &&
        selects(svc.spec?.selector, port.podLabels) &&
        (svc.spec?.ports ?? []).some(
          (p: any) =>
            endpointPorts.has(p.name) &&
            (p.targetPort === port.name || p.targetPort === port.number || (p.targetPort === undefined && p.port === port.number)),
        ),
    );
  });
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Problems (one per unscraped metrics port) of one component's objects. */
export const unmonitoredMetricsPorts = (component: string, objects: readonly K8sObject[]): string[] =>
  metricsPorts(objects)
    .filter((p) => !coveredByPodMonitor(p, objects) && !coveredByServiceMonitor(p, objects))
    .map(
      (p) =>
        `component ${component}: ${p.workload} has metrics port "${p.name}" (${p.number}) but no ServiceMonitor or PodMonitor of the component scrapes it; add podMonitor()/serviceMonitor() from scripts/components/monitors.ts to its base objects`,
    );

/** Every unscraped metrics port of the fleet's components (excluding `skip`, e.g. the caller itself). */
export const checkMonitors = (ctx: BaseContext, skip: readonly string[] = []): string[] =>
  ctx.components
    .filter((c: Component) => !skip.includes(c.name))
    .flatMap((c) => unmonitoredMetricsPorts(c.name, c.base(ctx)));

/** Throws once with every problem, so `pnpm gen` fails naming each culprit. */
export const assertMonitored = (ctx: BaseContext, skip: readonly string[] = []): void => {
  const problems = checkMonitors(ctx, skip);
  if (problems.length > 0) throw new CliError(`metrics ports without a monitor:\n  ${problems.join('\n  ')}\nnothing was written`, ExitCode.Findings);
};

/* ---------- Every query selects series that exist on the cluster it ships to ---------- */

export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}
export interface VectorSelectorInfo {
  /** Metric name (from the identifier or a `__name__="…"` matcher); undefined = selected by labels only. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

/** A PromQL string literal's value: double quotes with Go escapes, single quotes, or raw backticks. */
const stringValue = (lit: string): string => {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  if (lit.startsWith("'")) return JSON.parse(`"${lit.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(lit) as string;
};

/**
 * Every vector selector of an expression (also those under range selectors), with Prometheus' own grammar. Memoised:
 * every cluster checks the same few hundred rule and panel expressions.
 */
export const vectorSelectors = (expr: string): VectorSelectorInfo[] => {
  let found = selectorsOf.get(expr);
  if (found === undefined) selectorsOf.set(expr, (found = parseSelectors(expr)));
  return found.map((s) => ({ metric: s.metric, matchers: [...s.matchers] }));
};
const selectorsOf = new Map<string, readonly VectorSelectorInfo[]>();

const parseSelectors = (expr: string): VectorSelectorInfo[] => {
  const tree = parser.parse(expr);
  const out: VectorSelectorInfo[] = [];
  let broken = false;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) broken = true;
      if (node.name !== 'VectorSelector') return;
      let metric: string | undefined;
      const matchers: LabelMatcher[] = [];
      const sel = node.node;
      const ident = sel.getChild('Identifier');
      if (ident) metric = expr.slice(ident.from, ident.to);
      for (const m of sel.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const lit = m.getChild('StringLiteral');
        if (!name || !op || !lit) continue;
        const matcher: LabelMatcher = { label: expr.slice(name.from, name.to), op: expr.slice(op.from, op.to) as LabelMatcher['op'], value: stringValue(expr.slice(lit.from, lit.to)) };
        if (matcher.label === '__name__' && matcher.op === '=') metric = matcher.value;
        else matchers.push(matcher);
      }
      out.push({ metric, matchers });
    },
  });
  if (broken) throw new Error(`PromQL does not parse: ${expr}`);
  return out;
};

/** What one cluster receives, grouped by the component whose unit carries the objects. */
export interface ClusterObjects {
  readonly cluster: string;
  readonly units: ReadonlyArray<{ readonly component?: string; readonly metrics: readonly string[]; readonly objects: readonly K8sObject[] }>;
  /** Exporters present on the cluster (known-exporters.ts, filtered by the cluster's capabilities). */
  readonly exporters: readonly KnownExporter[];
}

/**
 * Scrape targets of the kube-prometheus-stack add-on's own ServiceMonitors, which every cluster runs but this
 * render does not produce: only their `job` and `namespace` are modelled (for `up{job=…}`); their other labels are
 * unknown here, so matchers on them are not checked.
 * Checked: prometheus-community/helm-charts @ kube-prometheus-stack-88.5.3 : charts/kube-prometheus-stack/values.yaml
 * (kubeApiServer.serviceMonitor.jobLabel component; kubelet jobLabel k8s-app in templates/exporters/kubelet/
 * servicemonitor.yaml; prometheus-node-exporter podLabels jobLabel=node-exporter with prometheus.monitor.jobLabel
 * jobLabel; the operator's ServiceMonitor sets no jobLabel, so its job is its Service name) and
 * kube-state-metrics-8.4.0 : charts/kube-state-metrics/templates/servicemonitor.yaml (jobLabel app.kubernetes.io/name).
 * Service names and namespaces: scripts/platform/chart-catalog/prometheus-operator.json.
 */
export const ADDON_TARGETS: ReadonlyArray<{ readonly job: string; readonly namespace: string }> = [
  { job: 'apiserver', namespace: 'default' },
  { job: 'kubelet', namespace: 'kube-system' },
  { job: 'kube-state-metrics', namespace: 'monitoring-operator' },
  { job: 'node-exporter', namespace: 'monitoring-operator' },
  { job: 'prometheus-operator-kube-p-operator', namespace: 'monitoring-operator' },
];

/** Target labels the check holds queries to; the others come from the exporters' series. */
const TARGET_LABELS = new Set(['job', 'namespace', 'service', 'pod', 'container', 'endpoint']);

interface Candidate {
  readonly labels: Readonly<Record<string, string>>;
  /** Labels whose value is unknown here (add-on targets) or may come from the series (honor_labels). */
  readonly open: (label: string) => boolean;
  readonly describe: string;
}

const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'] as const;

const regexes = new Map<string, RegExp>();
/** PromQL regex matchers are anchored at both ends. */
const anchoredRegex = (re: string): RegExp => {
  let r = regexes.get(re);
  if (r === undefined) regexes.set(re, (r = new RegExp(`^(?:${re})$`)));
  return r;
};

const matcherHolds = (m: LabelMatcher, value: string): boolean => {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchoredRegex(m.value).test(value);
    case '!~':
      return !anchoredRegex(m.value).test(value);
  }
};

const selectorText = (s: VectorSelectorInfo): string =>
  `${s.metric ?? ''}{${s.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ')}}`;

/** The model of one cluster: which targets expose each metric name. */
export interface ClusterSeriesModel {
  readonly cluster: string;
  readonly targets: readonly ScrapeTarget[];
  /** Candidates for a metric name; undefined = no target of the cluster exposes it. `open` = labels not modelled. */
  readonly candidates: (metric: string) => readonly Candidate[] | undefined;
  readonly duplicates: readonly string[];
}

export const clusterSeriesModel = (input: ClusterObjects): ClusterSeriesModel => {
  const objects = input.units.flatMap((u) => u.objects);
  const targets = scrapeTargets(objects);
  // The component whose unit carries the workload behind a target exposes its `metrics` there.
  const metricsOfBacking = new Map<string, readonly string[]>();
  for (const u of input.units) {
    for (const o of u.objects) metricsOfBacking.set(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, u.metrics);
  }
  const recorded = new Set(
    objects
      .filter((o) => o.kind === 'PrometheusRule')
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- PrometheusRule spec
      .flatMap((o: any) => (o.spec?.groups ?? []).flatMap((g: any) => (g.rules ?? []).map((r: any) => r.record).filter((r: unknown) => typeof r === 'string'))),
  );
  const asCandidate = (t: ScrapeTarget): Candidate => ({
    labels: t.labels,
    // honor_labels: the exporter's own namespace/pod/… labels win over the target's; only the job is the target's.
    open: (l) => t.honorLabels && l !== 'job',
    describe: `job="${t.labels.job}"`,
  });
  const addon = ADDON_TARGETS.map((a): Candidate => ({ labels: a, open: (l) => l !== 'job' && l !== 'namespace', describe: `job="${a.job}" (add-on)` }));
  const candidates = (metric: string): readonly Candidate[] | undefined => {
    if (metric === 'up') return [...targets.map(asCandidate), ...addon];
    if (recorded.has(metric)) return [{ labels: {}, open: () => true, describe: 'recording rule' }];
    const base = HISTOGRAM_SERIES.find((s) => metric.endsWith(s));
    const declares = (ms: readonly string[]): boolean => ms.includes(metric) || (base !== undefined && ms.includes(metric.slice(0, -base.length)));
    const fromComponents = targets.filter((t) => declares(metricsOfBacking.get(t.backing) ?? [])).map(asCandidate);
    if (fromComponents.length > 0) return fromComponents;
    // Exporters' series: present or not; their labels are the exporters' own.
    if (isKnownExporterMetric(metric, input.exporters)) return [{ labels: {}, open: () => true, describe: 'known exporter' }];
    return undefined;
  };
  return { cluster: input.cluster, targets, candidates, duplicates: duplicateScrapes(targets) };
};

/** Problems of expressions on one cluster: selectors whose metric no target exposes or whose matchers no target meets. */
export const checkSelectedSeries = (model: ClusterSeriesModel, exprs: readonly ExpressionToCheck[]): string[] => {
  const problems: string[] = [];
  for (const e of exprs) {
    let selectors: VectorSelectorInfo[];
    try {
      selectors = vectorSelectors(e.expr);
    } catch (err) {
      problems.push(`cluster ${model.cluster}: ${e.where}: ${(err as Error).message}`);
      continue;
    }
    for (const s of selectors) {
      if (s.metric === undefined) continue;
      const cands = model.candidates(s.metric);
      if (cands === undefined) {
        problems.push(`cluster ${model.cluster}: ${e.where}: ${selectorText(s)} selects no series: no target of the cluster exposes ${s.metric}`);
        continue;
      }
      const checked = s.matchers.filter((m) => TARGET_LABELS.has(m.label));
      const ok = cands.some((c) => checked.every((m) => c.open(m.label) || matcherHolds(m, c.labels[m.label] ?? '')));
      if (!ok) {
        const seen = [...new Set(cands.map((c) => c.describe))].join(', ');
        problems.push(
          `cluster ${model.cluster}: ${e.where}: ${selectorText(s)} selects no series: no target exposing ${s.metric} has ${checked.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ')} (targets: ${seen})`,
        );
      }
    }
  }
  return problems;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- reads PrometheusRules and dashboard ConfigMaps */
/** Every rule expression (alerting and recording) among the objects, named for messages. */
export const ruleExpressions = (objects: readonly K8sObject[]): ExpressionToCheck[] =>
  objects
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o: any) =>
      (o.spec?.groups ?? []).flatMap((g: any) =>
        (g.rules ?? [])
          .filter((r: any) => typeof r.expr === 'string')
          .map((r: any) => ({
            where: `rule ${r.alert ?? r.record}${r.labels?.component ? ` (${r.labels.component})` : ''} [PrometheusRule ${o.metadata.namespace}/${o.metadata.name}]`,
            expr: r.expr as string,
          })),
      ),
    );

/** Every Prometheus query of the Grafana dashboards among the objects (ConfigMap data `*.json` with panels). */
export const dashboardExpressions = (objects: readonly K8sObject[]): ExpressionToCheck[] => {
  const out: ExpressionToCheck[] = [];
  const walk = (uid: string, panels: any[]): void => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (typeof t.expr === 'string') out.push({ where: `dashboard ${uid} panel "${p.title}"`, expr: t.expr });
      walk(uid, p.panels);
    }
  };
  for (const o of objects as any[]) {
    if (o.kind !== 'ConfigMap') continue;
    for (const [key, value] of Object.entries(o.data ?? {})) {
      if (!key.endsWith('.json') || typeof value !== 'string') continue;
      let doc: any;
      try {
        doc = JSON.parse(value);
      } catch {
        continue;
      }
      if (Array.isArray(doc?.panels)) walk(doc.uid ?? key, doc.panels);
    }
  }
  return out;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The gen-time check: per cluster, every rule and dashboard query it receives selects series some target of that
 * cluster exposes, with target labels (job, namespace, service, pod, container, endpoint) a target really has, and
 * no target is scraped twice. Messages name the cluster, the rule or panel and the missing series.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- projects loosely typed objects */
/** The parts of an object the scrape model and the query check read; anything else (hosts, checksums) is left out. */
const modelView = (o: any): unknown => {
  const id = [o.kind, o.metadata?.namespace, o.metadata?.name];
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet': {
      const t = o.spec?.template ?? {};
      const containers = (cs: any[] | undefined): unknown => (cs ?? []).map((c) => [c.name, c.image, c.ports]);
      return [...id, t.metadata?.labels, containers(t.spec?.containers), containers(t.spec?.initContainers)];
    }
    case 'Service':
      return [...id, o.metadata?.labels, o.spec?.selector, o.spec?.ports, o.spec?.clusterIP];
    case 'ServiceMonitor':
    case 'PodMonitor':
    case 'PrometheusRule':
      return [...id, o.metadata?.labels, o.spec];
    case 'ConfigMap':
      return [...id, Object.entries(o.data ?? {}).filter(([k]) => k.endsWith('.json'))];
    default:
      return undefined;
  }
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Two clusters with the same fingerprint get the same findings (but for their names). */
const fingerprint = (c: ClusterObjects): string =>
  JSON.stringify([
    c.exporters.map((e) => e.name),
    c.units.map((u) => [u.component, u.metrics, u.objects.map(modelView).filter((v) => v !== undefined)]),
  ]);

/** Stands for the cluster's name while a fingerprint's findings are computed once. */
const CLUSTER_PLACEHOLDER = '\u0000cluster\u0000';

const checkOneCluster = (c: ClusterObjects): string[] => {
  const model = clusterSeriesModel(c);
  const objects = c.units.flatMap((u) => u.objects);
  return [
    ...model.duplicates.map((d) => `cluster ${c.cluster}: ${d}`),
    ...checkSelectedSeries(model, [...ruleExpressions(objects), ...dashboardExpressions(objects)]),
  ];
};

/**
 * Findings of every cluster. Clusters of one environment, stacks and capabilities differ only in names and hosts,
 * which the model does not read: each distinct fingerprint is modelled once (gen of 1,000 synthetic clusters spent
 * 7 s modelling them one by one; see pnpm bench).
 */
export const checkClusterQueries = (clusters: readonly ClusterObjects[]): string[] => {
  const byFingerprint = new Map<string, readonly string[]>();
  return clusters.flatMap((c) => {
    const key = fingerprint(c);
    let findings = byFingerprint.get(key);
    if (findings === undefined) byFingerprint.set(key, (findings = checkOneCluster({ ...c, cluster: CLUSTER_PLACEHOLDER })));
    return findings.map((f) => f.split(CLUSTER_PLACEHOLDER).join(c.cluster));
  });
};
