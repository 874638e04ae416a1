// Which components run where: the one answer the render, the fleet views and the README diagram share, so a
// component that the inventory disables on a cluster (e.g. Postgres where a managed database is configured) is
// absent from all of them alike.
import type { Capability, StackName } from '../inventory/schema.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { BaseContext, ClusterContext, Component } from './component.ts';

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

/** Whether a cluster runs a component: it runs the stack, has the required capabilities, and the inventory enables it there. */
export const runsOn = (ctx: ClusterContext, c: Component): boolean =>
  ctx.cluster.stacks.includes(c.stack) &&
  c.requires.every((cap) => ctx.cluster.capabilities.includes(cap)) &&
  (c.enabled === undefined || c.enabled(ctx));

/** The components of a stack that a cluster runs (see `runsOn`). */
export const componentsOnCluster = (ctx: BaseContext, cluster: Cluster, stack: StackName): Component[] => {
  if (!cluster.stacks.includes(stack)) return [];
  const clusterCtx: ClusterContext = { ...ctx, cluster, environment: environmentOf(ctx.fleet, cluster) };
  return ctx.components.filter((c) => c.stack === stack && runsOn(clusterCtx, c));
};

/** A component's objects for one capability, as a unit under its base folder: `<component>/<capability>`. */
export interface CapabilityUnit {
  readonly component: Component;
  readonly capability: Capability;
  /** Unit name under `base/<stack>/`. */
  readonly unit: string;
}

/** The capability units a cluster includes: of the components it runs, those with objects for its capabilities. */
export const capabilityUnitsOn = (cluster: Cluster, components: readonly Component[]): CapabilityUnit[] =>
  components.flatMap((component) =>
    [...cluster.capabilities]
      .sort()
      .filter((capability) => component.withCapability?.[capability] !== undefined)
      .map((capability) => ({ component, capability, unit: `${component.name}/${capability}` })),
  );
