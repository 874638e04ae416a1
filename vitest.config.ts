import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// vitest 5's reporter calls Map.groupBy (Node ≥ 21) when it prints a failing test; on Node 20 that crash
// hides the real failure. The config runs in the main process before any reporter, so patch it here.
if (typeof (Map as unknown as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value: <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
      const groups = new Map<K, V[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const list = groups.get(k);
        if (list) list.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Kustomize builds and property tests spawn processes; keep headroom on 2-core machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // At least two test files at a time, even on 2 cores (where vitest's default ran them one by one): most files
    // wait on child processes (Kustomize, git, promtool, nginx, PostgreSQL), so the second worker mostly fills idle
    // time. Measured on the 2-core machine: the suite went from 1046 s to 828 s, every test passing in both.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
