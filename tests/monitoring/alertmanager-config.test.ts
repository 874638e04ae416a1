// The Alertmanager configuration as Alertmanager loads it: the operator's translation of our AlertmanagerConfig
// (alertmanager-operator.ts) with placeholder secrets, checked and route-tested by amtool, and its inhibit rules
// evaluated with Alertmanager's semantics against the label sets the rendered alert rules really produce.
// The configuration comes from the component (the shipped fleet, and the fleet with an e-mail receiver); the rules,
// the Alertmanager version and the ServiceMonitors from a Kustomize build of the generated tree in Git (what Argo CD
// applies), so the test does not depend on a full `gen` of work in progress elsewhere.
//
// amtool is the Debian `prometheus-alertmanager` build (0.25 on the CI image); the fleet pins Alertmanager v0.28.0.
// Checked: prometheus/alertmanager v0.25.0..v0.28.0 : dispatch/route.go Route.Match and cli/test_routing.go are
// unchanged in behaviour, and the config uses only fields both versions know (classic `name="value"` matchers,
// which 0.28's UTF-8 matcher parser also accepts), so the 0.25 tool's verdict holds for 0.28.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { COMPONENTS } from '../../scripts/components/catalog.ts';
import { alertmanagerComponent, RECEIVERS_SECRET } from '../../scripts/components/monitoring/alertmanager.ts';
import { baseContextFor } from '../../scripts/components/placement.ts';
import { STACKS } from '../../scripts/inventory/schema.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { buildMany } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import { DEFAULT_INVENTORY, loadFleet, removeDir, REPO_ROOT, tempDir } from '../support/fleet.ts';
import type { BuiltObject } from '../support/rendered.ts';
import { inhibitRulesOf, isInhibited, operatorAlertmanagerYaml, parseMatcher, type InhibitRule, type LabelSet } from './alertmanager-operator.ts';
import { amtool } from '../support/tools.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed built objects */


const EMAIL = { to: 'oncall@example.org', from: 'alertmanager@example.org', smarthost: 'smtp.example.org:587', authUsername: 'alertmanager' };
const PREFIX = 'monitoring/alertmanager/';
const PAGERDUTY = `${PREFIX}pagerduty`;
const SLACK = `${PREFIX}slack`;
const MAIL = `${PREFIX}email`;

/** Placeholder values of the receivers Secret, as the ExternalSecret would materialise it. */
const PLACEHOLDERS: Record<string, string> = {
  'pagerduty-routing-key': 'placeholder-routing-key',
  'slack-webhook-url': 'https://slack.example.invalid/services/placeholder',
  'smtp-auth-password': 'placeholder-password',
};

let fleet: Fleet;
let clusters: string[];
let dir: string;
const builds = new Map<string, BuiltObject[]>();

