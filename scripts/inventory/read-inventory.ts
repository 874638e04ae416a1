// The loader's IO edge: read the inventory files as text, then hand them to the pure parser.
// Missing files are not an error here; parseInventory reports them next to every other problem.
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseInventory, type InventorySource } from './parse-inventory.ts';
import { CLUSTERS_FILE, ENVIRONMENTS_DIR, FLEET_FILE, posixJoin, SYSTEMS_DIR } from '../lib/layout.ts';
import type { CatalogEntry, Fleet } from '../model/fleet.ts';

const isMissing = (e: unknown): boolean =>
  e instanceof Error && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR');

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      // `.yml` is read too, so that the parser can say it is ignored rather than skip it silently.
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && (d.name.endsWith('.yaml') || d.name.endsWith('.yml')))
      .map((d) => d.name)
      .sort();
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

/** How issues name the inventory folder: relative to the working directory when inside it, else as given. */
function displayDir(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  const inside = rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  return (inside ? rel : dir).split(sep).join('/');
}

/**
 * Read `fleet.yaml`, `clusters.yaml`, `environments/*.yaml` and `systems/*.yaml` (and `*.yml`, sorted) from `dir`. File names in
 * the result start with `repoRelativePrefix` when given, else with the cwd-relative folder.
 */
export async function readInventorySources(dir: string, repoRelativePrefix?: string): Promise<InventorySource[]> {
  const prefix = repoRelativePrefix ?? displayDir(dir);
  const names = [
    FLEET_FILE,
    CLUSTERS_FILE,
    ...(await yamlFiles(resolve(dir, ENVIRONMENTS_DIR))).map((f) => posixJoin(ENVIRONMENTS_DIR, f)),
    ...(await yamlFiles(resolve(dir, SYSTEMS_DIR))).map((f) => posixJoin(SYSTEMS_DIR, f)),
  ];
  const sources: InventorySource[] = [];
  for (const name of names) {
    const text = await readIfPresent(resolve(dir, name));
    if (text !== undefined) sources.push({ file: posixJoin(prefix, name), text });
  }
  return sources;
}

/**
 * Read and parse the inventory in `dir`; throws InventoryError listing every problem. `checkChartPins: false` only for
 * the tool that writes chart catalogs (it runs before a new pin has one).
 */
export async function loadInventory(dir: string, catalog: readonly CatalogEntry[], options: { readonly checkChartPins?: boolean } = {}): Promise<Fleet> {
  return options.checkChartPins === false ? parseInventory(await readInventorySources(dir), catalog, null) : parseInventory(await readInventorySources(dir), catalog);
}
