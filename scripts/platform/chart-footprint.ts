// What a pinned chart creates on a cluster, from its committed catalog: the kinds (by scope) and the namespaces
// its objects land in. AppProjects allow exactly this, hooks included: Argo CD checks every object of a sync,
// hooks too, against the project before it applies anything. Helm hooks Argo CD never runs (pre-delete,
// post-delete, test) are left out.
import { BUNDLED_CATALOGS } from './chart-catalog/bundled.ts';
import { catalogFor, type ChartCatalog, type ChartPin } from './chart-catalog/index.ts';

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** The union of kind lists, one entry per group/kind, sorted by `group/kind`: how every AppProject lists kinds. */
export const sortedUnion = (...lists: ReadonlyArray<readonly GroupKind[]>): GroupKind[] =>
  [...new Map(lists.flat().map((gk) => [`${gk.group}/${gk.kind}`, gk] as const)).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, gk]) => ({ group: gk.group, kind: gk.kind }));

export interface ChartFootprint {
  readonly cluster: readonly GroupKind[];
  readonly namespaced: readonly GroupKind[];
  /** Namespaces of its namespaced objects (the release namespace and any other, e.g. kube-system). */
  readonly namespaces: readonly string[];
}


/**
 * The catalog of a pinned chart. The inventory loader guarantees one exists (chart-pin-checks.ts) everywhere but in
 * `pnpm charts:catalog`, which renders the tree to learn the values before the catalog of a new pin is written.
 */
export const catalogOf = (pin: ChartPin, catalogs: readonly ChartCatalog[] = BUNDLED_CATALOGS): ChartCatalog | undefined => catalogFor(catalogs, pin);

const NOTHING: ChartFootprint = { cluster: [], namespaced: [], namespaces: [] };

export const chartFootprint = (catalog: ChartCatalog | undefined): ChartFootprint => {
  if (catalog === undefined) return NOTHING;
  const cluster: GroupKind[] = [];
  const namespaced: GroupKind[] = [];
  const namespaces = new Set<string>();
  for (const kind of catalog.kinds) {
    // An object runs unless it is a hook whose Argo CD phases are none.
    const running = kind.objects.filter((o) => o.argocdHookPhases === undefined || o.argocdHookPhases.length > 0);
    if (running.length === 0) continue;
    (kind.scope === 'Cluster' ? cluster : namespaced).push({ group: kind.group, kind: kind.kind });
    if (kind.scope === 'Namespaced') for (const o of running) if (o.namespace !== '') namespaces.add(o.namespace);
  }
  return { cluster, namespaced, namespaces: [...namespaces].sort() };
};
