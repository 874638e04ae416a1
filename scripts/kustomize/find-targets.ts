// The folders Argo CD syncs: every `clusters/<cluster>/<stack>/` that holds a kustomization.yaml.
// Deliberately a plain folder walk; a later module will list them from the ApplicationSets instead.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { CLUSTERS_DIR, KUSTOMIZATION_FILE, clusterStackPath } from '../lib/layout.ts';

export interface KustomizeTarget {
  readonly cluster: string;
  readonly stack: string;
  /** POSIX path relative to the root: `clusters/<cluster>/<stack>`. */
  readonly path: string;
  /** Absolute (or root-relative, as `root` was given) folder to build. */
  readonly dir: string;
}

const subdirs = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
};

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every `clusters/<cluster>/<stack>` under `root` that contains a kustomization.yaml, sorted by path.
 * Returns [] when `root/clusters` does not exist.
 */
export const findClusterStackTargets = async (root: string): Promise<KustomizeTarget[]> => {
  const clustersDir = join(root, CLUSTERS_DIR);
  if (!existsSync(clustersDir)) return [];
  const targets: KustomizeTarget[] = [];
  for (const cluster of await subdirs(clustersDir)) {
    for (const stack of await subdirs(join(clustersDir, cluster))) {
      const dir = join(clustersDir, cluster, stack);
      if (existsSync(join(dir, KUSTOMIZATION_FILE))) {
        targets.push({ cluster, stack, path: clusterStackPath(cluster, stack), dir });
      }
    }
  }
  return targets.sort((a, b) => byCodeUnits(a.path, b.path));
};
