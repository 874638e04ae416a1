// The PrometheusRule of one cluster: the alert rules whose metrics can exist there, derived from the components
// the cluster runs (every stack) and the exporters its capabilities bring.
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { ClusterContext, Component, K8sObject } from '../components/component.ts';
import { MONITORING_NAMESPACE } from '../components/network-policies.ts';
import { runsOn } from '../components/placement.ts';
import { appLabels } from '../lib/labels.ts';
import { KNOWN_EXPORTERS, type KnownExporter } from './known-exporters.ts';
import { componentMetrics, isMetricProvided } from './promql.ts';
import { ALERT_GROUPS, monitoredComponents, rulesFor, type RenderedRule } from './rules.ts';
import { validateRules } from './validate.ts';

export const PROMETHEUS_RULE = 'streamfleet-alerts';

/** Components of every stack the cluster runs (capabilities and inventory `enabled` respected). */
export const componentsRunningOn = (ctx: ClusterContext): Component[] => ctx.components.filter((c) => runsOn(ctx, c));

/** Exporters present on the cluster: those without a capability requirement, or whose capability it has. */
export const exportersOn = (ctx: ClusterContext): KnownExporter[] =>
  KNOWN_EXPORTERS.filter((e) => e.requires === undefined || ctx.cluster.capabilities.includes(e.requires));

/** The cluster's rules; throws (failing `pnpm gen`) when one does not parse or misses severity/summary/runbook. */
/**
 * Base objects per (fleet, component list, component): base() depends only on the fleet and the component list,
 * and every cluster's rules need the scrape jobs of the same components, so render each once per render.
 */
type PerComponent = WeakMap<Component, readonly K8sObject[]>;
const baseCache = new WeakMap<object, WeakMap<object, PerComponent>>();
const baseObjects = (ctx: ClusterContext, c: Component): readonly K8sObject[] => {
  let perFleet = baseCache.get(ctx.fleet);
  if (!perFleet) baseCache.set(ctx.fleet, (perFleet = new WeakMap()));
  let perList = perFleet.get(ctx.components);
  if (!perList) perFleet.set(ctx.components, (perList = new WeakMap()));
  let objects = perList.get(c);
  if (!objects) perList.set(c, (objects = c.base(ctx)));
  return objects;
};

export const clusterRules = (ctx: ClusterContext): RenderedRule[] => {
  const running = componentsRunningOn(ctx);
  const exposed = componentMetrics(running);
  const exporters = exportersOn(ctx);
  const rules = rulesFor(
    {
      components: monitoredComponents(running, (c) => baseObjects(ctx, c)),
      provided: (m) => isMetricProvided(m, exposed, exporters),
      // Live traffic is expected where nothing is promoted further: the production environment.
      trafficExpected: ctx.environment.promotesTo === undefined,
    },
    ctx.fleet.git,
  );
  const problems = validateRules(rules, exposed, exporters);
  if (problems.length > 0) throw new Error(`invalid alert rules for cluster ${ctx.cluster.name}:\n  ${problems.join('\n  ')}`);
  return rules;
};

/**
 * Clusters that run the same components with the same exporters in the same kind of environment get the same
 * rules: one object per such signature (per render), so a thousand clusters compute — and serialise — a handful.
 */
const ruleCache = new WeakMap<object, Map<string, IPrometheusRule & K8sObject>>();

export const prometheusRule = (ctx: ClusterContext): IPrometheusRule & K8sObject => {
  const signature = [
    componentsRunningOn(ctx).map((c) => c.name).join(','),
    exportersOn(ctx).map((e) => e.name).join(','),
    ctx.environment.promotesTo === undefined ? 'last' : 'promotes',
  ].join('|');
  let perRender = ruleCache.get(ctx.components);
  if (!perRender) ruleCache.set(ctx.components, (perRender = new Map()));
  const cached = perRender.get(signature);
  if (cached) return cached;
  const rule = renderPrometheusRule(ctx);
  perRender.set(signature, rule);
  return rule;
};

const renderPrometheusRule = (ctx: ClusterContext): IPrometheusRule & K8sObject => {
  const rules = clusterRules(ctx);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: PROMETHEUS_RULE, namespace: MONITORING_NAMESPACE, labels: appLabels('prometheus', 'monitoring') },
    spec: {
      groups: ALERT_GROUPS.map((group) => ({
        name: `streamfleet.${group}`,
        rules: rules
          .filter((r) => r.group === group)
          .map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
      })).filter((g) => g.rules.length > 0),
    },
  };
};
