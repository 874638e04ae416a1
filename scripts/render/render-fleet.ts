// The whole render: model in, files out. Pure — no IO, no clock, no environment variables.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { BaseContext, Component, K8sObject } from '../components/component.ts';
import { componentsFor } from '../components/catalog.ts';
import { baseContextFor, capabilityUnitsOn, componentsOnCluster, environmentOf } from '../components/placement.ts';
import { namespaceUnit } from '../components/stacks.ts';
import { NAMESPACE_UNIT } from '../lib/layout.ts';
import { allStacks, type Fleet } from '../model/fleet.ts';
import { composeFiles, type GeneratedFile } from './generated-file.ts';
import { renderArgoCd, type StackPlan } from './render-argocd.ts';
import { renderPlatformConfig } from '../platform/render-platform.ts';
import { renderBase } from './render-base.ts';
import { renderCodeowners } from './render-codeowners.ts';
import { renderRegions } from './render-regions.ts';
import { renderFleetDoc } from './render-fleet-doc.ts';
import { renderWorkflows } from './render-workflows.ts';
import { renderClusterStack } from './render-clusters.ts';
import { renderAppOverlay, scalerObjects } from './render-overlays.ts';
import { renderReadmes } from './render-readmes.ts';
import { renderAlertsDoc } from '../monitoring/alerts-doc.ts';
import { alertClusters, checkRuleCoverage, componentAlertRules, exportersOn, liveTrafficAlertRules } from '../monitoring/alert-rules.ts';
import { checkClusterQueries, type ClusterObjects } from '../monitoring/monitor-check.ts';
import { renderSchemas } from './render-schemas.ts';
import { renderSystemReference } from './render-reference.ts';
import { renderCliReference } from './render-cli-reference.ts';
import { renderInventoryReference } from './render-inventory-reference.ts';

const uniqueByName = (cs: readonly Component[]): Component[] =>
  [...new Map(cs.map((c) => [c.name, c])).values()].sort((a, b) => a.name.localeCompare(b.name));

const planStacks = (fleet: Fleet, ctx: BaseContext, baseObjectsOf: (c: Component) => readonly K8sObject[]): StackPlan[] =>
  allStacks(fleet).flatMap((stack) => {
    const clusters = fleet.clusters.filter((c) => c.stacks.includes(stack));
    if (clusters.length === 0) return [];
    const componentsByCluster = new Map(clusters.map((c) => [c.name, componentsOnCluster(ctx, c, stack)]));
    // Every object is rendered once here; the file renderers and the project's kind whitelist share them.
    const capabilityUnits = new Map(
      clusters.flatMap((c) => capabilityUnitsOn(c, componentsByCluster.get(c.name)!)).map((u) => [u.unit, u] as const),
    );
    const baseUnits = [
      { unit: NAMESPACE_UNIT, objects: namespaceUnit(stack) },
      ...uniqueByName([...componentsByCluster.values()].flat()).map((comp) => {
        const objects = baseObjectsOf(comp);
        return { unit: comp.name, objects: [...objects, ...componentAlertRules(ctx, comp, objects)] };
      }),
      ...[...capabilityUnits.values()]
        .sort((a, b) => a.unit.localeCompare(b.unit))
        .map((u) => ({ unit: u.unit, objects: u.component.withCapability![u.capability]!(ctx) })),
    ];
    const objects: K8sObject[] = baseUnits.flatMap((u) => u.objects);
    const clusterObjects = new Map<string, K8sObject[]>();
    const overlaysSeen = new Set<string>();
    for (const cluster of clusters) {
      const environment = environmentOf(fleet, cluster);
      const own: K8sObject[] = [];
      for (const comp of componentsByCluster.get(cluster.name)!) {
        own.push(...(comp.cluster?.({ ...ctx, cluster, environment }) ?? []));
        // The environment overlay's own objects, once per (environment, app).
        if (overlaysSeen.has(`${environment.name}/${comp.name}`)) continue;
        overlaysSeen.add(`${environment.name}/${comp.name}`);
        const autoscaling = environment.apps[comp.name]?.autoscaling;
        if (autoscaling) objects.push(...scalerObjects(ctx, comp, autoscaling, environment));
        objects.push(...liveTrafficAlertRules(ctx, comp, environment));
      }
      clusterObjects.set(cluster.name, own);
      objects.push(...own);
    }
    return [{ stack, clusters, componentsByCluster, baseUnits, clusterObjects, objects }];
  });

