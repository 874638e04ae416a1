// `pnpm validate`'s first-sync simulation, fed from what validate already has: the root's built argocd/ folder,
// every built Application folder, the committed chart catalog, the inventory's baselines and the pinned Argo CD.
import { expandObjects } from '../argocd/expand.ts';
import { getIn, isObject, type JsonObject } from '../argocd/kube.ts';
import type { ApplicationRecord } from '../argocd/types.ts';
import { LABEL_ENVIRONMENT } from '../lib/labels.ts';
import type { Fleet } from '../model/fleet.ts';
import { mergeValues } from '../platform/addon-cluster-values.ts';
import { catalogFor, type ChartCatalog } from '../platform/chart-catalog/index.ts';
import { RUNTIME_MUTATIONS, VALUE_DRIFTS } from '../platform/runtime-mutations.ts';
import type { DriftingField } from './app-checks.ts';
import { chartSimObjects } from './chart-objects.ts';
import { servedBy } from './served.ts';
import { HUB, simulateFirstSync, type AppObjects, type SimulationResult } from './simulate.ts';
import type { SimFinding, SimObject } from './types.ts';

/** The charts `pnpm bootstrap` installs on the hub before the root exists: their CRDs are there from the start. */
export const BOOTSTRAP_CHARTS = ['argo-cd', 'external-secrets'] as const;

export interface FirstSyncInput {
  readonly fleet: Fleet;
  readonly repoRoot: string;
  /** The root's built argocd/ folder. */
  readonly rootObjects: readonly JsonObject[];
  /** Built objects of every folder of this repository an Application syncs, by repository path. */
  readonly builtObjects: ReadonlyMap<string, readonly SimObject[]>;
  readonly catalogs: readonly ChartCatalog[];
  /** A file of this repository, parsed as YAML (Helm values files an Application names through `$values`). */
  readonly readRepoYaml: (path: string) => unknown;
  /** Whether the pinned Argo CD honours SkipDryRunOnMissingResource in an Application's syncOptions. */
  readonly appLevelSkipDryRun: boolean;
  readonly unsupportedFeatures: (manifests: readonly JsonObject[]) => SimFinding[];
}

const syncOptionsOf = (app: ApplicationRecord): string[] => {
  const options = getIn(app.manifest, ['spec', 'syncPolicy', 'syncOptions']);
  return Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [];
};

/** CreateNamespace=true: Argo CD creates the destination namespace, a cluster-scoped object the project must permit. */
const namespaceObject = (app: ApplicationRecord): SimObject[] =>
  syncOptionsOf(app).includes('CreateNamespace=true') && app.destination.namespace !== undefined
    ? [{ group: '', kind: 'Namespace', name: app.destination.namespace, namespace: undefined, namespaced: false, phase: 'PreSync', wave: 0, syncOptions: [] }]
    : [];

/** The Application's sources as written: `spec.sources` when it has any (multi-source wins), else `spec.source`. */
const rawSources = (app: ApplicationRecord): JsonObject[] => {
  const spec = isObject(app.manifest.spec) ? app.manifest.spec : {};
  return Array.isArray(spec.sources) && spec.sources.length > 0 ? spec.sources.filter(isObject) : isObject(spec.source) ? [spec.source] : [];
};

/** The committed catalog of a chart source, if any. */
const sourceCatalog = (input: FirstSyncInput, source: JsonObject): ChartCatalog | undefined =>
  catalogFor(input.catalogs, { repoURL: String(source.repoURL ?? ''), chart: String(source.chart), version: String(source.targetRevision ?? '') });

const objectsOf =
  (input: FirstSyncInput) =>
  (app: ApplicationRecord): AppObjects | undefined => {
    const objects: SimObject[] = [];
    let chart = false;
    for (const source of rawSources(app)) {
      if (typeof source.chart === 'string') {
        const catalog = sourceCatalog(input, source);
        if (catalog === undefined) return undefined;
        objects.push(...chartSimObjects(catalog));
        chart = true;
      } else if (typeof source.path === 'string') {
        const built = input.builtObjects.get(source.path.replace(/\/+$/, ''));
        if (built === undefined) return undefined;
        objects.push(...built);
      }
    }
    return { objects: [...namespaceObject(app), ...objects], source: chart ? 'chart' : app.applicationSet === undefined && app.sources.some((s) => s.path === 'argocd') ? 'root' : 'kustomize' };
  };

