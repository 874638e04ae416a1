// `pnpm retire cluster`: the plan names every Application the removal guard would refuse, --yes carries the guard
// in one confirmation, anything else writes nothing.
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as remove } from '../../scripts/cli/retire.ts';
import { applicationsOf } from '../../scripts/pipeline/removal-guard.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let pristine: string;
let root: string;

beforeAll(async () => {
  pristine = await tempDir('remove-cluster-pristine');
  await copyInventory(DEFAULT_INVENTORY, pristine);
  expect(await gen(['--inventory', join(pristine, 'inventory'), '--out', pristine], captureIo().io)).toBe(0);
}, 120_000);
afterAll(async () => removeDir(pristine));
beforeEach(async () => {
  root = await tempDir('remove-cluster');
  await cp(pristine, root, { recursive: true });
});
afterEach(async () => removeDir(root));

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await remove([...argv, '--root', root], c.io);
  return { code, out: c.out(), err: c.err() };
};

/** The Applications the generated ApplicationSets on disk produce, as the removal guard reads them. */
const generatedApplications = async (): Promise<Map<string, { destination: string }>> => {
  const files = (await readdir(join(root, 'apps'))).filter((f) => f.endsWith('.yaml'));
  return applicationsOf(await Promise.all(files.map(async (f) => ({ path: `apps/${f}`, content: await readFile(join(root, 'apps', f), 'utf8') }))));
};

const planned = (out: string): string[] => [...out.matchAll(/^ {2}- (\S+) {2}\(ApplicationSet /gm)].map((m) => m[1]!).sort();

describe('pnpm retire cluster', () => {
  it('--dry-run names every Application the ApplicationSets stop generating, and writes nothing', async () => {
    const before = await snapshotTree(root);
    const apps = await generatedApplications();
    const expected = [...apps.values()].filter((a) => a.destination === 'prod-gpu-us-east-1').map((a) => (a as { name?: string }).name!).sort();
    const r = await run('cluster', 'prod-gpu-us-east-1', '--dry-run');
    expect(r.code).toBe(0);
    expect(expected.length).toBeGreaterThan(5);
    expect(planned(r.out)).toEqual(expected);
    expect(r.out).toContain('clusters/prod-gpu-us-east-1/');
    expect(r.out).toContain(`argocd app delete --cascade=false ${expected.join(' ')}`);
    expect(r.out).not.toMatch(/`argocd app delete <name>`/);
    expect(await snapshotTree(root)).toEqual(before);
  }, 120_000);

  it('without --yes prints the plan, exits 5 and writes nothing', async () => {
    const before = await snapshotTree(root);
    const r = await run('cluster', 'prod-gpu-us-east-1');
    expect(r.code).toBe(5);
    expect(r.out).toContain('plan: remove cluster prod-gpu-us-east-1');
    expect(r.err).toContain('re-run with --yes');
    expect(await snapshotTree(root)).toEqual(before);
  }, 120_000);

  it('--yes removes the entry and regenerates past the removal guard; the tree is current afterwards', async () => {
    const dry = await run('cluster', 'prod-gpu-us-east-1', '--dry-run');
    const r = await run('cluster', 'prod-gpu-us-east-1', '--yes');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const text = await readFile(join(root, 'inventory', 'clusters.yaml'), 'utf8');
    expect(text).not.toContain('prod-gpu-us-east-1');
    expect(text).not.toContain('# GPU transcoding farm');
    expect(await gen(['--check', '--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
    // Exactly the planned Applications were allowed, and they are gone.
    const left = await generatedApplications();
    for (const name of planned(dry.out)) expect(left.has(name)).toBe(false);
    expect(r.out).toMatch(new RegExp(`removing ${planned(dry.out).length} Argo CD Applications from Git \\(allowed\\)`));
  }, 180_000);

  it('refuses the last cluster of an environment the inventory still configures (exit 5, nothing written)', async () => {
    const before = await snapshotTree(root);
    const r = await run('cluster', 'dev-k3d', '--yes');
    expect(r.code).toBe(5);
    expect(r.err).toContain('refusing to remove dev-k3d: it is the last cluster of environment dev');
    expect(r.err).toContain('inventory/environments/dev.yaml');
    expect(await snapshotTree(root)).toEqual(before);
  }, 60_000);

  it('refuses an unknown cluster and bad usage (exit 2); --help exits 0', async () => {
    const r = await run('cluster', 'prod-us-east', '--dry-run');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no cluster "prod-us-east".*did you mean "prod-us-east-1"/);
    expect((await run('cluster')).code).toBe(2);
    expect((await run('cluster', 'x', '--dry-run', '--yes')).code).toBe(2);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('pnpm retire cluster <name>');
  });
});
