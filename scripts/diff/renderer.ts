// Builds kustomizations through the cache: a hit is read, a miss is built with real Kustomize (in parallel)
// and stored. Counts what it did, so reports can show that unchanged Applications were not rendered.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { buildKustomization, KustomizeBuildError } from '../kustomize/build.ts';
import type { KustomizeEngine } from '../kustomize/engine.ts';
import { mapPool } from '../kustomize/pool.ts';
import type { BuildCache } from './build-cache.ts';

export interface RenderJob {
  /** Tree root (a worktree). */
  readonly root: string;
  /** Root-relative POSIX folder, e.g. `clusters/dev-k3d/streaming`. */
  readonly path: string;
  /** Input key; undefined = not cacheable, always built. */
  readonly key: string | undefined;
}

export type Rendered =
  | { readonly ok: true; readonly yaml: string; readonly from: 'cache' | 'build' }
  | { readonly ok: false; readonly error: string };

export interface RenderStats {
  built: number;
  cacheHits: number;
}

export interface Renderer {
  readonly render: (jobs: readonly RenderJob[]) => Promise<Rendered[]>;
  readonly stats: Readonly<RenderStats>;
}

export const createRenderer = (engine: KustomizeEngine, cache: BuildCache, concurrency = availableParallelism()): Renderer => {
  const stats: RenderStats = { built: 0, cacheHits: 0 };
  const renderOne = async (job: RenderJob): Promise<Rendered> => {
    if (job.key !== undefined) {
      const hit = await cache.get(job.key);
      if (hit !== undefined) {
        stats.cacheHits++;
        return { ok: true, yaml: hit, from: 'cache' };
      }
    }
    stats.built++;
    try {
      const yaml = await buildKustomization(engine, join(job.root, ...job.path.split('/')));
      if (job.key !== undefined) await cache.put(job.key, yaml);
      return { ok: true, yaml, from: 'build' };
    } catch (error) {
      // Worktree paths are temporary and meaningless to a reader; name the folder by its tree path.
      const detail = error instanceof KustomizeBuildError ? error.detail : String(error);
      return { ok: false, error: detail.split(job.root).join('.') };
    }
  };
  return { render: (jobs) => mapPool(jobs, concurrency, renderOne), stats };
};