/**
 * The Helm values a chart source gets: its value files in order (a `$ref/…` file read from this repository when
 * `ref` names a source of this repository), then `valuesObject` on top, as Argo CD hands them to `helm template`.
 */
const helmValuesOf = (input: FirstSyncInput, app: ApplicationRecord, source: JsonObject): Record<string, unknown> => {
  const refs = new Set(app.sources.filter((s) => s.ref !== undefined && s.inRepo).map((s) => s.ref));
  let values: Record<string, unknown> = {};
  const files = getIn(source, ['helm', 'valueFiles']);
  for (const file of Array.isArray(files) ? files : []) {
    const m = typeof file === 'string' ? /^\$([^/]+)\/(.+)$/.exec(file) : null;
    if (m === null || !refs.has(m[1]!)) continue;
    const parsed = input.readRepoYaml(m[2]!);
    if (isObject(parsed)) values = mergeValues(values, parsed);
  }
  const inline = getIn(source, ['helm', 'valuesObject']);
  return isObject(inline) ? mergeValues(values, inline) : values;
};

/** What the chart's controllers rewrite at run time to a value other than the one this Application applies. */
const mutationsOf =
  (input: FirstSyncInput) =>
  (app: ApplicationRecord): DriftingField[] =>
    rawSources(app).flatMap((source) => {
      const catalog = typeof source.chart === 'string' ? sourceCatalog(input, source) : undefined;
      if (catalog === undefined) return [];
      const values = helmValuesOf(input, app, source);
      const drifts = (VALUE_DRIFTS[catalog.name] ?? [])
        .filter((d) => getIn(values, [...d.unless.path]) !== d.unless.equals)
        .map((d) => ({ group: d.group, kind: d.kind, name: d.name, field: d.jqPathExpression, why: d.why }));
      const rendered = (RUNTIME_MUTATIONS[catalog.name] ?? [])
        .filter((m) => m.rendered)
        .flatMap((m) => [...(m.jqPathExpressions ?? []), ...(m.jsonPointers ?? [])].map((field) => ({ group: m.group, kind: m.kind, name: m.name, field, why: `rewritten by the ${catalog.name} chart's own controllers` })));
      return [...drifts, ...rendered];
    });

export interface FirstSyncOutcome extends SimulationResult {
  /** Applications the simulation walked. */
  readonly applications: number;
  readonly rootName: string;
  /** The ApplicationSet (ref) that generates an Application, by Application name. */
  readonly generatedBy: ReadonlyMap<string, string>;
}

export const runFirstSync = (input: FirstSyncInput): FirstSyncOutcome => {
  const expansion = expandObjects(input.rootObjects, { repoRoot: input.repoRoot });
  const hubCrds = input.catalogs.filter((c) => (BOOTSTRAP_CHARTS as readonly string[]).includes(c.name)).flatMap((c) => c.crds.map((crd) => `${crd.group}/${crd.kind}`));
  const clusters = new Map(input.fleet.clusters.map((c) => [c.destination.name ?? c.destination.server ?? c.name, c] as const));
  const environments = new Map(input.fleet.environments.map((e) => [e.name, e] as const));
  const result = simulateFirstSync({
    rootObjects: input.rootObjects,
    rootName: expansion.root?.name ?? 'root',
    applications: expansion.applications,
    expansionFindings: expansion.findings,
    objectsOf: objectsOf(input),
    servedOn: (cluster) =>
      cluster === HUB ? servedBy(input.fleet.argocd.hubBaseline ?? [], hubCrds) : servedBy(clusters.get(cluster)?.baseline ?? []),
    appLevelSkipDryRun: input.appLevelSkipDryRun,
    mutationsOf: mutationsOf(input),
    wantsPrune: (app) => {
      const policy = environments.get(app.labels[LABEL_ENVIRONMENT] ?? '')?.syncPolicy;
      return policy?.automated === true && policy.prune;
    },
    unsupportedFeatures: input.unsupportedFeatures,
  });
  const generatedBy = new Map(
    expansion.applications.flatMap((a) => (a.applicationSet !== undefined ? [[a.name, `ApplicationSet/${a.namespace}/${a.applicationSet}`] as const] : [])),
  );
  return { ...result, applications: expansion.applications.length, rootName: expansion.root?.name ?? 'root', generatedBy };
};
