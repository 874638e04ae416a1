// The shipped inventory loads, and the model is canonical: the order things are written in the
// YAML never shows in the result.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInventory, type InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { loadInventory } from '../../scripts/inventory/read-inventory.ts';
import { STACKS } from '../../scripts/inventory/schema.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { API_PLATFORM, CLUSTERS, defaultSources, DEV, edit, FLEET, PROD, replaceOnce, STAGING } from './helpers.ts';

describe('default inventory', () => {
  let base: InventorySource[] = [];
  beforeAll(async () => {
    base = await defaultSources();
  });

  it('is read with cwd-relative file names, environments and systems sorted', () => {
    expect(base.map((s) => s.file)).toEqual([FLEET, CLUSTERS, DEV, PROD, STAGING, API_PLATFORM]);
  });

  it('parses to 3 environments in promotion order and 5 clusters sorted by name', () => {
    const fleet = parseInventory(base, TEST_CATALOG);
    expect(fleet.name).toBe('streamfleet');
    expect(fleet.environments.map((e) => [e.name, e.order, e.promotesTo])).toEqual([
      ['dev', 0, 'staging'],
      ['staging', 1, 'prod'],
      ['prod', 2, undefined],
    ]);
    expect(fleet.clusters.map((c) => c.name)).toEqual([
      'dev-k3d',
      'prod-eu-west-1',
      'prod-gpu-us-east-1',
      'prod-us-east-1',
      'staging-eu-west-1',
    ]);
    for (const c of fleet.clusters) {
      // Built-in stacks in their order, then the systems placed on the cluster.
      expect(c.stacks).toEqual([...STACKS.filter((s) => c.stacks.includes(s)), ...(c.name === 'prod-gpu-us-east-1' ? [] : ['api-platform'])]);
      expect(c.capabilities).toEqual([...c.capabilities].sort());
    }
    expect(fleet.clusters.find((c) => c.name === 'dev-k3d')?.capabilities).toEqual([]);
    expect(fleet.environments[2]?.versions['ffmpeg-worker-cuda']).toBe('1.4.2');
  });

  it('loadInventory reads and parses in one step', async () => {
    const fleet = await loadInventory('inventory', TEST_CATALOG);
    expect(fleet).toEqual(parseInventory(base, TEST_CATALOG));
  });

  it('defaults apps to {} when an environment has none (and no system runs there)', () => {
    const noApps = edit(STAGING, (t) => t.replace(/^apps:\n(?: {2}.*\n)*/m, ''))(base.filter((s) => s.file !== API_PLATFORM));
    const staging = parseInventory(noApps, TEST_CATALOG).environments.find((e) => e.name === 'staging');
    expect(staging?.apps).toEqual({});
  });

  it('does not depend on the order of files, list items, keys or flow lists', () => {
    const withCaps = (caps: string) => edit(CLUSTERS, replaceOnce('capabilities: [gpu]', `capabilities: [${caps}]`));
    const canonical = withCaps('gpu, mesh')(base);
    const shuffled = withCaps('mesh, gpu')(base)
      .map((s) => {
        if (s.file === CLUSTERS) {
          // Reverse the cluster list (entries are separated by blank lines) and the stacks inside.
          const head = s.text.slice(0, s.text.indexOf('  - name:'));
          const body = s.text.slice(head.length).trimEnd().split('\n\n').reverse().join('\n\n');
          const text = `${head}${body}\n`
            .replace(/stacks: \[streaming, transcoding, monitoring\]/g, 'stacks: [monitoring, streaming, transcoding]')
            // and the keys inside an entry
            .replace('    environment: dev\n    region: local\n', '    region: local\n    environment: dev\n');
          return { file: s.file, text };
        }
        // Move a top-level key from the start of the file to its end.
        if (s.file === DEV) return { file: s.file, text: `${replaceOnce('promotesTo: staging\n', '')(s.text)}promotesTo: staging\n` };
        return s;
      })
      .reverse();
    const a = parseInventory(canonical, TEST_CATALOG);
    const b = parseInventory(shuffled, TEST_CATALOG);
    expect(b.clusters.find((c) => c.name === 'prod-gpu-us-east-1')?.capabilities).toEqual(['gpu', 'mesh']);
    // Byte-equal serialisations: same values and the same key order everywhere.
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(Object.keys(a.images)).toEqual(Object.keys(a.images).sort());
  });
});
