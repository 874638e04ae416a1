// `--cache-dir DIR` / `--no-cache`, shared by `pnpm diff` and `pnpm promote`.
import { resolve } from 'node:path';

import { defaultCacheDir, diskCache, memoryCache, noCache, type BuildCache } from './build-cache.ts';

export interface CacheChoice {
  readonly dir: string | undefined;
  readonly cache: BuildCache;
}

/** The cache to use: none with `--no-cache`, else the folder given, else the default folder. */
export const chooseCache = (
  dir: string | undefined,
  disabled: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CacheChoice => {
  if (disabled) return { dir: undefined, cache: memoryCache(noCache) };
  const folder = resolve(dir ?? defaultCacheDir(env));
  return { dir: folder, cache: memoryCache(diskCache(folder)) };
};
