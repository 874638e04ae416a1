import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Kustomize builds and property tests spawn processes; keep headroom on 2-core machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
