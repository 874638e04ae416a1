// `pnpm bench` synthesises its fleets from the default inventory; this keeps that inventory valid (the benchmark
// itself never runs in `pnpm test`).
import { describe, expect, it } from 'vitest';

import { writeSynthInventory } from '../../scripts/bench/synth-fleet.ts';
import { catalogEntries } from '../../scripts/components/catalog.ts';
import { loadInventory } from '../../scripts/inventory/read-inventory.ts';
import { DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';

describe('synthetic bench fleet', () => {
  it('is a valid inventory with every environment, GPU clusters and three stacks per cluster', async () => {
    const root = await tempDir('bench-synth');
    try {
      const fleet = await loadInventory(writeSynthInventory(DEFAULT_INVENTORY, root, 20), catalogEntries());
      expect(fleet.clusters).toHaveLength(20);
      expect(new Set(fleet.clusters.map((c) => c.environment))).toEqual(new Set(['dev', 'staging', 'prod']));
      expect(fleet.clusters.filter((c) => c.capabilities.includes('gpu')).length).toBeGreaterThan(0);
      expect(fleet.clusters.every((c) => c.stacks.length === 3)).toBe(true);
      expect(new Set(fleet.clusters.map((c) => c.domain)).size).toBe(20);
    } finally {
      await removeDir(root);
    }
  });
});
