// The alertmanager.yaml the Prometheus operator generates from our global AlertmanagerConfig, so amtool (the real
// consumer's own tool) can check and route-test what Alertmanager will actually load, plus the two Alertmanager
// semantics amtool cannot exercise offline (inhibition) or that we need in TS (matcher evaluation).
//
// Checked: prometheus-operator @ v0.93.0 (the appVersion of kube-prometheus-stack 88.5.3 is v0.93.1; the stored
// snapshot has no v0.93.1 tag, and its release-0.93 branch has no change under pkg/alertmanager after v0.93.0):
// - pkg/alertmanager/operator.go provisionAlertmanagerConfiguration: with spec.alertmanagerConfiguration set, the
//   referenced AlertmanagerConfig is the base (initializeFromAlertmanagerConfig); selectAlertmanagerConfigs skips it
//   and, our Alertmanager having no alertmanagerConfigSelector (nil selects nothing), adds no other one.
// - pkg/alertmanager/amcfg.go initializeFromAlertmanagerConfig: routes and inhibit rules of the global config are
//   converted "without enforce namespace" (no namespace="monitoring" matcher is added, no `continue` forced on the
//   top route; those are done by the enforcer only in AddAlertmanagerConfigs, for selected configs).
// - amcfg.go convertRoute / convertReceiver / makeNamespacedString: every receiver name (and route receiver) becomes
//   `<namespace>/<config name>/<name>`.
// - amcfg.go convertMatchersV2 + v1alpha1 Matcher.String(): for Alertmanager >= 0.22 every matcher is written as a
//   `matchers` / `source_matchers` / `target_matchers` string `name<op>"value"` (op `=` when matchType is empty,
//   `=~` when regex), value escaped (\\, \n, ").
// - amcfg.go convertSlackConfig / convertPagerdutyConfig / convertEmailConfig: Secret keys are resolved into
//   `api_url` (must be a valid URL), `routing_key`, `auth_password`; `smarthost` is split as host:port.
// - pkg/alertmanager/types.go: YAML field names and order; `templates` has no omitempty (always written).
// Anything this emulation does not translate throws, so a new field cannot be silently dropped from the test.
import { parse as parseYaml, stringify } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the loosely typed built AlertmanagerConfig */

export interface CrMatcher {
  readonly name: string;
  readonly value: string;
  readonly matchType?: '=' | '!=' | '=~' | '!~';
  readonly regex?: boolean;
}

/** Resolves a SecretKeySelector the way the operator's asset store does (throws when the key is absent). */
export type SecretLookup = (ref: { name: string; key: string }) => string;

const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export const matcherString = (m: CrMatcher): string => `${m.name}${m.matchType ?? (m.regex ? '=~' : '=')}"${escape(m.value)}"`;

const only = (what: string, o: Record<string, unknown>, known: readonly string[]): void => {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0) throw new Error(`${what}: the operator emulation does not translate ${extra.join(', ')}`);
};

/** Drops undefined values so YAML shows only what the operator's omitempty fields would. */
const compact = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const prefixed = (crKey: { namespace: string; name: string }, n: string): string => `${crKey.namespace}/${crKey.name}/${n}`;

