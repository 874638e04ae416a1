// From renders to a chart's catalog entry: objects merged across values variants and the two API sets (fresh
// cluster, everything the fleet provides), each object's API condition, kinds grouped with their scope and hook
// phases. Pure: the builder does the rendering and tells which APIs each conditional object needs.
import type { ArgoHookPhase, ApiCondition, CatalogCrd, CatalogKind, CatalogObject } from '../platform/chart-catalog/index.ts';
import type { ChartRender, RenderedCrd, RenderedObject } from './chart-render-tool.ts';

/** One values variant rendered for a fresh cluster and for one serving every provided API. */
export interface VariantRenders {
  readonly id: string;
  readonly fresh: ChartRender;
  readonly full: ChartRender;
}

export const objectKey = (o: { group: string; kind: string; namespace: string; name: string; source: string }): string =>
  `${o.group}/${o.kind}/${o.namespace}/${o.name}/${o.source}`;

/** Helm hook events Argo CD maps to its phases (argoproj/argo-cd@v3.4.4:gitops-engine/pkg/sync/hook/helm/type.go). */
const HELM_TO_ARGO: Readonly<Record<string, ArgoHookPhase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};
const ARGO_PHASES: ReadonlySet<string> = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete', 'PreDelete', 'Skip']);

/**
 * Phases Argo CD runs a hook in: its own annotation wins when it names a known phase, else the Helm events it
 * maps; undefined for an object that is no hook. A Helm hook with no mapped event (test, *-delete, *-rollback)
 * is still a hook to Argo CD, left out of the sync: [].
 */
export const argoHookPhases = (o: RenderedObject): string[] | undefined => {
  const own = (o.argocdHook ?? '').split(',').map((s) => s.trim()).filter((s) => ARGO_PHASES.has(s));
  if (own.length > 0) return [...new Set(own)].sort();
  if (o.helmHook === undefined || o.helmHook.length === 0) return undefined;
  return [...new Set(o.helmHook.map((e) => HELM_TO_ARGO[e]).filter((p): p is ArgoHookPhase => p !== undefined))].sort();
};

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

interface Seen {
  object: RenderedObject;
  versions: Set<string>;
  /** Variant ids rendering it in the fresh / full API set. */
  fresh: Set<string>;
  full: Set<string>;
}

/** The conditional objects of a render pair: in the full render only, or in the fresh render only. */
export const conditionalKeys = (r: VariantRenders): { onlyFull: string[]; onlyFresh: string[] } => {
  const fresh = new Set(r.fresh.objects.map(objectKey));
  const full = new Set(r.full.objects.map(objectKey));
  return { onlyFull: [...full].filter((k) => !fresh.has(k)).sort(), onlyFresh: [...fresh].filter((k) => !full.has(k)).sort() };
};

/** APIs that answered differently between the two renders in `template`: the candidates for a condition. */
export const changedQueries = (r: VariantRenders, template: string): string[] => {
  const freshAnswer = new Map(r.fresh.capabilityQueries.filter((q) => q.template === template).map((q) => [q.api, q.result]));
  return sortedUnique(r.full.capabilityQueries.filter((q) => q.template === template && q.result && freshAnswer.get(q.api) !== true).map((q) => q.api));
};

export interface AssembleInput {
  readonly variants: readonly VariantRenders[];
  /** Conditions found for each conditional object key (the builder probes the candidates). */
  readonly conditions: ReadonlyMap<string, ApiCondition>;
  /** Final scope of each group/Kind (the renderer's, or a CRD's from another chart). */
  readonly scopeOf: (group: string, kind: string) => 'Namespaced' | 'Cluster';
}

const stripUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const assembleObjects = (input: AssembleInput): CatalogKind[] => {
  const all = new Map<string, Seen>();
  const ids = input.variants.map((v) => v.id);
  for (const v of input.variants) {
    for (const [set, render] of [['fresh', v.fresh], ['full', v.full]] as const) {
      for (const o of render.objects) {
        const scope = input.scopeOf(o.group, o.kind);
        const normal: RenderedObject = { ...o, scope, namespace: scope === 'Cluster' ? '' : o.namespace || render.release.namespace };
        const key = objectKey(normal);
        const seen = all.get(key) ?? { object: normal, versions: new Set<string>(), fresh: new Set<string>(), full: new Set<string>() };
        seen.versions.add(o.version);
        seen[set].add(v.id);
        all.set(key, seen);
      }
    }
  }
  const kinds = new Map<string, CatalogObject[]>();
  for (const [key, s] of all) {
    const o = s.object;
    const inVariants = ids.filter((id) => s.fresh.has(id) || s.full.has(id));
    const phases = argoHookPhases(o);
    const entry: CatalogObject = stripUndefined({
      name: o.name,
      namespace: o.namespace,
      versions: [...s.versions].sort(),
      source: o.source,
      helmHook: o.helmHook !== undefined && o.helmHook.length > 0 ? [...o.helmHook] : undefined,
      argocdHookPhases: phases,
      hookDeletePolicy: o.argocdHookDeletePolicy ?? o.helmHookDeletePolicy,
      syncWave: o.syncWave,
      variants: inVariants.length < ids.length ? inVariants : undefined,
      fromCrdsDir: o.fromCrdsDir === true ? true : undefined,
      ...input.conditions.get(key),
    });
    const gk = `${o.group}/${o.kind}`;
    kinds.set(gk, [...(kinds.get(gk) ?? []), entry]);
  }
  return [...kinds.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([gk, objects]) => {
      const slash = gk.indexOf('/');
      const group = gk.slice(0, slash);
      const kind = gk.slice(slash + 1);
      objects.sort((a, b) => objectKey({ group, kind, ...a }).localeCompare(objectKey({ group, kind, ...b })));
      const unconditional = objects.filter((x) => x.requiresAnyOf === undefined && x.requiresAllOf === undefined);
      const helmHooks = sortedUnique(objects.flatMap((x) => x.helmHook ?? []));
      const argoPhases = sortedUnique(objects.flatMap((x) => x.argocdHookPhases ?? []));
      return stripUndefined({
        group,
        kind,
        scope: input.scopeOf(group, kind),
        versions: sortedUnique(objects.flatMap((x) => x.versions)),
        always: unconditional.length > 0,
        onlyWhenServed: unconditional.length > 0 ? undefined : sortedUnique(objects.flatMap((x) => [...(x.requiresAnyOf ?? []), ...(x.requiresAllOf ?? [])])),
        helmHooks: helmHooks.length > 0 ? helmHooks : undefined,
        argocdHookPhases: argoPhases.length > 0 ? argoPhases : undefined,
        objects,
      });
    });
};

export const assembleCrds = (variants: readonly VariantRenders[], conditions: ReadonlyMap<string, ApiCondition>): CatalogCrd[] => {
  const byName = new Map<string, RenderedCrd>();
  for (const v of variants) for (const c of [...v.fresh.crds, ...v.full.crds]) byName.set(c.name, c);
  return [...byName.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => {
      const condition = conditions.get(objectKey({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespace: '', name: c.name, source: c.source }));
      return stripUndefined({
        name: c.name,
        group: c.group,
        kind: c.kind,
        plural: c.plural,
        scope: c.scope,
        servedVersions: [...c.servedVersions],
        storageVersion: c.storageVersion,
        source: c.source,
        fromCrdsDir: c.fromCrdsDir === true ? true : undefined,
        condition,
      });
    });
};
