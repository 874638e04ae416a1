// What a Helm-chart Application applies, from the committed chart catalog (scripts/platform/chart-catalog): every
// object of every values variant the fleet renders (a superset per cluster: the AppProject must permit all of
// them anyway), each hook in the Argo CD phase it runs in (Helm hooks Argo CD never runs are left out), and the
// CRDs it installs. Objects a chart renders only when the destination serves some API keep that condition.
import type { CatalogObject, ChartCatalog } from '../platform/chart-catalog/index.ts';
import type { SimObject } from './types.ts';

const PHASES = new Set(['PreSync', 'Sync', 'PostSync']);

const phasesOf = (o: CatalogObject): Array<SimObject['phase']> | undefined => {
  if (o.argocdHookPhases === undefined) return ['Sync'];
  const phases = o.argocdHookPhases.filter((p): p is SimObject['phase'] => PHASES.has(p));
  return phases.length > 0 ? phases : undefined;
};

const waveOf = (raw: string | undefined): number => (raw !== undefined && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : 0);

const byCatalog = new WeakMap<ChartCatalog, readonly SimObject[]>();

/** The objects of a chart, as the simulation sees them; once per catalog (every cluster's Application shares it). */
export const chartSimObjects = (catalog: ChartCatalog): readonly SimObject[] => {
  let objects = byCatalog.get(catalog);
  if (objects === undefined) byCatalog.set(catalog, (objects = catalogSimObjects(catalog)));
  return objects;
};

const catalogSimObjects = (catalog: ChartCatalog): SimObject[] => {
  const crdByName = new Map(catalog.crds.map((c) => [c.name, c] as const));
  const out: SimObject[] = [];
  for (const kind of catalog.kinds) {
    for (const o of kind.objects) {
      const phases = phasesOf(o);
      if (phases === undefined) continue;
      const crd = kind.group === 'apiextensions.k8s.io' && kind.kind === 'CustomResourceDefinition' ? crdByName.get(o.name) : undefined;
      const whenApi = o.requiresAnyOf?.[0] ?? o.requiresAllOf?.[0] ?? kind.onlyWhenServed?.[0];
      for (const phase of phases) {
        out.push({
          group: kind.group,
          kind: kind.kind,
          name: o.name,
          namespace: kind.scope === 'Namespaced' ? o.namespace : undefined,
          namespaced: kind.scope === 'Namespaced',
          phase,
          wave: waveOf(o.syncWave),
          syncOptions: [],
          ...(crd !== undefined ? { defines: { group: crd.group, kind: crd.kind } } : {}),
          ...(whenApi !== undefined ? { whenApi } : {}),
        });
      }
    }
  }
  return out;
};
