// The promotion plan, pure: which image pins change in the target environment, which apps run those images
// (an image can be shared: promoting one app then changes the other too, and the plan says so), and which
// clusters of the target environment are affected.
import { appsForCluster, type CatalogEntry, type Environment, type Fleet } from '../model/fleet.ts';
import type { Selection } from './selection.ts';

export interface PinChange {
  readonly image: string;
  /** The target environment's pin now; undefined when it has none yet. */
  readonly before: string | undefined;
  readonly after: string;
}

export interface AppRow {
  readonly app: string;
  readonly stack: string;
  readonly image: string;
  readonly before: string | undefined;
  readonly after: string;
  /** Clusters of the target environment that run this app (empty: pinned but run nowhere there). */
  readonly clusters: readonly string[];
  /** False when the app changes only because it shares an image with a selected app. */
  readonly selected: boolean;
}

export interface AffectedCluster {
  readonly name: string;
  readonly stacks: readonly string[];
}

export interface PromotionPlan {
  readonly from: string;
  readonly to: string;
  readonly changes: readonly PinChange[];
  readonly rows: readonly AppRow[];
  readonly clusters: readonly AffectedCluster[];
  /** Stacks with at least one affected cluster (for PR labels). */
  readonly stacks: readonly string[];
  readonly notes: readonly string[];
}

const environment = (fleet: Fleet, name: string): Environment => {
  const env = fleet.environments.find((e) => e.name === name);
  if (env === undefined) throw new Error(`environment ${name} is not in the fleet`);
  return env;
};

/** Clusters of `env` running `app` (stack listed on the cluster, capabilities present). */
export const clustersRunning = (fleet: Fleet, catalog: readonly CatalogEntry[], env: string, app: CatalogEntry): string[] =>
  fleet.clusters
    .filter((c) => c.environment === env && c.stacks.includes(app.stack))
    .filter((c) => appsForCluster(catalog, c, app.stack).some((a) => a.name === app.name))
    .map((c) => c.name);

export const planPromotion = (
  fleet: Fleet,
  catalog: readonly CatalogEntry[],
  from: string,
  to: string,
  selection: Selection,
): PromotionPlan => {
  const source = environment(fleet, from);
  const target = environment(fleet, to);
  const notes: string[] = [];
  const images = [...new Set(selection.components.flatMap((c) => c.images))];
  const changes: PinChange[] = [];
  for (const image of images) {
    const after = source.versions[image];
    const before = target.versions[image];
    if (after === undefined) {
      if (before !== undefined) notes.push(`${image}: not pinned in ${from}; ${to} keeps ${before}`);
      continue;
    }
    if (after !== before) changes.push({ image, before, after });
  }
  changes.sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));

  const selected = new Set(selection.components.map((c) => c.name));
  const rows: AppRow[] = [];
  for (const change of changes) {
    const users = catalog.filter((c) => c.images.includes(change.image));
    for (const app of users) {
      rows.push({ app: app.name, stack: app.stack, image: change.image, before: change.before, after: change.after, clusters: clustersRunning(fleet, catalog, to, app), selected: selected.has(app.name) });
    }
    const riders = users.filter((u) => !selected.has(u.name)).map((u) => u.name);
    if (riders.length > 0) {
      const chosen = users.filter((u) => selected.has(u.name)).map((u) => u.name);
      notes.push(`image ${change.image} is shared: promoting ${chosen.join(', ')} also changes ${riders.join(', ')}`);
    }
  }

  const byCluster = new Map<string, Set<string>>();
  for (const r of rows) for (const c of r.clusters) (byCluster.get(c) ?? byCluster.set(c, new Set()).get(c))?.add(r.stack);
  const clusters = [...byCluster.entries()]
    .map(([name, stacks]) => ({ name, stacks: [...stacks].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const stacks = [...new Set(clusters.flatMap((c) => c.stacks))].sort();
  return { from, to, changes, rows, clusters, stacks, notes };
};
