// The PrometheusRule objects: one per site where rules ship (see `RuleSite`), in the namespace of the component
// that carries them. Prometheus selects rules in every namespace, so rules travel with their component's
// Application, and a cluster's rule set is exactly the units it includes. `checkRuleCoverage` then proves, per
// kind of cluster, that every rule it receives queries only metrics that exist there.
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { BaseContext, ClusterContext, Component, K8sObject } from '../components/component.ts';
import { capabilityUnitsOn, environmentOf, runsOn } from '../components/placement.ts';
import { stackNamespace } from '../components/stacks.ts';
import type { Capability } from '../inventory/schema.ts';
import { appLabels } from '../lib/labels.ts';
import { allStacks, type Cluster, type Environment } from '../model/fleet.ts';
import { KNOWN_EXPORTERS, type KnownExporter } from './known-exporters.ts';
import { checkExpressions, componentMetrics } from './promql.ts';
import { recordingGroupName, recordingRulesFor, type RecordingRule } from './recording-rules.ts';
import { ALERT_GROUPS, ALERTS, monitoredComponents, rulesAt, type MonitoredComponent, type RenderedRule, type RuleSite } from './rules.ts';
import { validateRules } from './validate.ts';

/** Exporters present on the cluster: those without a capability requirement, or whose capability it has. */
export const exportersOn = (cluster: Pick<Cluster, 'capabilities'>): KnownExporter[] =>
  KNOWN_EXPORTERS.filter((e) => e.requires === undefined || cluster.capabilities.includes(e.requires));

/** Live traffic is expected where nothing is promoted further: the production environment. */
export const expectsLiveTraffic = (env: Pick<Environment, 'promotesTo'>): boolean => env.promotesTo === undefined;

const ruleObject = (component: Component, name: string, rules: readonly RenderedRule[]): K8sObject[] => {
  if (rules.length === 0) return [];
  const rule: IPrometheusRule & K8sObject = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, namespace: stackNamespace(component.stack), labels: appLabels(component.name, component.stack) },
    spec: {
      groups: ALERT_GROUPS.map((group) => ({
        name: `${component.name}.${group}`,
        rules: rules
          .filter((r) => r.group === group)
          .map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
      })).filter((g) => g.rules.length > 0),
    },
  };
  return [rule];
};

