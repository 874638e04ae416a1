// The inventory loader's pure core: file texts in, validated canonical model out, or one
// InventoryError listing every problem found (YAML, schema and cross-field) across all files.
import { buildFleet } from './build-model.ts';
import { crossCheck, type ClustersInput, type EnvironmentInput } from './cross-checks.ts';
import { checkChartPins } from './chart-pin-checks.ts';
import { checkImagePins } from './image-pin-checks.ts';
import { checkXiuPins } from './xiu-pin-checks.ts';
import { IMAGE_CATALOG } from '../images/catalog.ts';
import { BUNDLED_CATALOGS } from '../platform/chart-catalog/bundled.ts';
import type { ChartCatalog } from '../platform/chart-catalog/index.ts';
import { checkInventoryApps, inventoryAppEntries } from './inventory-apps.ts';
import { InventoryError, type InventoryIssue } from './errors.ts';
import { analysePromotion } from './promotion.ts';
import { checkSchemaVersion } from './schema-version.ts';
import { yaml11Issues } from './yaml11-scalars.ts';
import { passedAt, validateSchema, type FileKind, type SchemaResult } from './schema-issues.ts';
import type { ClusterEntry, ClustersFile, EnvironmentFile, FleetFile } from './schema.ts';
import type { SystemFile } from './system-schema.ts';
import type { SystemInput } from './cross-check-input.ts';
import { checkSystems, systemCatalogEntries } from './system-checks.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';
import { CLUSTERS_FILE, ENVIRONMENTS_DIR, FLEET_FILE, INVENTORY_DIR, posixJoin, SYSTEMS_DIR } from '../lib/layout.ts';
import type { CatalogEntry, Fleet } from '../model/fleet.ts';

export interface InventorySource {
  /** Repo-relative POSIX path, e.g. `inventory/clusters.yaml`; decides what the file is. */
  readonly file: string;
  readonly text: string;
}

const ENV_SUFFIX = '.yaml';

interface Classified {
  fleet: InventorySource | undefined;
  clusters: InventorySource | undefined;
  environments: Array<{ name: string; source: InventorySource }>;
  systems: Array<{ name: string; source: InventorySource }>;
  /** The inventory folder the sources came from, for naming files that are missing. */
  dir: string;
}

const segments = (file: string): string[] => file.split(/[\\/]/);
const parentOf = (file: string): string => segments(file).slice(0, -1).join('/');

/** Sort the sources into their roles by path; anything unexpected is an issue, not a crash. */
function classify(sources: readonly InventorySource[], issues: InventoryIssue[]): Classified {
  const out: Classified = { fleet: undefined, clusters: undefined, environments: [], systems: [], dir: INVENTORY_DIR };
  let dir: string | undefined;
  const fileIssue = (file: string, message: string): void => {
    issues.push({ file: file === '' ? '(unnamed source)' : file, line: 0, col: 0, field: '(file)', message });
  };
  for (const source of sources) {
    const parts = segments(source.file);
    const base = parts[parts.length - 1] ?? '';
    const folder = parts[parts.length - 2];
    if (folder === ENVIRONMENTS_DIR && base.endsWith(ENV_SUFFIX) && base.length > ENV_SUFFIX.length) {
      const name = base.slice(0, -ENV_SUFFIX.length);
      if (out.environments.some((e) => e.name === name)) {
        fileIssue(source.file, `a second file for environment "${name}"`);
      } else out.environments.push({ name, source });
      dir ??= parts.slice(0, -2).join('/');
    } else if (folder === ENVIRONMENTS_DIR && base.endsWith('.yml')) {
      fileIssue(source.file, `environment files end in ${ENV_SUFFIX}; rename to ${base.slice(0, -4)}${ENV_SUFFIX}`);
    } else if (folder === SYSTEMS_DIR && base.endsWith(ENV_SUFFIX) && base.length > ENV_SUFFIX.length) {
      out.systems.push({ name: base.slice(0, -ENV_SUFFIX.length), source });
      dir ??= parts.slice(0, -2).join('/');
    } else if (folder === SYSTEMS_DIR && base.endsWith('.yml')) {
      fileIssue(source.file, `system files end in ${ENV_SUFFIX}; rename to ${base.slice(0, -4)}${ENV_SUFFIX}`);
    } else if (base === FLEET_FILE || base === CLUSTERS_FILE) {
      const role = base === FLEET_FILE ? 'fleet' : 'clusters';
      if (out[role] !== undefined) fileIssue(source.file, `a second ${base}; the inventory has exactly one`);
      else out[role] = source;
      dir ??= parentOf(source.file);
    } else {
      fileIssue(
        source.file,
        `not an inventory file: expected ${FLEET_FILE}, ${CLUSTERS_FILE}, ${ENVIRONMENTS_DIR}/<name>${ENV_SUFFIX} or ${SYSTEMS_DIR}/<name>${ENV_SUFFIX}`,
      );
    }
  }
  out.dir = dir ?? INVENTORY_DIR;
  return out;
}

interface CheckedFile<T> {
  readonly yaml: YamlSource;
  /** Undefined when the YAML itself was broken (nothing to validate). */
  readonly schema: SchemaResult | undefined;
  /** The data, typed, when the whole file passed the schema. */
  readonly value: T | undefined;
}

