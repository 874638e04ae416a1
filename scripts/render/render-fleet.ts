// The whole render: model in, files out. Pure — no IO, no clock, no environment variables.
import type { BaseContext, Component, K8sObject } from '../components/component.ts';
import { componentsFor } from '../components/catalog.ts';
import { namespaceUnit } from '../components/stacks.ts';
import { STACKS, type StackName } from '../inventory/schema.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';
import { composeFiles, type GeneratedFile } from './generated-file.ts';
import { renderArgoCd, type StackPlan } from './render-argocd.ts';
import { renderBase } from './render-base.ts';
import { renderCodeowners } from './render-codeowners.ts';
import { renderRegions } from './render-regions.ts';
import { renderWorkflows } from './render-workflows.ts';
import { renderClusterStack } from './render-clusters.ts';
import { horizontalPodAutoscaler, renderAppOverlay } from './render-overlays.ts';
import { renderReadmes } from './render-readmes.ts';
import { renderSchemas } from './render-schemas.ts';

/** The components of a stack that a cluster runs: those whose required capabilities it has. */
export const componentsOnCluster = (components: readonly Component[], cluster: Cluster, stack: StackName): Component[] =>
  cluster.stacks.includes(stack)
    ? components.filter((c) => c.stack === stack && c.requires.every((cap) => cluster.capabilities.includes(cap)))
    : [];

const baseContext = (fleet: Fleet): BaseContext => ({
  fleet,
  repository: (image) => {
    const img = fleet.images[image];
    // The loader checks every component image is declared; reaching this is a catalog bug.
    if (!img) throw new Error(`image ${image} is not declared in the fleet's images`);
    return img.repository;
  },
});

const uniqueByName = (cs: readonly Component[]): Component[] =>
  [...new Map(cs.map((c) => [c.name, c])).values()].sort((a, b) => a.name.localeCompare(b.name));

const planStacks = (fleet: Fleet, ctx: BaseContext, components: readonly Component[]): StackPlan[] =>
  STACKS.flatMap((stack) => {
    const clusters = fleet.clusters.filter((c) => c.stacks.includes(stack));
    if (clusters.length === 0) return [];
    const componentsByCluster = new Map(clusters.map((c) => [c.name, componentsOnCluster(components, c, stack)]));
    const objects: K8sObject[] = [...namespaceUnit(stack)];
    for (const comp of uniqueByName([...componentsByCluster.values()].flat())) objects.push(...comp.base(ctx));
    for (const cluster of clusters) {
      const environment = fleet.environments.find((e) => e.name === cluster.environment)!;
      for (const comp of componentsByCluster.get(cluster.name)!) {
        objects.push(...(comp.cluster?.({ ...ctx, cluster, environment }) ?? []));
        const autoscaling = environment.apps[comp.name]?.autoscaling;
        if (autoscaling) objects.push(horizontalPodAutoscaler(comp, autoscaling));
      }
    }
    return [{ stack, clusters, componentsByCluster, objects }];
  });

export const renderFleet = (input: Fleet, components: readonly Component[] = componentsFor(input)): GeneratedFile[] => {
  // The loader already sorts clusters; sorting again keeps the render deterministic for any caller.
  const fleet: Fleet = { ...input, clusters: [...input.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  const ctx = baseContext(fleet);
  const plans = planStacks(fleet, ctx, components);
  const groups: GeneratedFile[][] = [];
  for (const plan of plans) {
    groups.push(renderBase(ctx, [plan.stack], []));
    groups.push(renderBase(ctx, [], uniqueByName([...plan.componentsByCluster.values()].flat())));
  }
  for (const env of fleet.environments) {
    const used = uniqueByName(
      fleet.clusters.filter((c) => c.environment === env.name).flatMap((c) => STACKS.flatMap((s) => componentsOnCluster(components, c, s))),
    );
    groups.push(used.flatMap((comp) => renderAppOverlay(ctx, env, comp)));
  }
  for (const plan of plans) {
    for (const cluster of plan.clusters) {
      const environment = fleet.environments.find((e) => e.name === cluster.environment)!;
      groups.push(renderClusterStack(ctx, cluster, environment, plan.stack, plan.componentsByCluster.get(cluster.name)!));
    }
  }
  groups.push(renderArgoCd(fleet, plans), renderReadmes(), renderSchemas(), renderCodeowners(fleet), renderWorkflows(fleet), renderRegions(fleet, components));
  return composeFiles(...groups);
};
