// Test helpers shared by render and CLI tests: load fixture inventories, copy trees, snapshot folders.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { catalogEntries } from '../../scripts/components/catalog.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const DEFAULT_INVENTORY = join(REPO_ROOT, 'inventory');
export const SMALL_FLEET_INVENTORY = join(REPO_ROOT, 'tests', 'fixtures', 'small-fleet', 'inventory');

export const loadFleet = async (dir: string): Promise<Fleet> =>
  parseInventory(await readInventorySources(dir, 'inventory'), catalogEntries());

export const tempDir = async (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), `${prefix}-`));

export const removeDir = async (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** A copy of an inventory folder in `root/inventory`, so a test can edit it. */
export const copyInventory = async (from: string, root: string): Promise<string> => {
  const to = join(root, 'inventory');
  await cp(from, to, { recursive: true });
  return to;
};

/** Every file under `dir` (relative POSIX path → content), for before/after comparisons. */
export const snapshotTree = async (dir: string): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), await readFile(p, 'utf8'));
    }
  };
  await walk(dir);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
};

/** Io that records what a CLI printed. */
export const captureIo = (): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
    out: () => out,
    err: () => err,
  };
};
