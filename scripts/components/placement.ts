// Which components run where: the one answer the render, the fleet views and the README diagram share, so a
// component that the inventory disables on a cluster (e.g. Postgres where a managed database is configured) is
// absent from all of them alike.
import type { StackName } from '../inventory/schema.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { BaseContext, Component } from './component.ts';

/** The render context for a fleet: image repositories by image name, and every component. */
export const baseContextFor = (fleet: Fleet, components: readonly Component[]): BaseContext => ({
  fleet,
  components,
  repository: (image) => {
    const img = fleet.images[image];
    // The loader checks every component image is declared; reaching this is a catalog bug.
    if (!img) throw new Error(`image ${image} is not declared in the fleet's images`);
    return img.repository;
  },
});

/** The loader guarantees every cluster's environment exists. */
export const environmentOf = (fleet: Fleet, cluster: Cluster): Environment => fleet.environments.find((e) => e.name === cluster.environment)!;

/**
 * The components of a stack that a cluster runs: those whose required capabilities it has and that the
 * inventory enables there.
 */
export const componentsOnCluster = (ctx: BaseContext, cluster: Cluster, stack: StackName): Component[] => {
  if (!cluster.stacks.includes(stack)) return [];
  const environment = environmentOf(ctx.fleet, cluster);
  return ctx.components.filter(
    (c) =>
      c.stack === stack &&
      c.requires.every((cap) => cluster.capabilities.includes(cap)) &&
      (c.enabled === undefined || c.enabled({ ...ctx, cluster, environment })),
  );
};
