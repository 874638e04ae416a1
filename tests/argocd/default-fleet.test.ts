// The real generator on the default inventory, previewed with the real Kustomize: exactly one Application per
// (cluster, stack) of inventory/clusters.yaml, where the inventory says, with no findings — and every folder
// an Application syncs builds.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listApplications } from '../../scripts/argocd/list-applications.ts';
import type { ExpandResult } from '../../scripts/argocd/types.ts';
import { main as gen } from '../../scripts/cli/gen.ts';
import { CLUSTERS_DIR, clusterStackPath, FLEET_FILE, PLATFORM_CONFIG_DIR } from '../../scripts/lib/layout.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../support/fleet.ts';

const generate = async (inventory: string, out: string): Promise<void> => {
  const io = captureIo();
  const code = await gen(['--inventory', inventory, '--out', out], io.io);
  expect(code, io.err()).toBe(0);
};

/** `<cluster>-<stack>` → `clusters/<cluster>/<stack>` for every stack each cluster of the inventory runs. */
const expectedStackApps = async (): Promise<Map<string, string>> => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  return new Map(fleet.clusters.flatMap((c) => c.stacks.map((s) => [`${c.name}-${s}`, clusterStackPath(c.name, s)] as const)));
};

/** Applications that sync a clusters/<cluster>/<stack> folder of this repository (not the platform config). */
const stackApps = (result: ExpandResult): [string, string][] =>
  result.applications
    .filter((a) => a.sources.some((s) => s.inRepo && s.path?.startsWith(`${CLUSTERS_DIR}/`) && !s.path.endsWith(`/${PLATFORM_CONFIG_DIR}`)))
    .map((a) => [a.name, a.sources.map((s) => s.path ?? '').join(',')]);

describe('default fleet', () => {
  let root: string;
  let result: ExpandResult;

  beforeAll(async () => {
    root = await tempDir('apps-default');
    await generate(DEFAULT_INVENTORY, root);
    result = await listApplications(root, { build: true });
  });
  afterAll(async () => removeDir(root));

  it('has exactly one Application per (cluster, stack), named <cluster>-<stack>, syncing clusters/<cluster>/<stack>', async () => {
    const expected = await expectedStackApps();
    expect(expected.size).toBeGreaterThan(0);
    const actual = stackApps(result);
    expect(actual.length).toBe(expected.size);
    expect(new Map(actual)).toEqual(expected);
    for (const [name] of actual) {
      const app = result.applications.find((a) => a.name === name);
      expect(app?.applicationSet, name).toBeDefined();
      // Cluster and stack names both may contain '-' (system `api-platform`): the labels say which part is which.
      expect(`${app?.labels['streamfleet.io/cluster']}-${app?.labels['streamfleet.io/stack']}`, name).toBe(name);
    }
  });

  it('has no findings, a root, and every ApplicationSet fully evaluated', () => {
    expect(result.findings).toEqual([]);
    expect(result.root?.path).toBe('argocd');
    expect(result.applicationSets.length).toBeGreaterThan(0);
    expect(result.applicationSets.filter((s) => !s.evaluated)).toEqual([]);
    expect(new Set(result.applications.map((a) => `${a.namespace}/${a.name}`)).size).toBe(result.applications.length);
  });

  it('builds every folder an Application of this repository syncs', async () => {
    const expected = await expectedStackApps();
    const builds = result.builds ?? [];
    expect(builds.filter((b) => b.status !== 'ok')).toEqual([]);
    for (const path of expected.values()) expect(builds.map((b) => b.path)).toContain(path);
    expect(builds.every((b) => (b.objects ?? 0) > 0)).toBe(true);
  });

  it('lists Applications sorted by (wave, name)', () => {
    const keys = result.applications.map((a) => [a.wave, a.name] as const);
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
  });
});

describe('default fleet with progressive sync', () => {
  let root: string | undefined;
  let result: ExpandResult | undefined;
  let supported = false;

  beforeAll(async () => {
    root = await tempDir('apps-progressive');
    const inventory = await copyInventory(DEFAULT_INVENTORY, root);
    const fleetFile = join(inventory, FLEET_FILE);
    const text = await readFile(fleetFile, 'utf8');
    // Only meaningful while the inventory has the switch; the generator is changing under us.
    supported = /^ {2}progressiveSync: false$/m.test(text);
    if (!supported) return;
    await writeFile(fleetFile, text.replace(/^ {2}progressiveSync: false$/m, '  progressiveSync: true'));
    await generate(inventory, root);
    result = await listApplications(root);
  });
  afterAll(async () => {
    if (root !== undefined) await removeDir(root);
  });

  it('puts every stack Application in a RollingSync step, with no findings', async (ctx) => {
    if (!supported || result === undefined) return ctx.skip();
    expect(result.findings).toEqual([]);
    const expected = await expectedStackApps();
    const apps = result.applications.filter((a) => expected.has(a.name));
    expect(apps.length).toBe(expected.size);
    for (const app of apps) expect(app.sync.mode, app.name).toBe('rolling');
  });
});
