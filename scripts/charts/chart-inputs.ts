// What the fleet hands each pinned Helm chart: release name, namespace, and every distinct set of values that
// Argo CD would template it with (each generated Application's values files, values and valuesObject), plus the
// digest of those inputs that the committed catalog records. Shared by the catalog builder and its test, so a
// values change without a catalog rebuild fails CI.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';

import { ADDON_VALUES } from '../components/addon-values.ts';
import { catalogEntries, COMPONENTS } from '../components/catalog.ts';
import type { Addon } from '../inventory/schema.ts';
import { loadInventory } from '../inventory/read-inventory.ts';
import { expandApplicationSet } from '../argocd/expand-appset.ts';
import { getIn, isObject, type JsonObject } from '../argocd/kube.ts';
import { ARGOCD_NAMESPACE } from '../lib/layout.ts';
import type { Fleet } from '../model/fleet.ts';
import { renderAddonValues } from '../platform/addon-cluster-values.ts';
import { addonApplicationSet, clustersForAddon } from '../render/argocd-addons.ts';
import { selfManagedArgoCd } from '../render/argocd-bootstrap.ts';

/** Catalog name of the self-managed Argo CD chart; every other catalog entry is named after its add-on. */
export const ARGO_CD_ENTRY = 'argo-cd';

export interface ChartInputs {
  /** `argo-cd` or the add-on name: the catalog file's name. */
  readonly name: string;
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** `1.32` → `1.32.0`: what Argo CD passes as --kube-version (its parseKubeVersion keeps major.minor.patch). */
  readonly kubeVersion: string;
  /** Distinct values objects, sorted by their canonical JSON; variant ids are `v1`, `v2`, … in this order. */
  readonly variants: readonly Readonly<Record<string, unknown>>[];
  readonly valuesDigest: string;
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
};

const valuesDigestOf = (releaseName: string, namespace: string, kubeVersion: string, variants: readonly unknown[]): string =>
  `sha256:${createHash('sha256').update(canonicalJson({ releaseName, namespace, kubeVersion, variants })).digest('hex')}`;

const distinctSorted = (values: readonly unknown[]): Record<string, unknown>[] => {
  const byText = new Map<string, Record<string, unknown>>();
  for (const v of values) byText.set(canonicalJson(v ?? {}), (isObject(v) ? v : {}) as Record<string, unknown>);
  return [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
};

const kubeVersionOf = (fleet: Fleet): string => {
  const v = fleet.kubernetesVersion;
  if (v === undefined) throw new Error('inventory/fleet.yaml has no kubernetesVersion: the charts cannot be rendered for the fleet\'s clusters');
  return /^\d+\.\d+$/.test(v) ? `${v}.0` : v;
};

/** The chart's source of an Application: `spec.source`, or the one of `spec.sources` that names a chart. */
const chartSource = (app: unknown): JsonObject => {
  const single = getIn(app, ['spec', 'source']);
  if (isObject(single)) return single;
  const many = getIn(app, ['spec', 'sources']);
  const found = Array.isArray(many) ? many.find((s) => isObject(s) && typeof s.chart === 'string') : undefined;
  return isObject(found) ? found : {};
};

const helmOf = (app: unknown): JsonObject => {
  const helm = chartSource(app).helm;
  return isObject(helm) ? helm : {};
};

/** Helm's --values merge (pkg/cli/values mergeMaps): maps merge, anything else in `over` replaces, nulls stay. */
const mergeMaps = (base: JsonObject, over: JsonObject): JsonObject => {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? mergeMaps(prev, v) : v;
  }
  return out;
};

/**
 * The values Argo CD hands Helm for one Application: each `valueFiles` entry (a `$values/<path>` file of this
 * repository, taken from the generator's own output), then `values`, then `valuesObject`, later winning.
 */