/** `<component>-recording-rules`: the component's recording rules (recording-rules.ts), one group. */
const recordingRuleObject = (component: Component, rules: readonly RecordingRule[]): K8sObject[] => {
  if (rules.length === 0) return [];
  const rule: IPrometheusRule & K8sObject = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${component.name}-recording-rules`, namespace: stackNamespace(component.stack), labels: appLabels(component.name, component.stack) },
    spec: {
      groups: [
        {
          name: recordingGroupName(component.name),
          rules: rules.map((r) => ({ record: r.record, expr: r.expr, ...(r.labels ? { labels: { ...r.labels } } : {}) })),
        },
      ],
    },
  };
  return [rule];
};

/**
 * `<component>-alerts` and `<component>-recording-rules` for the component's base unit; `objects` are its base
 * objects (for its scrape job).
 */
export const componentAlertRules = (ctx: BaseContext, component: Component, objects: readonly K8sObject[]): K8sObject[] => {
  const [monitored] = monitoredComponents([component], () => objects);
  return [
    ...ruleObject(component, `${component.name}-alerts`, rulesAt({ at: 'component', component: monitored! }, ctx.fleet.git, fleetNamespaces(ctx))),
    ...recordingRuleObject(component, recordingRulesFor(monitored!)),
  ];
};

/** `<component>-<capability>-alerts` for the component's capability unit. */
export const capabilityAlertRules = (ctx: BaseContext, component: Component, capability: Capability): K8sObject[] =>
  ruleObject(component, `${component.name}-${capability}-alerts`, rulesAt({ at: 'capability', component: component.name, capability }, ctx.fleet.git, fleetNamespaces(ctx)));

/** Every stack's namespace: the built-in stacks' and the systems'. */
const fleetNamespaces = (ctx: BaseContext): string[] => allStacks(ctx.fleet).map(stackNamespace);

/** Whether a KEDA ScaledObject scales the component in the environment (its overlay renders one). */
export const scaledByKeda = (ctx: BaseContext, component: Pick<Component, 'name' | 'scaler'>, env: Environment): boolean => {
  const autoscaling = env.apps[component.name]?.autoscaling;
  return autoscaling !== undefined && (component.scaler?.(autoscaling, ctx, env) ?? []).some((o) => o.kind === 'ScaledObject');
};

/** `spec.triggers[].type` of the ScaledObjects that scale the component in the environment (none: not KEDA-scaled). */
const kedaTriggerTypes = (ctx: BaseContext, component: Pick<Component, 'name' | 'scaler'>, env: Environment): string[] => {
  const autoscaling = env.apps[component.name]?.autoscaling;
  if (autoscaling === undefined) return [];
  const scaledObjects = (component.scaler?.(autoscaling, ctx, env) ?? []).filter((o) => o.kind === 'ScaledObject');
  return scaledObjects.flatMap((o) => ((o.spec as { triggers?: Array<{ type?: string }> } | undefined)?.triggers ?? []).flatMap((t) => (t.type === undefined ? [] : [t.type])));
};

/** The `autoscaled` site of a KEDA-scaled component in an environment. */
const autoscaledSite = (ctx: BaseContext, component: Component, env: Environment): RuleSite => ({
  at: 'autoscaled',
  component: component.name,
  namespace: stackNamespace(component.stack),
  triggerTypes: kedaTriggerTypes(ctx, component, env),
});

/**
 * The rules of the component's overlay of an environment: `<component>-live-traffic-alerts` where live traffic is
 * expected, `<component>-autoscaling-alerts` where a KEDA ScaledObject scales it (its queue as KEDA reads it).
 */
export const liveTrafficAlertRules = (ctx: BaseContext, component: Component, env: Environment): K8sObject[] => [
  ...(expectsLiveTraffic(env)
    ? ruleObject(component, `${component.name}-live-traffic-alerts`, rulesAt({ at: 'live-traffic', component: component.name }, ctx.fleet.git, fleetNamespaces(ctx)))
    : []),
  ...(scaledByKeda(ctx, component, env)
    ? ruleObject(
        component,
        `${component.name}-autoscaling-alerts`,
        rulesAt(autoscaledSite(ctx, component, env), ctx.fleet.git, fleetNamespaces(ctx)),
      )
    : []),
];

/**
 * The rules a cluster receives: those of every site its kustomizations include (the base units of the components
 * it runs, their capability units on it, and their live-traffic overlays).
 */
const rulesOnCluster = (ctx: ClusterContext, running: readonly Component[], baseObjects: (c: Component) => readonly K8sObject[]): RenderedRule[] => {
  const units = capabilityUnitsOn(ctx.cluster, running);
  const live = expectsLiveTraffic(ctx.environment);
  return monitoredComponents(running, baseObjects).flatMap((monitored) => {
    const component = running.find((c) => c.name === monitored.name)!;
    const sites: RuleSite[] = [
      { at: 'component', component: monitored },
      ...units.filter((u) => u.component.name === monitored.name).map((u): RuleSite => ({ at: 'capability', component: u.component.name, capability: u.capability })),
      ...(live ? [{ at: 'live-traffic', component: monitored.name } as const] : []),
      ...(scaledByKeda(ctx, component, ctx.environment) ? [autoscaledSite(ctx, component, ctx.environment)] : []),
    ];
    return sites.flatMap((site) => rulesAt(site, ctx.fleet.git, fleetNamespaces(ctx)));
  });
};

/** Recording rules a cluster receives (with the base units of the components it runs). */
const recordingRulesOnCluster = (running: readonly Component[], baseObjects: (c: Component) => readonly K8sObject[]): Array<{ component: MonitoredComponent; rule: RecordingRule }> =>
  monitoredComponents(running, baseObjects).flatMap((component) => recordingRulesFor(component).map((rule) => ({ component, rule })));

/** The clusters each alert can fire on: where its rule is rendered (alert name → sorted cluster names). */
export const alertClusters = (ctx: BaseContext, clusters: readonly Cluster[], baseObjects: (c: Component) => readonly K8sObject[]): Map<string, string[]> => {
  const where = new Map<string, Set<string>>();
  for (const cluster of clusters) {
    const clusterCtx: ClusterContext = { ...ctx, cluster, environment: environmentOf(ctx.fleet, cluster) };
    const running = ctx.components.filter((c) => runsOn(clusterCtx, c));
    for (const r of rulesOnCluster(clusterCtx, running, baseObjects)) {
      if (!where.has(r.alert)) where.set(r.alert, new Set());
      where.get(r.alert)!.add(cluster.name);
    }
  }
  return new Map([...where].map(([alert, names]) => [alert, [...names].sort()]));
};

/**
 * Problems that must fail `pnpm gen`: a fixed rule whose owner is not a component, a capability rule whose owner has
 * no unit for it, and, per kind of cluster, a rule that does not parse, misses severity/summary/runbook, or queries
 * a metric that neither a component running there nor an exporter present there exposes.
 */
export const checkRuleCoverage = (ctx: BaseContext, clusters: readonly Cluster[], baseObjects: (c: Component) => readonly K8sObject[]): string[] => {
  const problems: string[] = [];
  for (const a of ALERTS) {
    if (a.perComponent || a.perScaledObject) continue;
    const owner = ctx.components.find((c) => c.name === a.owner);
    if (owner === undefined) problems.push(`alert ${a.alert}: owner ${String(a.owner)} is not a component of the fleet`);
    else if (a.capability !== undefined && owner.withCapability?.[a.capability] === undefined) {
      problems.push(`alert ${a.alert}: ${owner.name} has no ${a.capability} unit to carry it (withCapability.${a.capability})`);
    }
  }
  const seen = new Set<string>();
  for (const cluster of clusters) {
    const clusterCtx: ClusterContext = { ...ctx, cluster, environment: environmentOf(ctx.fleet, cluster) };
    const running = ctx.components.filter((c) => runsOn(clusterCtx, c));
    // Clusters that run the same components with the same capabilities in the same kind of environment receive
    // the same rules: check each such kind once.
    const keda = running.filter((c) => scaledByKeda(ctx, c, clusterCtx.environment)).map((c) => c.name);
    const signature = `${running.map((c) => c.name).join(',')}|${[...cluster.capabilities].sort().join(',')}|${expectsLiveTraffic(clusterCtx.environment)}|${keda.join(',')}`;
    if (seen.has(signature)) continue;
    seen.add(signature);
    const found = validateRules(rulesOnCluster(clusterCtx, running, baseObjects), componentMetrics(running), exportersOn(cluster));
    const records = recordingRulesOnCluster(running, baseObjects).map(({ component, rule }) => ({
      where: `recording rule ${rule.record} (${component.name})`,
      expr: rule.expr,
    }));
    found.push(...checkExpressions(records, componentMetrics(running), exportersOn(cluster)));
    problems.push(...found.map((p) => `cluster ${cluster.name}: ${p}`));
  }
  return problems;
};
