// What each pinned Helm chart renders with the fleet's values: one committed JSON file per chart, written by
// scripts/charts/build-catalog.ts (`pnpm charts:catalog`) from the chart source at the pinned tag, checked
// against the current pins and values by tests/charts/chart-catalog.test.ts. Read it here, never by hand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RenderedCrd } from '../../charts/chart-render-tool.ts';
import { toolPath } from '../../lib/tool-root.ts';

export const CHART_CATALOG_DIR = toolPath('scripts', 'platform', 'chart-catalog');

/** An Argo CD sync phase a hook runs in (helm.sh/hook pre-* → PreSync, post-install/upgrade → PostSync). */
export type ArgoHookPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete' | 'PreDelete' | 'Skip';

/** When an object is rendered, with respect to the APIs the destination serves. */
export interface ApiCondition {
  /** Rendered once any one of these APIs (`group/version` or `group/version/Kind`) is served. */
  readonly requiresAnyOf?: readonly string[];
  /** Rendered only when all of these are served (no single one was enough). */
  readonly requiresAllOf?: readonly string[];
  /** Rendered only while none of these is served (a fallback the chart drops once the API exists). */
  readonly absentWhenServed?: readonly string[];
}

export interface CatalogObject extends ApiCondition {
  readonly name: string;
  /** "" for cluster-scoped objects; otherwise the object's namespace (the release namespace unless it sets one). */
  readonly namespace: string;
  readonly versions: readonly string[];
  /** Template (or crds/ file) it comes from, relative to the chart: `argo-cd/templates/…`. */
  readonly source: string;
  /** helm.sh/hook events, lower-case as Helm reads them. */
  readonly helmHook?: readonly string[];
  /** The Argo CD phases the hook runs in; [] for a Helm hook Argo CD never runs (test, *-delete, *-rollback). */
  readonly argocdHookPhases?: readonly string[];
  readonly hookDeletePolicy?: string;
  readonly syncWave?: string;
  /** Variant ids (see ChartCatalog.variants) that render it, when not all do. */
  readonly variants?: readonly string[];
  /** A crds/ file: printed by --include-crds before the templates. */
  readonly fromCrdsDir?: boolean;
}

export interface CatalogKind {
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly string[];
  /** True when some object of this kind renders whatever the destination serves. */
  readonly always: boolean;
  /** When no object of the kind is unconditional: the APIs that bring it (any one of them). */
  readonly onlyWhenServed?: readonly string[];
  /** Union of the objects' helm.sh/hook events. */
  readonly helmHooks?: readonly string[];
  readonly argocdHookPhases?: readonly string[];
  readonly objects: readonly CatalogObject[];
}

/** A CRD the chart installs, as the renderer reports it (scripts/charts/chart-render-tool.ts). */
export interface CatalogCrd extends RenderedCrd {
  /** When the CRD itself depends on a served API (rare). */
  readonly condition?: ApiCondition;
}

export interface CatalogVariant {
  readonly id: string;
  readonly valuesDigest: string;
}

export interface CatalogDependency {
  readonly name: string;
  readonly alias?: string;
  readonly version: string;
  readonly repository?: string;
  readonly condition?: string;
  /** Enabled in some variant: rendered from `source`. */
  readonly enabled: boolean;
  readonly source?: string;
}

export interface ChartCatalog {
  /** `argo-cd` or the add-on name (inventory/fleet.yaml `addons:`). */
  readonly name: string;
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  readonly appVersion: string;
  /** `https://github.com/<owner>/<repo>@<tag>:<chart path>`. */
  readonly source: string;
  /** What the release build changes before packaging (see scripts/charts/upstreams.ts). */
  readonly buildSteps: readonly string[];
  /** Chart.yaml `kubeVersion` constraint, when it has one. */
  readonly kubeVersionConstraint?: string;
  readonly dependencies: readonly CatalogDependency[];
  readonly renderedWith: {
    readonly helmVersion: string;
    readonly kubeVersion: string;
    readonly releaseName: string;
    readonly namespace: string;
    /** Extra APIs of the second render: every API the fleet's charts provide (CRDs and APIServices). */
    readonly providedApis: readonly string[];
  };
  /** Digest of release name, namespace, Kubernetes version and every distinct values set. */
  readonly valuesDigest: string;
  readonly variants: readonly CatalogVariant[];
  readonly kinds: readonly CatalogKind[];
  readonly crds: readonly CatalogCrd[];
}

export const catalogFile = (name: string, dir: string = CHART_CATALOG_DIR): string => join(dir, `${name}.json`);

export class ChartCatalogMissingError extends Error {
  constructor(name: string) {
    super(`no chart catalog for ${name}: run \`pnpm charts:catalog\` (see scripts/charts/build-catalog.ts)`);
    this.name = 'ChartCatalogMissingError';
  }
}

/** A chart as the inventory pins it (Argo CD's own chart, or an add-on). */
export interface ChartPin {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

/** Helm repository URLs as the pins and catalogs write them: a trailing `/` does not make another repository. */
export const sameChartRepo = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The catalog of exactly this chart at exactly this version, if one is committed. */
export const catalogFor = (catalogs: readonly ChartCatalog[], pin: ChartPin): ChartCatalog | undefined =>
  catalogs.find((c) => sameChartRepo(c.repoURL, pin.repoURL) && c.chart === pin.chart && c.version === pin.version);

/** The catalog of one chart by its entry name; throws ChartCatalogMissingError when there is none. */
export const chartCatalog = (name: string, dir: string = CHART_CATALOG_DIR): ChartCatalog => {
  const file = catalogFile(name, dir);
  if (!existsSync(file)) throw new ChartCatalogMissingError(name);
  return JSON.parse(readFileSync(file, 'utf8')) as ChartCatalog;
};

/** Names of every committed catalog, sorted. */
export const chartCatalogNames = (dir: string = CHART_CATALOG_DIR): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

/** Every committed catalog, sorted by name. */
export const chartCatalogs = (dir: string = CHART_CATALOG_DIR): ChartCatalog[] => chartCatalogNames(dir).map((n) => chartCatalog(n, dir));

/** The kinds a chart creates, split by scope: what an AppProject whitelist must allow for it. */
export const catalogGroupKinds = (catalog: ChartCatalog): { cluster: Array<{ group: string; kind: string }>; namespaced: Array<{ group: string; kind: string }> } => ({
  cluster: catalog.kinds.filter((k) => k.scope === 'Cluster').map((k) => ({ group: k.group, kind: k.kind })),
  namespaced: catalog.kinds.filter((k) => k.scope === 'Namespaced').map((k) => ({ group: k.group, kind: k.kind })),
});