const convertRoute = (r: any, crKey: { namespace: string; name: string }): Record<string, unknown> => {
  only('route', r, ['receiver', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval', 'continue', 'matchers', 'routes']);
  return compact({
    receiver: r.receiver ? prefixed(crKey, r.receiver) : undefined,
    group_by: r.groupBy,
    matchers: r.matchers?.length ? r.matchers.map(matcherString) : undefined,
    continue: r.continue ? true : undefined,
    routes: r.routes?.length ? r.routes.map((c: any) => convertRoute(c, crKey)) : undefined,
    group_wait: r.groupWait,
    group_interval: r.groupInterval,
    repeat_interval: r.repeatInterval,
  });
};

const validUrl = (s: string): string => {
  new URL(s); // getValidURLFromSecret refuses what does not parse
  return s;
};

const convertReceiver = (r: any, crKey: { namespace: string; name: string }, secret: SecretLookup): Record<string, unknown> => {
  only('receiver', r, ['name', 'pagerdutyConfigs', 'slackConfigs', 'emailConfigs']);
  return compact({
    name: prefixed(crKey, r.name),
    pagerduty_configs: r.pagerdutyConfigs?.map((p: any) => {
      only('pagerdutyConfig', p, ['sendResolved', 'routingKey', 'description', 'severity']);
      return compact({ send_resolved: p.sendResolved, routing_key: secret(p.routingKey), description: p.description, severity: p.severity });
    }),
    slack_configs: r.slackConfigs?.map((s: any) => {
      only('slackConfig', s, ['sendResolved', 'apiURL', 'channel', 'title', 'text']);
      return compact({ send_resolved: s.sendResolved, api_url: validUrl(secret(s.apiURL)), channel: s.channel, title: s.title, text: s.text });
    }),
    email_configs: r.emailConfigs?.map((e: any) => {
      only('emailConfig', e, ['sendResolved', 'to', 'from', 'smarthost', 'authUsername', 'authPassword']);
      if (!/^[^:]+:[0-9]+$/.test(e.smarthost ?? '')) throw new Error(`invalid SMTP smarthost ${JSON.stringify(e.smarthost)}`);
      return compact({
        send_resolved: e.sendResolved,
        to: e.to,
        from: e.from,
        smarthost: e.smarthost,
        auth_username: e.authUsername,
        auth_password: e.authPassword ? secret(e.authPassword) : undefined,
      });
    }),
  });
};

const convertInhibitRule = (r: any): Record<string, unknown> => {
  only('inhibitRule', r, ['sourceMatch', 'targetMatch', 'equal']);
  return compact({
    target_matchers: r.targetMatch?.length ? r.targetMatch.map(matcherString) : undefined,
    source_matchers: r.sourceMatch?.length ? r.sourceMatch.map(matcherString) : undefined,
    equal: r.equal?.length ? r.equal : undefined,
  });
};

/**
 * alertmanager.yaml as the operator writes it for an Alertmanager whose spec.alertmanagerConfiguration names
 * `config` (and which selects no other AlertmanagerConfig). `amVersion` is the Alertmanager's spec.version.
 */
export interface BuiltAlertmanagerConfig {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: Record<string, any>;
}

export const operatorAlertmanagerYaml = (config: BuiltAlertmanagerConfig, amVersion: string, secret: SecretLookup): string => {
  const [major, minor] = amVersion.replace(/^v/, '').split('.').map(Number);
  // Below 0.22 the operator writes match/match_re maps instead; the fleet never pins such a version.
  if (major !== 0 || minor! < 22) throw new Error(`emulation covers Alertmanager >= 0.22 only, got ${amVersion}`);
  const crKey = { namespace: config.metadata.namespace ?? '', name: config.metadata.name };
  only('AlertmanagerConfig spec', config.spec, ['route', 'receivers', 'inhibitRules']);
  const root = config.spec.route;
  // checkAlertmanagerConfigRootRoute
  if (!root?.receiver || root.continue || root.matchers?.length) throw new Error('root route: needs a receiver, no continue, no matchers');
  return stringify(
    compact({
      route: convertRoute(root, crKey),
      inhibit_rules: config.spec.inhibitRules?.length ? config.spec.inhibitRules.map(convertInhibitRule) : undefined,
      receivers: config.spec.receivers.map((r: any) => convertReceiver(r, crKey, secret)),
      templates: [],
    }),
  );
};

// --- Alertmanager semantics (Checked: prometheus/alertmanager @ v0.28.0) -------------------------------------------

export type LabelSet = Readonly<Record<string, string>>;

/**
 * One `name<op>"value"` matcher string (the classic form the operator writes) as a predicate. Regexes are anchored
 * (pkg/labels/matcher.go NewMatcher: `^(?:` + value + `)$`); a missing label is the empty string.
 */
export const parseMatcher = (s: string): ((l: LabelSet) => boolean) => {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"$/.exec(s);
  if (!m) throw new Error(`not a matcher this test understands: ${s}`);
  const [, name, op, raw] = m;
  const value = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  const re = new RegExp(`^(?:${value})$`);
  const eq = (l: LabelSet): boolean => (l[name!] ?? '') === value;
  const rx = (l: LabelSet): boolean => re.test(l[name!] ?? '');
  return op === '=' ? eq : op === '!=' ? (l) => !eq(l) : op === '=~' ? rx : (l) => !rx(l);
};

export interface InhibitRule {
  readonly source_matchers?: readonly string[];
  readonly target_matchers?: readonly string[];
  readonly equal?: readonly string[];
}

const all = (ms: readonly string[] | undefined): ((l: LabelSet) => boolean) => {
  const ps = (ms ?? []).map(parseMatcher);
  return (l) => ps.every((p) => p(l));
};

/**
 * Whether `target` is muted while `firing` alerts are active: inhibit/inhibit.go Inhibitor.Mutes and
 * InhibitRule.hasEqual — a rule whose target side matches is satisfied by a firing source-side alert whose `equal`
 * labels all have the target's values (missing = ""); when the target also matches the source side, sources that
 * match the target side do not count.
 */
export const isInhibited = (rules: readonly InhibitRule[], target: LabelSet, firing: readonly LabelSet[]): boolean =>
  rules.some((r) => {
    const isTarget = all(r.target_matchers);
    const isSource = all(r.source_matchers);
    if (!isTarget(target)) return false;
    const twoSided = isSource(target);
    return firing.some(
      (a) => a !== target && isSource(a) && (r.equal ?? []).every((n) => (a[n] ?? '') === (target[n] ?? '')) && !(twoSided && isTarget(a)),
    );
  });

export const inhibitRulesOf = (yamlText: string): InhibitRule[] => (parseYaml(yamlText) as { inhibit_rules?: InhibitRule[] }).inhibit_rules ?? [];
