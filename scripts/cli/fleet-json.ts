// `pnpm fleet --format json`: the fleet as data, environments in promotion order, clusters by name. A stable shape
// for scripts (dashboards, inventories of other tools); the text views are for people.
import { clustersByEnvironment } from '../fleet/fleet-views.ts';
import type { Fleet } from '../model/fleet.ts';

export interface FleetJson {
  readonly fleet: string;
  readonly environments: readonly {
    readonly name: string;
    readonly order: number;
    readonly promotesTo: string | null;
    readonly clusters: readonly {
      readonly name: string;
      readonly region: string;
      readonly domain: string;
      readonly capabilities: readonly string[];
      readonly stacks: readonly string[];
      readonly loadBalancer: string;
      readonly storageClass: string;
    }[];
  }[];
  readonly systems: readonly string[];
}

export const fleetJson = (fleet: Fleet): FleetJson => ({
  fleet: fleet.name,
  environments: clustersByEnvironment(fleet).map(({ environment: env, clusters }) => ({
    name: env.name,
    order: env.order,
    promotesTo: env.promotesTo ?? null,
    clusters: clusters.map((c) => ({
      name: c.name,
      region: c.region,
      domain: c.domain,
      capabilities: [...c.capabilities],
      stacks: [...c.stacks],
      loadBalancer: c.loadBalancer,
      storageClass: c.storageClass,
    })),
  })),
  systems: fleet.systems.map((s) => s.name),
});
