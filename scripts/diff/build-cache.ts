// Kustomize output by input key, on disk outside the repository tree (node_modules/.cache or the OS temp
// folder), so a second `pnpm diff` of the same revisions builds nothing. Failed builds are never stored.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOL_ROOT } from '../lib/tool-root.ts';

export interface BuildCache {
  readonly get: (key: string) => Promise<string | undefined>;
  readonly put: (key: string, yaml: string) => Promise<void>;
}

/** The variable that moves the cache (CI runners that keep one folder between jobs). */
export const CACHE_DIR_VARIABLE = 'STREAMFLEET_CACHE_DIR';


/**
 * `$STREAMFLEET_CACHE_DIR`, else `node_modules/.cache/streamfleet/kustomize` of this checkout (ignored by
 * git, shared by every worktree the tools create), else a folder under the OS temp dir.
 */
export const defaultCacheDir = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const configured = env[CACHE_DIR_VARIABLE];
  if (configured !== undefined && configured.length > 0) return configured;
  const modules = join(TOOL_ROOT, 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'streamfleet', 'kustomize') : join(tmpdir(), 'streamfleet-cache', 'kustomize');
};

let tmpCounter = 0;

/** A cache in `dir`: one file per key, written to a temp name and renamed, so readers never see half a file. */
export const diskCache = (dir: string): BuildCache => {
  const fileOf = (key: string): string => join(dir, key.slice(0, 2), `${key}.yaml`);
  return {
    get: async (key) => {
      try {
        return await readFile(fileOf(key), 'utf8');
      } catch {
        return undefined;
      }
    },
    put: async (key, yaml) => {
      const file = fileOf(key);
      try {
        await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
        const temp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
        await writeFile(temp, yaml);
        await rename(temp, file);
      } catch {
        // A cache that cannot be written only costs speed; the build result is still used.
      }
    },
  };
};

/** No persistence (`--no-cache`): builds are still shared within one run through `memoryCache`. */
export const noCache: BuildCache = { get: () => Promise.resolve(undefined), put: () => Promise.resolve() };

/** An in-memory layer in front of `inner`, so one run never builds or reads the same key twice. */
export const memoryCache = (inner: BuildCache): BuildCache => {
  const seen = new Map<string, string>();
  return {
    get: async (key) => {
      const hit = seen.get(key);
      if (hit !== undefined) return hit;
      const stored = await inner.get(key);
      if (stored !== undefined) seen.set(key, stored);
      return stored;
    },
    put: async (key, yaml) => {
      seen.set(key, yaml);
      await inner.put(key, yaml);
    },
  };
};