const applicationValues = (app: unknown, files: ReadonlyMap<string, string>, where: string): JsonObject => {
  const helm = helmOf(app);
  let values: JsonObject = {};
  for (const ref of Array.isArray(helm.valueFiles) ? helm.valueFiles : []) {
    const text = typeof ref === 'string' && ref.startsWith('$') ? files.get(ref.slice(ref.indexOf('/') + 1)) : undefined;
    if (text === undefined) throw new Error(`${where}: values file ${String(ref)} is not one the generator writes`);
    const parsed: unknown = parseYaml(text);
    values = mergeMaps(values, isObject(parsed) ? parsed : {});
  }
  if (typeof helm.values === 'string' && helm.values.trim() !== '') {
    const parsed: unknown = parseYaml(helm.values);
    values = mergeMaps(values, isObject(parsed) ? parsed : {});
  }
  if (isObject(helm.valuesObject)) values = mergeMaps(values, helm.valuesObject);
  return values;
};

const addonInputs = (fleet: Fleet, name: string, addon: Addon, kubeVersion: string, files: ReadonlyMap<string, string>): ChartInputs => {
  const appSet = addonApplicationSet(fleet, name, addon) as unknown as JsonObject;
  const expansion = expandApplicationSet(appSet, ARGOCD_NAMESPACE);
  const problems = expansion.findings.filter((f) => f.code.startsWith('template'));
  if (problems.length > 0) throw new Error(`add-on ${name}: its ApplicationSet does not expand: ${problems.map((f) => f.message).join('; ')}`);
  const apps = expansion.applications.map((a) => a.manifest);
  // An add-on no cluster needs today still has a pinned chart: catalogue it with its fleet-wide values.
  const values = apps.length > 0 ? apps.map((a) => applicationValues(a, files, `add-on ${name}`)) : [ADDON_VALUES[name] ?? {}];
  const releaseName = String((apps.length > 0 ? helmOf(apps[0]).releaseName : undefined) ?? name);
  const variants = distinctSorted(values);
  return {
    name,
    repoURL: addon.repoURL,
    chart: addon.chart,
    version: addon.version,
    releaseName,
    namespace: addon.namespace,
    kubeVersion,
    variants,
    valuesDigest: valuesDigestOf(releaseName, addon.namespace, kubeVersion, variants),
  };
};

const argoCdInputs = (fleet: Fleet, kubeVersion: string): ChartInputs => {
  const app = selfManagedArgoCd(fleet);
  const releaseName = String(helmOf(app).releaseName);
  const namespace = app.spec?.destination?.namespace ?? ARGOCD_NAMESPACE;
  const variants = distinctSorted([applicationValues(app, new Map(), 'the argocd Application')]);
  return {
    name: ARGO_CD_ENTRY,
    repoURL: fleet.argocd.chart.repoURL,
    chart: fleet.argocd.chart.chart,
    version: fleet.argocd.chart.version,
    releaseName,
    namespace,
    kubeVersion,
    variants,
    valuesDigest: valuesDigestOf(releaseName, namespace, kubeVersion, variants),
  };
};

/** Every Helm chart the fleet pins, with what it is rendered with; sorted by name. */
export const pinnedChartInputs = (fleet: Fleet): ChartInputs[] => {
  const kubeVersion = kubeVersionOf(fleet);
  const files = new Map(renderAddonValues(fleet, (name) => clustersForAddon(fleet, fleet.addons[name]!)).map((f) => [f.path, f.content]));
  return [argoCdInputs(fleet, kubeVersion), ...Object.entries(fleet.addons).map(([name, addon]) => addonInputs(fleet, name, addon, kubeVersion, files))].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
};

/** Read the inventory folder through the project's loader (built-in components' catalog). */
// Chart pins are not checked against catalogs here: this tool writes the catalog a new pin lacks.
export const loadFleet = (inventoryDir: string): Promise<Fleet> => loadInventory(inventoryDir, catalogEntries(COMPONENTS), { checkChartPins: false });