function checkFile<T>(kind: FileKind, source: InventorySource, issues: InventoryIssue[]): CheckedFile<T> {
  const yaml = parseYamlSource(source.file, source.text);
  issues.push(...yaml.issues);
  if (yaml.data === undefined) return { yaml, schema: undefined, value: undefined };
  const unreadable = checkSchemaVersion(yaml);
  if (unreadable !== undefined) {
    // A format this loader does not read: that is the one thing to say about the file (its fields may all differ).
    issues.push(unreadable);
    return { yaml, schema: { issues: [unreadable], invalidPaths: [[]] }, value: undefined };
  }
  const schema = validateSchema(kind, yaml);
  issues.push(...schema.issues);
  // Not a reason to distrust the data (this loader reads it as written), so the value still feeds the cross-checks.
  issues.push(...yaml11Issues(yaml, source.text, schema.issues));
  return { yaml, schema, value: schema.issues.length === 0 ? (yaml.data as T) : undefined };
}

/** Per cluster entry: trustworthy when the schema found nothing in it (others may still be broken). */
function clustersInput(checked: CheckedFile<ClustersFile>): ClustersInput {
  const data = checked.yaml.data;
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  const list: unknown = isObject ? (data as { clusters?: unknown }).clusters : undefined;
  const items: unknown[] = Array.isArray(list) ? list : [];
  const schema = checked.schema;
  const entries = items.map((item, i) =>
    schema !== undefined && passedAt(schema, ['clusters', i]) ? (item as ClusterEntry) : undefined,
  );
  const names = items.map((item) => {
    const name: unknown = item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : undefined;
  });
  return { source: checked.yaml, entries, names, complete: checked.value !== undefined };
}

const missingFile = (file: string, what: string): InventoryIssue => ({
  file,
  line: 0,
  col: 0,
  field: '(file)',
  message: `missing file: the inventory needs ${what}`,
});

/**
 * Parse and validate the inventory. `sources` holds one fleet file, one clusters file and the
 * environment files (classified by path); `catalog` is what the component catalog offers.
 * Throws InventoryError with every issue found; throws nothing else.
 */
export function parseInventory(
  sources: readonly InventorySource[],
  catalog: readonly CatalogEntry[],
  /**
   * The chart catalogs every chart pin must have; `null` skips that check (only `pnpm charts:catalog`, which
   * writes the catalog of a new pin, reads an inventory before its catalog exists).
   */
  charts: readonly ChartCatalog[] | null = BUNDLED_CATALOGS,
): Fleet {
  const issues: InventoryIssue[] = [];
  const classified = classify(sources, issues);

  const fleet = classified.fleet ? checkFile<FleetFile>('fleet', classified.fleet, issues) : undefined;
  if (!classified.fleet) {
    issues.push(missingFile(posixJoin(classified.dir, FLEET_FILE), 'the fleet name, Git repository and images'));
  }

  const clusters = classified.clusters ? checkFile<ClustersFile>('clusters', classified.clusters, issues) : undefined;
  if (!classified.clusters) {
    issues.push(missingFile(posixJoin(classified.dir, CLUSTERS_FILE), 'the list of clusters'));
  }

  const environments = classified.environments
    .map(({ name, source }) => ({ name, checked: checkFile<EnvironmentFile>('environment', source, issues) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const envInputs: EnvironmentInput[] = environments.map(({ name, checked }) => ({
    name,
    source: checked.yaml,
    value: checked.value,
  }));

  const systems: SystemInput[] = classified.systems
    .map(({ name, source }) => ({ name, checked: checkFile<SystemFile>('system', source, issues) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, checked }) => ({ name, source: checked.yaml, value: checked.value }));

  // Apps declared in fleet.yaml and the systems' services are part of the catalog for every other check.
  const fullCatalog = [...catalog, ...inventoryAppEntries(fleet?.value), ...systemCatalogEntries(systems)];
  const input = {
    catalog: fullCatalog,
    systems,
    fleet: fleet?.value !== undefined ? { source: fleet.yaml, value: fleet.value } : undefined,
    clusters: clusters !== undefined ? clustersInput(clusters) : undefined,
    environments: envInputs,
    environmentsDir: posixJoin(classified.dir, ENVIRONMENTS_DIR),
  };
  issues.push(...crossCheck(input));
  if (charts !== null) checkChartPins(input, charts, (i) => issues.push(i));
  checkImagePins(input, IMAGE_CATALOG, (i) => issues.push(i));
  checkXiuPins(input, (i) => issues.push(i));
  checkInventoryApps(input, catalog, (i) => issues.push(i));
  checkSystems(input, catalog, (i) => issues.push(i));

  const order = analysePromotion(
    envInputs.map((e) => ({ name: e.name, promotesTo: e.value?.promotesTo })),
    true,
  ).order;
  const fleetFile = fleet?.value;
  const clustersFile = clusters?.value;
  if (issues.length > 0 || fleetFile === undefined || clustersFile === undefined || order === undefined) {
    // The last three only fail together with a reported issue; the guard keeps the types honest.
    const internal: InventoryIssue = {
      file: classified.dir || INVENTORY_DIR,
      line: 0,
      col: 0,
      field: '(root)',
      message: 'internal error: the inventory passed every check but could not be assembled',
    };
    throw new InventoryError(issues.length > 0 ? issues : [internal]);
  }
  const byName = new Map<string, EnvironmentFile>();
  for (const e of envInputs) if (e.value !== undefined) byName.set(e.name, e.value);
  const systemFiles = new Map(systems.flatMap((s) => (s.value === undefined ? [] : [[s.name, { file: s.source.file, value: s.value }] as const])));
  return buildFleet({ fleet: fleetFile, clusters: clustersFile.clusters, environments: byName, order, systems: systemFiles });
}
