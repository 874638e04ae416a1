// Render every Application path with the real Kustomize: in parallel (bounded), each path once, unchanged
// paths from the build cache. Returns the YAML of each path with its kustomization graph.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { buildKustomization, KustomizeBuildError } from './build.ts';
import type { BuildCache } from './build-cache.ts';
import type { KustomizeEngine } from './engine.ts';
import { GraphReader, type KustomizationGraph } from './kustomization-graph.ts';
import { mapPool } from './pool.ts';

export interface PathRender {
  /** Repository-relative folder. */
  readonly path: string;
  readonly graph: KustomizationGraph;
  readonly ok: boolean;
  readonly yaml: string;
  readonly error?: string;
  /** Time of the Kustomize build (0 when it came from the cache). */
  readonly durationMs: number;
  readonly cached: boolean;
}

export interface RenderOptions {
  readonly concurrency?: number;
  readonly cache: BuildCache;
  /** Called after each path: (done, total, cached so far). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Render each distinct path; results in the order of `paths` (deduplicated). */
export const renderPaths = async (
  root: string,
  engine: KustomizeEngine,
  paths: readonly string[],
  options: RenderOptions,
): Promise<PathRender[]> => {
  const unique = [...new Set(paths)];
  const reader = new GraphReader(root);
  let done = 0;
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  return mapPool(unique, concurrency, async (path): Promise<PathRender> => {
    const graph = reader.graph(path);
    const key = graph.digest === undefined ? undefined : options.cache.key(engine, path, graph.digest);
    const hit = key === undefined ? undefined : options.cache.get(key);
    let result: PathRender;
    if (hit !== undefined) {
      result = { path, graph, ok: true, yaml: hit, durationMs: 0, cached: true };
    } else {
      const started = performance.now();
      try {
        const yaml = await buildKustomization(engine, join(root, path));
        if (key !== undefined) options.cache.put(key, yaml);
        result = { path, graph, ok: true, yaml, durationMs: performance.now() - started, cached: false };
      } catch (error) {
        const detail = error instanceof KustomizeBuildError ? error.detail : String(error);
        result = { path, graph, ok: false, yaml: '', error: detail, durationMs: performance.now() - started, cached: false };
      }
    }
    done++;
    options.onProgress?.(done, unique.length);
    return result;
  });
};