/**
 * What a cluster receives, by the component whose unit carries it: base and capability units, its cluster objects
 * and the environment overlay's objects (the same calls as planStacks), for the scrape model's check.
 */
const clusterObjectsOf = (ctx: BaseContext, plans: readonly StackPlan[], cluster: Fleet['clusters'][number]): ClusterObjects => {
  const environment = environmentOf(ctx.fleet, cluster);
  const units = plans
    .filter((p) => p.clusters.includes(cluster))
    .flatMap((plan) => {
      const comps = plan.componentsByCluster.get(cluster.name)!;
      const carried = new Map<string, Component>([...comps.map((c) => [c.name, c] as const), ...capabilityUnitsOn(cluster, comps).map((u) => [u.unit, u.component] as const)]);
      return [
        ...plan.baseUnits.filter((u) => carried.has(u.unit)).map((u) => ({ component: carried.get(u.unit)!.name, metrics: carried.get(u.unit)!.metrics ?? [], objects: u.objects })),
        ...comps.map((comp) => {
          const autoscaling = environment.apps[comp.name]?.autoscaling;
          return {
            component: comp.name,
            metrics: comp.metrics ?? [],
            objects: [
              ...(comp.cluster?.({ ...ctx, cluster, environment }) ?? []),
              ...(autoscaling ? scalerObjects(ctx, comp, autoscaling, environment) : []),
              ...liveTrafficAlertRules(ctx, comp, environment),
            ],
          };
        }),
      ];
    });
  return { cluster: cluster.name, units, exporters: exportersOn(cluster) };
};

export const renderFleet = (input: Fleet, components: readonly Component[] = componentsFor(input)): GeneratedFile[] => {
  // The loader already sorts clusters; sorting again keeps the render deterministic for any caller.
  const fleet: Fleet = { ...input, clusters: [...input.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  const ctx = baseContextFor(fleet, components);
  // Each component's base objects, rendered once: its base unit and the alert rules (scrape jobs) both read them.
  const baseObjects = new Map<Component, readonly K8sObject[]>();
  const baseObjectsOf = (c: Component): readonly K8sObject[] => {
    let objects = baseObjects.get(c);
    if (objects === undefined) baseObjects.set(c, (objects = c.base(ctx)));
    return objects;
  };
  const ruleProblems = checkRuleCoverage(ctx, fleet.clusters, baseObjectsOf);
  if (ruleProblems.length > 0) throw new CliError(`invalid alert rules:\n  ${ruleProblems.join('\n  ')}\nnothing was written`, ExitCode.Findings);
  const plans = planStacks(fleet, ctx, baseObjectsOf);
  // Every rule and dashboard query selects series a target of each cluster it ships to really exposes.
  const queryProblems = checkClusterQueries(fleet.clusters.map((cluster) => clusterObjectsOf(ctx, plans, cluster)));
  if (queryProblems.length > 0) {
    throw new CliError(`monitoring queries select series that do not exist:\n  ${queryProblems.join('\n  ')}\nnothing was written`, ExitCode.Findings);
  }
  const groups: GeneratedFile[][] = [];
  for (const plan of plans) groups.push(renderBase(plan.stack, plan.baseUnits));
  for (const env of fleet.environments) {
    const used = uniqueByName(
      plans.flatMap((p) => p.clusters.filter((c) => c.environment === env.name).flatMap((c) => p.componentsByCluster.get(c.name)!)),
    );
    groups.push(used.flatMap((comp) => renderAppOverlay(ctx, env, comp)));
  }
  for (const plan of plans) {
    for (const cluster of plan.clusters) {
      groups.push(
        renderClusterStack(ctx, cluster, environmentOf(fleet, cluster), plan.stack, plan.componentsByCluster.get(cluster.name)!, plan.clusterObjects.get(cluster.name)!),
      );
    }
  }
  groups.push(renderArgoCd(fleet, plans), renderPlatformConfig(fleet), renderReadmes(), renderSchemas(), renderCodeowners(fleet), renderWorkflows(fleet), renderRegions(fleet), renderFleetDoc(fleet, components));
  groups.push(renderAlertsDoc(alertClusters(ctx, fleet.clusters, baseObjectsOf)));
  groups.push(renderSystemReference());
  groups.push(renderCliReference(), renderInventoryReference());
  return composeFiles(...groups);
};
