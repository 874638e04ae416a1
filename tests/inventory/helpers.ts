// Shared test helpers: the shipped inventory as sources, small text mutations of it, and a way to
// get the InventoryError a mutation causes.
import { resolve } from 'node:path';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { parseInventory, type InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import type { CatalogEntry } from '../../scripts/model/fleet.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';

export const FLEET = 'inventory/fleet.yaml';
export const CLUSTERS = 'inventory/clusters.yaml';
export const DEV = 'inventory/environments/dev.yaml';
export const STAGING = 'inventory/environments/staging.yaml';
export const PROD = 'inventory/environments/prod.yaml';
export const API_PLATFORM = 'inventory/systems/api-platform.yaml';

/** The shipped inventory, read with cwd-relative names (vitest runs from the repository root). */
export const defaultSources = (): Promise<InventorySource[]> => readInventorySources(resolve('inventory'));

export type Mutation = (sources: readonly InventorySource[]) => InventorySource[];

export const textOf = (sources: readonly InventorySource[], file: string): string => {
  const found = sources.find((s) => s.file === file);
  if (found === undefined) throw new Error(`test setup: no source ${file}`);
  return found.text;
};

/** Edit one file; fails loudly when the edit changes nothing (the shipped inventory moved on). */
export const edit =
  (file: string, change: (text: string) => string): Mutation =>
  (sources) => {
    const text = textOf(sources, file);
    const changed = change(text);
    if (changed === text) throw new Error(`test setup: mutation of ${file} changed nothing`);
    return sources.map((s) => (s.file === file ? { file, text: changed } : s));
  };

/** Replace the one occurrence of `from` (several occurrences would make the case ambiguous). */
export const replaceOnce =
  (from: string, to: string) =>
  (text: string): string => {
    const first = text.indexOf(from);
    if (first < 0 || text.indexOf(from, first + 1) >= 0) {
      throw new Error(`test setup: expected exactly one ${JSON.stringify(from)}`);
    }
    return text.slice(0, first) + to + text.slice(first + from.length);
  };

/** Replace the n-th (1-based) occurrence of `from`. */
export const replaceNth =
  (from: string, n: number, to: string) =>
  (text: string): string => {
    let at = -1;
    for (let i = 0; i < n; i++) {
      at = text.indexOf(from, at + 1);
      if (at < 0) throw new Error(`test setup: fewer than ${n} of ${JSON.stringify(from)}`);
    }
    return text.slice(0, at) + to + text.slice(at + from.length);
  };

export const addFile =
  (file: string, text: string): Mutation =>
  (sources) => [...sources, { file, text }];

export const removeFile =
  (file: string): Mutation =>
  (sources) => {
    textOf(sources, file);
    return sources.filter((s) => s.file !== file);
  };

export const renameFile =
  (from: string, to: string): Mutation =>
  (sources) => {
    textOf(sources, from);
    return sources.map((s) => (s.file === from ? { file: to, text: s.text } : s));
  };

export const compose =
  (...mutations: Mutation[]): Mutation =>
  (sources) =>
    mutations.reduce<InventorySource[]>((acc, m) => m(acc), [...sources]);

/** 1-based line of the n-th occurrence of `needle` in `text`. */
export const lineOf = (text: string, needle: string, n = 1): number => {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`test setup: fewer than ${n} of ${JSON.stringify(needle)}`);
  }
  return text.slice(0, at).split('\n').length;
};

/** The InventoryError that parsing throws; fails the test when parsing succeeds or throws something else. */
export const inventoryError = (
  sources: readonly InventorySource[],
  catalog: readonly CatalogEntry[] = TEST_CATALOG,
): InventoryError => {
  try {
    parseInventory(sources, catalog);
  } catch (e) {
    if (e instanceof InventoryError) return e;
    throw e;
  }
  throw new Error('expected an InventoryError, but the inventory parsed');
};