const objects = (cluster: string, stack: string): BuiltObject[] => {
  const got = builds.get(`${cluster}/${stack}`);
  if (got === undefined) throw new Error(`clusters/${cluster}/${stack} was not built`);
  return got;
};
const find = (cluster: string, stack: string, kind: string, name: string): BuiltObject => {
  const o = objects(cluster, stack).find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind}/${name} in clusters/${cluster}/${stack}`);
  return o;
};

beforeAll(async () => {
  // Fail at once, with the fix, when amtool is missing; never skip.
  await amtool(['--version']);
  dir = await tempDir('alertmanager-config');
  fleet = await loadFleet(DEFAULT_INVENTORY);
  clusters = fleet.clusters.filter((c) => c.stacks.includes('monitoring')).map((c) => c.name);
  const targets = await findClusterStackTargets(REPO_ROOT);
  const results = await buildMany(await detectEngine(), targets.map((t) => t.dir));
  results.forEach((r, i) => {
    if (!r.ok) throw new Error(`kustomize ${targets[i]!.path}: ${r.error.message}`);
    builds.set(`${targets[i]!.cluster}/${targets[i]!.stack}`, parseAllDocuments(r.yaml).map((d) => d.toJS() as BuiltObject));
  });
}, 600_000);
afterAll(async () => {
  if (dir) await removeDir(dir);
});

/** alertmanager.yaml for a config and its ExternalSecret; the secret lookup fails like the operator's store would. */
const generate = (config: any, externalSecret: any, amVersion: string): string => {
  const keys = new Set<string>(externalSecret.spec.data.map((d: any) => d.secretKey));
  return operatorAlertmanagerYaml(config, amVersion, (ref) => {
    if (ref.name !== externalSecret.spec.target.name || !keys.has(ref.key)) throw new Error(`Secret ${ref.name} has no key ${ref.key}`);
    const v = PLACEHOLDERS[ref.key];
    if (v === undefined) throw new Error(`no placeholder for ${ref.key}`);
    return v;
  });
};

let files = 0;
const writeConfig = async (yamlText: string): Promise<string> => {
  const file = join(dir, `alertmanager-${files++}.yaml`);
  await writeFile(file, yamlText);
  return file;
};

const amVersionOf = (cluster: string): string => (find(cluster, 'monitoring', 'Alertmanager', 'alertmanager').spec as any).version;

const withEmail = (f: Fleet, email: Record<string, unknown> = EMAIL): Fleet => ({ ...f, monitoring: { ...f.monitoring, email: email as any } });

/** The configuration the component renders for `f`, as the operator of `cluster` turns it into alertmanager.yaml. */
const componentYaml = (f: Fleet, cluster = clusters[0]!): string => {
  const built = alertmanagerComponent.base(baseContextFor(f, COMPONENTS));
  const of = (kind: string): any => built.find((o) => o.kind === kind)!;
  return generate(of('AlertmanagerConfig'), of('ExternalSecret'), amVersionOf(cluster));
};
const builtYaml = (cluster: string): string => componentYaml(withEmail(fleet), cluster);

// --- the alerts each cluster really sends -------------------------------------------------------------------------

/** Every alerting rule a cluster receives (rules ship with their components in every stack's Application). */
const rulesOf = (cluster: string): any[] =>
  STACKS.flatMap((stack) => (fleet.clusters.find((c) => c.name === cluster)!.stacks.includes(stack) ? objects(cluster, stack) : []))
    .filter((o: BuiltObject) => o.kind === 'PrometheusRule')
    .flatMap((o) => (o.spec as any).groups.flatMap((g: any) => g.rules))
    .filter((r: any) => r.alert !== undefined);

/**
 * Labels of a scrape target of a ServiceMonitor/PodMonitor endpoint (Checked: prometheus-operator @ v0.93.0 :
 * pkg/prometheus/promcfg.go target_label namespace, service, pod, container, endpoint, job; `instance` is
 * Prometheus' own). PodMonitor targets have no `service`; no inhibit rule compares it.
 */
const TARGET_LABELS = ['job', 'instance', 'namespace', 'service', 'pod', 'container', 'endpoint'];

/**
 * Labels an exporter puts on its series, and whether its ServiceMonitor honours them: when not, a label the target
 * also has is renamed `exported_<name>` by Prometheus.
 * - kubelet: Checked: kubernetes/kubernetes (stored version 03ac3ef, the snapshot is too large to fetch) :
 *   pkg/kubelet/metrics/collectors/volume_stats.go — namespace, persistentvolumeclaim; our kubelet ServiceMonitor
 *   sets honorLabels (asserted below).
 * - cert-manager: Checked: cert-manager/cert-manager @ v1.20.3 : internal/collectors/certificate_collector.go —
 *   name, namespace, issuer_name, issuer_kind, issuer_group; deploy/charts/cert-manager/values.yaml
 *   prometheus.servicemonitor.honorLabels defaults to false, and the add-on values do not set it.
 */
const EXPORTER_LABELS: ReadonlyArray<{ readonly match: RegExp; readonly labels: readonly string[]; readonly honorLabels: boolean }> = [
  { match: /^kubelet_volume_stats_/, labels: ['namespace', 'persistentvolumeclaim'], honorLabels: true },
  { match: /^certmanager_certificate_expiration_timestamp_seconds$/, labels: ['name', 'namespace', 'issuer_name', 'issuer_kind', 'issuer_group'], honorLabels: false },
];

/** Output labels of a PromQL expression, with the value when a selector fixes it (`job="x"`); null = scalar. */
type Out = Map<string, string | undefined> | null;

const seriesLabels = (metric: string, fixed: Map<string, string>): Map<string, string | undefined> => {
  const out = new Map<string, string | undefined>(TARGET_LABELS.map((l) => [l, undefined]));
  const exporter = EXPORTER_LABELS.find((e) => e.match.test(metric));
  for (const l of exporter?.labels ?? []) out.set(!exporter!.honorLabels && out.has(l) ? `exported_${l}` : l, undefined);
  for (const [l, v] of fixed) out.set(l, v);
  return out;
};

const outputLabels = (expr: string): Out => {
  const text = (n: any): string => expr.slice(n.from, n.to);
  const kids = (n: any): any[] => {
    const out: any[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const labelNames = (n: any): string[] => kids(n).filter((c) => c.name === 'LabelName').map(text);
  const visit = (n: any): Out => {
    switch (n.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'MatrixSelector':
        return visit(kids(n).find((c) => !['Sub', 'Add', 'LeftParen', 'RightParen'].includes(c.name))!);
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        return null;
      case 'VectorSelector': {
        const fixed = new Map<string, string>();
        for (const m of kids(kids(n).find((c) => c.name === 'LabelMatchers') ?? { firstChild: null })) {
          const [name, op, value] = kids(m);
          if (op && text(op) === '=') fixed.set(text(name), JSON.parse(text(value)));
        }
        const id = kids(n).find((c) => c.name === 'Identifier');
        return seriesLabels(id ? text(id) : '', fixed);
      }
      case 'FunctionCall': {
        const fn = text(kids(n).find((c) => c.name === 'FunctionIdentifier'));
        const args = kids(kids(n).find((c) => c.name === 'FunctionCallBody')).map(visit);
        if (fn === 'time' || fn === 'scalar') return null;
        const vec = args.find((a) => a !== null);
        if (vec === undefined) throw new Error(`no vector argument in ${text(n)}`);
        const out = new Map(vec);
        if (fn === 'histogram_quantile') out.delete('le');
        return out;
      }
      case 'AggregateExpr': {
        const mod = kids(n).find((c) => c.name === 'AggregateModifier');
        const body = kids(kids(n).find((c) => c.name === 'FunctionCallBody')).map(visit);
        const inner = body.find((a) => a !== null)!;
        if (!mod) return new Map();
        const [kind, grouping] = kids(mod);
        const names = labelNames(grouping);
        if (text(kind) === 'by') return new Map(names.map((l) => [l, inner.get(l)]));
        return new Map([...inner].filter(([l]) => !names.includes(l)));
      }
      case 'BinaryExpr': {
        const parts = kids(n);
        const lhs = visit(parts[0]);
        const rhs = visit(parts[parts.length - 1]);
        const op = text(parts[1]);
        const clause = parts.find((c) => c.name === 'MatchingModifierClause');
        if (lhs === null || rhs === null) return lhs ?? rhs;
        if (clause) {
          const c = kids(clause);
          if (c.some((x) => x.name === 'GroupRight')) return rhs;
          if (c.some((x) => x.name === 'GroupLeft')) return lhs;
          const names = labelNames(c.find((x) => x.name === 'GroupingLabels'));
          const isComparison = ['==', '!=', '<', '>', '<=', '>='].includes(op) && !parts.some((x) => x.name === 'BoolModifier');
          if (text(c[0]) === 'on' && !isComparison && !['and', 'or', 'unless'].includes(op)) return new Map(names.map((l) => [l, lhs.get(l)]));
        }
        return lhs;
      }
      default:
        throw new Error(`outputLabels: ${n.name} not handled in ${expr}`);
    }
  };
  return visit(parser.parse(expr).topNode);
};

/** An alert as Alertmanager receives it from a cluster: expression labels, rule labels, alertname, external cluster. */
interface Alert {
  readonly alert: string;
  readonly cluster: string;
  /** Label name → value when fixed by the rule, undefined when it depends on the series. */
  readonly labels: ReadonlyMap<string, string | undefined>;
}

const alertsOf = (cluster: string): Alert[] =>
  rulesOf(cluster).map((r: any) => {
    const labels = new Map(outputLabels(r.expr) ?? []);
    for (const [k, v] of Object.entries(r.labels ?? {})) labels.set(k, v as string);
    labels.set('alertname', r.alert);
    labels.set('cluster', cluster);
    return { alert: r.alert, cluster, labels };
  });

/** A concrete label set of an alert: fixed values, every other label `same` unless overridden. */
const instance = (a: Alert, overrides: Record<string, string> = {}): LabelSet =>
  Object.fromEntries([...a.labels].map(([k, v]) => [k, overrides[k] ?? v ?? 'same']));

/** Label sets as amtool takes them (`name=value`). */
const args = (l: LabelSet): string[] => Object.entries(l).map(([k, v]) => `${k}=${v}`);

// --- tests ----------------------------------------------------------------------------------------------------------

describe('generated alertmanager.yaml passes amtool check-config', () => {
  it('on every monitoring cluster (its Alertmanager version), with the e-mail receiver configured', async () => {
    for (const c of clusters) {
      expect(amVersionOf(c)).toMatch(/^v0\.28\./);
      const out = await amtool(['check-config', await writeConfig(builtYaml(c))]);
      expect(out).toContain('SUCCESS');
      expect(out).toMatch(/3 receivers/);
    }
  });

  it('without e-mail (the shipped fleet) and with e-mail without SMTP authentication', async () => {
    const plain = componentYaml(fleet);
    expect(plain).not.toContain('email_configs');
    expect(await amtool(['check-config', await writeConfig(plain)])).toMatch(/SUCCESS[\s\S]*2 receivers/);
    const noAuth = Object.fromEntries(Object.entries(EMAIL).filter(([k]) => k !== 'authUsername'));
    const noAuthYaml = componentYaml(withEmail(fleet, noAuth));
    expect(noAuthYaml).not.toContain('auth_password');
    expect(await amtool(['check-config', await writeConfig(noAuthYaml)])).toMatch(/SUCCESS[\s\S]*3 receivers/);
  });

  it('the generated file holds placeholders only where the Secret is read; the password only when a user is set', () => {
    const y = builtYaml(clusters[0]!);
    expect(y).toContain(`routing_key: ${PLACEHOLDERS['pagerduty-routing-key']}`);
    expect(y).toContain(`auth_password: ${PLACEHOLDERS['smtp-auth-password']}`);
    const es = alertmanagerComponent.base(baseContextFor(withEmail(fleet), COMPONENTS)).find((o) => o.kind === 'ExternalSecret')!.spec as any;
    expect(es.target.name).toBe(RECEIVERS_SECRET);
    expect(es.data.map((d: any) => d.secretKey)).toEqual(['pagerduty-routing-key', 'slack-webhook-url', 'smtp-auth-password']);
  });
});

describe('amtool config routes test: who is notified', () => {
  /** Expected receivers by severity (the order amtool prints: the order of the routes). */
  const expected = (severity: string | undefined, email: boolean): string[] =>
    severity === 'critical' ? [PAGERDUTY, ...(email ? [MAIL] : []), SLACK] : severity === 'warning' ? [...(email ? [MAIL] : []), SLACK] : [SLACK];

  const routeOf = async (file: string, labels: LabelSet): Promise<string[]> =>
    // First line: the receivers (stdout); amtool 0.25 then warns on stderr that --config.file overrides the URL.
    (await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...args(labels)])).split('\n')[0]!.trim().split(',');

  it.each([
    { severity: 'critical', receivers: 'PagerDuty, e-mail and Slack' },
    { severity: 'warning', receivers: 'e-mail and Slack, not PagerDuty' },
  ])('every $severity alert of every cluster → $receivers (e-mail configured)', async ({ severity }) => {
    for (const c of clusters) {
      const file = await writeConfig(builtYaml(c));
      const alerts = alertsOf(c).filter((a) => a.labels.get('severity') === severity);
      expect(alerts.length).toBeGreaterThan(0);
      // One amtool run per distinct alert name: routing reads severity only, the name makes failures readable.
      const byName = new Map(alerts.map((a) => [a.alert, a]));
      for (const a of byName.values()) expect({ alert: a.alert, receivers: await routeOf(file, instance(a)) }).toEqual({ alert: a.alert, receivers: expected(severity, true) });
    }
  });

  it.each([
    { severity: 'critical', receivers: [PAGERDUTY, SLACK] },
    { severity: 'warning', receivers: [SLACK] },
    { severity: undefined, receivers: [SLACK] },
  ])('shipped fleet (no e-mail): severity=$severity → $receivers', async ({ severity, receivers }) => {
    const file = await writeConfig(componentYaml(fleet));
    const labels: LabelSet = { alertname: 'Example', cluster: clusters[0]!, ...(severity ? { severity } : {}) };
    expect(await routeOf(file, labels)).toEqual(receivers);
  });

  it('e-mail for critical only when the inventory says so; an alert without severity still reaches Slack', async () => {
    const file = await writeConfig(componentYaml(withEmail(fleet, { ...EMAIL, severities: ['critical'] })));
    expect(await routeOf(file, { alertname: 'A', severity: 'critical' })).toEqual([PAGERDUTY, MAIL, SLACK]);
    expect(await routeOf(file, { alertname: 'A', severity: 'warning' })).toEqual([SLACK]);
    expect(await routeOf(file, { alertname: 'A' })).toEqual([SLACK]);
    expect(expected(undefined, true)).toEqual([SLACK]);
  });
});

describe('inhibit rules mute only what they should', () => {
  let rules: InhibitRule[];
  beforeAll(() => {
    rules = inhibitRulesOf(builtYaml(clusters[0]!));
    for (const c of clusters) expect(inhibitRulesOf(builtYaml(c))).toEqual(rules);
  });
  const matches = (ms: readonly string[] | undefined, a: Alert): boolean => (ms ?? []).map(parseMatcher).every((p) => p(instance(a)));
  const fleetAlerts = (): Alert[] => clusters.flatMap(alertsOf);
  const one = (cluster: string, alert: string, where: (a: Alert) => boolean = () => true): Alert => {
    const a = alertsOf(cluster).find((x) => x.alert === alert && where(x));
    if (!a) throw new Error(`no ${alert} on ${cluster}`);
    return a;
  };

  it('every matcher names a label the alerts carry, and every rule has sources and targets somewhere', () => {
    for (const r of rules) {
      for (const m of [...(r.source_matchers ?? []), ...(r.target_matchers ?? [])]) {
        const label = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(m)![0];
        expect({ matcher: m, carried: fleetAlerts().some((a) => a.labels.has(label)) }).toEqual({ matcher: m, carried: true });
      }
      expect({ rule: r, sources: fleetAlerts().some((a) => matches(r.source_matchers, a)) }).toEqual({ rule: r, sources: true });
      expect({ rule: r, targets: fleetAlerts().some((a) => matches(r.target_matchers, a)) }).toEqual({ rule: r, targets: true });
    }
  });

  it('every `equal` label is carried by both sides of every source/target pair, or by neither', () => {
    const problems: string[] = [];
    for (const c of clusters) {
      const alerts = alertsOf(c);
      for (const r of rules) {
        for (const s of alerts.filter((a) => matches(r.source_matchers, a))) {
          for (const t of alerts.filter((a) => a !== s && matches(r.target_matchers, a))) {
            // Pairs that labels fixed by their rules already keep apart (another alertname, another job) never meet.
            const fixedApart = (l: string): boolean => s.labels.get(l) !== undefined && t.labels.get(l) !== undefined && s.labels.get(l) !== t.labels.get(l);
            if ((r.equal ?? []).some(fixedApart)) continue;
            for (const l of r.equal ?? []) {
              if (s.labels.has(l) !== t.labels.has(l)) problems.push(`${c}: ${s.alert} → ${t.alert}: ${l} only on ${s.labels.has(l) ? 'the source' : 'the target'}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the kubelet ServiceMonitor honours the PVC labels (the PVC inhibition compares them)', () => {
    for (const c of clusters) {
      const sm = find(c, 'monitoring', 'ServiceMonitor', 'kubelet').spec as any;
      expect(sm.endpoints.every((e: any) => e.honorLabels === true)).toBe(true);
    }
  });

  it('RtmpOriginDown mutes the origin’s own ServiceDown on its cluster, and no other service’s', () => {
    const prod = 'prod-eu-west-1';
    const source = one(prod, 'RtmpOriginDown');
    const job = source.labels.get('job')!;
    const firing = [instance(source)];
    const downs = alertsOf(prod).filter((a) => a.alert === 'ServiceDown');
    const own = downs.filter((a) => a.labels.get('job') === job);
    const others = downs.filter((a) => a.labels.get('job') !== job);
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const t of own) expect(isInhibited(rules, instance(t), firing)).toBe(true);
    for (const t of others) expect({ job: t.labels.get('job'), inhibited: isInhibited(rules, instance(t), firing) }).toEqual({ job: t.labels.get('job'), inhibited: false });
    // Same job on another cluster: not muted.
    const elsewhere = clusters.find((c) => c !== prod && alertsOf(c).some((a) => a.alert === 'ServiceDown' && a.labels.get('job') === job))!;
    expect(isInhibited(rules, instance(one(elsewhere, 'ServiceDown', (a) => a.labels.get('job') === job)), firing)).toBe(false);
  });

  it('RtmpOriginDown mutes NoActivePublishers of its cluster only', () => {
    const prods = clusters.filter((c) => alertsOf(c).some((a) => a.alert === 'NoActivePublishers'));
    expect(prods.length).toBeGreaterThan(1);
    const [a, b] = prods as [string, string];
    const firing = [instance(one(a, 'RtmpOriginDown'))];
    expect(isInhibited(rules, instance(one(a, 'NoActivePublishers')), firing)).toBe(true);
    expect(isInhibited(rules, instance(one(b, 'NoActivePublishers')), firing)).toBe(false);
  });

  it('PersistentVolumeFull mutes PersistentVolumeFillingUp of the same claim only', () => {
    const c = clusters[0]!;
    const firing = [instance(one(c, 'PersistentVolumeFull'), { namespace: 'a', persistentvolumeclaim: 'data' })];
    const target = one(c, 'PersistentVolumeFillingUp');
    expect(isInhibited(rules, instance(target, { namespace: 'a', persistentvolumeclaim: 'data' }), firing)).toBe(true);
    expect(isInhibited(rules, instance(target, { namespace: 'a', persistentvolumeclaim: 'other' }), firing)).toBe(false);
    expect(isInhibited(rules, instance(target, { namespace: 'b', persistentvolumeclaim: 'data' }), firing)).toBe(false);
  });

  it('CertificateExpiryCritical mutes CertificateExpiringSoon of the same Certificate only', () => {
    const c = clusters[0]!;
    const source = one(c, 'CertificateExpiryCritical');
    // cert-manager's ServiceMonitor does not honour labels: the Certificate's namespace is exported_namespace, and
    // namespace is cert-manager's own, the same for every certificate.
    expect(source.labels.has('exported_namespace')).toBe(true);
    const firing = [instance(source, { exported_namespace: 'a', name: 'tls' })];
    const target = one(c, 'CertificateExpiringSoon');
    expect(isInhibited(rules, instance(target, { exported_namespace: 'a', name: 'tls' }), firing)).toBe(true);
    expect(isInhibited(rules, instance(target, { exported_namespace: 'b', name: 'tls' }), firing)).toBe(false);
    expect(isInhibited(rules, instance(target, { exported_namespace: 'a', name: 'other' }), firing)).toBe(false);
  });

  it('a critical alert mutes only its warning twin: same name and same target, never another service', () => {
    const c = 'prod-eu-west-1';
    const downs = alertsOf(c).filter((a) => a.alert === 'ServiceDown');
    const [x, y] = downs as [Alert, Alert];
    expect(x.labels.get('job')).not.toBe(y.labels.get('job'));
    const critical = (a: Alert): LabelSet => ({ ...instance(a), severity: 'critical' });
    const warning = (a: Alert): LabelSet => ({ ...instance(a), severity: 'warning' });
    expect(isInhibited(rules, warning(x), [critical(x)])).toBe(true);
    expect(isInhibited(rules, warning(y), [critical(x)])).toBe(false);
    expect(isInhibited(rules, critical(x), [warning(x)])).toBe(false);
  });
});
