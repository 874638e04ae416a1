// `pnpm new cluster`: a copy of a peer (every non-identity setting), inserted in name order among its environment's
// clusters, validated like a hand edit, planned (with --dry-run: only planned), then gen.
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as newCmd } from '../../scripts/cli/new.ts';
import { applicationTargets } from '../../scripts/kustomize/application-targets.ts';
import { BuildCache } from '../../scripts/kustomize/build-cache.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { renderPaths } from '../../scripts/kustomize/render-applications.ts';
import { checkApplications } from '../../scripts/policy/check-applications.ts';
import { SchemaRegistry } from '../../scripts/schemas/registry.ts';
import { deriveDomain } from '../../scripts/scaffold/add-cluster.ts';
import { withoutCluster } from '../../scripts/scaffold/remove-cluster.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, loadFleet, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

// One generated copy of the shipped inventory; each test works on its own copy of it.
let pristine: string;
let root: string;

beforeAll(async () => {
  pristine = await tempDir('new-cluster-pristine');
  await copyInventory(DEFAULT_INVENTORY, pristine);
  expect(await gen(['--inventory', join(pristine, 'inventory'), '--out', pristine], captureIo().io)).toBe(0);
}, 120_000);
afterAll(async () => removeDir(pristine));
beforeEach(async () => {
  root = await tempDir('new-cluster');
  await cp(pristine, root, { recursive: true });
});
afterEach(async () => removeDir(root));

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await newCmd([...argv, '--root', root], c.io);
  return { code, out: c.out(), err: c.err() };
};

type Entry = Record<string, unknown> & { name: string };
const clusters = async (): Promise<Entry[]> =>
  (load(await readFile(join(root, 'inventory', 'clusters.yaml'), 'utf8')) as { clusters: Entry[] }).clusters;

/** The blocking findings of `pnpm validate`'s checks on one cluster's Applications (built with real Kustomize). */
const blockingFindings = async (cluster: string): Promise<string[]> => {
  const fleet = await loadFleet(join(root, 'inventory'));
  const targets = applicationTargets(root, fleet).filter((t) => t.destination === cluster);
  expect(targets.length).toBeGreaterThan(0);
  const renders = await renderPaths(root, await detectEngine(), targets.map((t) => t.path), { cache: new BuildCache(undefined) });
  const byPath = new Map(renders.map((r) => [r.path, r]));
  const checked = await checkApplications(root, fleet, new SchemaRegistry(), targets.map((target) => ({ target, render: byPath.get(target.path)! })));
  return checked.applications.flatMap((a) => a.findings.filter((f) => f.blocking).map((f) => `${a.target.name}: ${f.rule} ${f.message}`));
};

describe('pnpm new cluster', () => {
  it('--like copies every non-identity setting of a prod peer: the cluster passes the checks that failed before', async () => {
    const r = await run('cluster', 'prod-ap-south-1', '--like', 'prod-eu-west-1', '--region', 'ap-south-1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('peer: prod-eu-west-1 (--like)');
    expect(r.out).toMatch(/domain +derived from prod-eu-west-1's domain euw1\.media\.acme-media\.net/);
    expect(r.out).toMatch(/transcoding +copied from prod-eu-west-1/);
    // Copied values that name the peer's own resources are pointed out.
    expect(r.out).toContain('transcoding.external.postgres.host: transcode.cq1x2y3z4a5b.eu-west-1.rds.amazonaws.com');
    const all = await clusters();
    const peer = all.find((c) => c.name === 'prod-eu-west-1')!;
    const added = all.find((c) => c.name === 'prod-ap-south-1')!;
    const identity = ['name', 'region', 'destination', 'domain'];
    const strip = (c: Entry): Record<string, unknown> => Object.fromEntries(Object.entries(c).filter(([k]) => !identity.includes(k)));
    expect(strip(added)).toEqual(strip(peer));
    expect(added).toMatchObject({ region: 'ap-south-1', destination: { name: 'prod-ap-south-1' }, domain: 'prod-ap-south-1.media.acme-media.net' });
    expect(await gen(['--check', '--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
    // Before: no transcoding.external → in-cluster StatefulSets with 1 replica → 4 blocking prod findings.
    expect(await blockingFindings('prod-ap-south-1')).toEqual([]);
  }, 240_000);

  it('without --like copies every setting of a named peer of its environment (capabilities, platform, transcoding)', async () => {
    const r = await run('cluster', 'prod-gpu-eu-west-1', '--env', 'prod', '--region', 'eu-west-1', '--capability', 'gpu');
    expect(r.code).toBe(0);
    expect(r.out).toContain("peer: prod-gpu-us-east-1 (first by name of prod's clusters with capabilities [gpu]");
    const added = (await clusters()).find((c) => c.name === 'prod-gpu-eu-west-1')!;
    expect(added).toMatchObject({ capabilities: ['gpu'], stacks: ['transcoding', 'monitoring'], transcoding: { gpu: { runtimeClassName: 'nvidia' } } });
    expect((added.transcoding as { external?: unknown }).external).toBeDefined();
  }, 120_000);

  it('--dry-run prints the plan and writes nothing', async () => {
    const before = await snapshotTree(root);
    const r = await run('cluster', 'prod-ap-south-1', '--like', 'prod-eu-west-1', '--region', 'ap-south-1', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toContain('would add cluster prod-ap-south-1 to inventory/clusters.yaml (prod, before prod-eu-west-1)');
    expect(r.out).toContain('  - name: prod-ap-south-1');
    expect(r.out).toContain('dry run: nothing was written');
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('inserts in name order among its environment\'s clusters, every other byte kept', async () => {
    const file = join(root, 'inventory', 'clusters.yaml');
    const before = await readFile(file, 'utf8');
    expect((await run('cluster', 'prod-ap-south-1', '--like', 'prod-eu-west-1', '--region', 'ap-south-1')).code).toBe(0);
    expect((await run('cluster', 'prod-zz-1', '--like', 'prod-eu-west-1')).code).toBe(0);
    expect((await run('cluster', 'dev-b', '--like', 'dev-k3d')).code).toBe(0);
    const names = (await clusters()).map((c) => c.name);
    expect(names).toEqual(['dev-b', 'dev-k3d', 'staging-eu-west-1', 'prod-ap-south-1', 'prod-eu-west-1', 'prod-us-east-1', 'prod-gpu-us-east-1', 'prod-zz-1']);
    const after = await readFile(file, 'utf8');
    // dev-b goes above dev-k3d's comment block.
    expect(after).toContain('  - name: dev-b\n');
    expect(after.indexOf('- name: dev-b')).toBeLessThan(after.indexOf('# Local development cluster (k3d)'));
    // Taking the three entries out again (as `pnpm retire cluster` does) gives the original file back.
    const withoutAdded = ['dev-b', 'prod-ap-south-1', 'prod-zz-1'].reduce((text, name) => withoutCluster(text, name)!, after);
    expect(withoutAdded).toBe(before);
  }, 120_000);

  it.each([
    { name: 'duplicate', args: ['cluster', 'prod-us-east-1', '--env', 'prod', '--region', 'us-east-1'], message: /duplicate cluster name "prod-us-east-1"/ },
    { name: 'case-insensitive duplicate', args: ['cluster', 'Prod-US-East-1', '--env', 'prod', '--region', 'us-east-1'], message: /DNS-1123 label/ },
    { name: 'bad name', args: ['cluster', 'bad_name', '--env', 'prod', '--region', 'x'], message: /clusters\[2\]\.name: expected a DNS-1123 label/ },
    { name: 'unknown environment', args: ['cluster', 'qa-1', '--env', 'prdo', '--region', 'x'], message: /--env prdo: no environment "prdo".*did you mean "prod"/ },
    { name: 'unknown peer', args: ['cluster', 'qa-1', '--like', 'prod-eu-west'], message: /--like prod-eu-west: no such cluster/ },
    { name: 'missing region', args: ['cluster', 'qa-1', '--env', 'prod'], message: /give:\n {2}--region REGION \(or --like PEER/ },
    { name: 'bad capability', args: ['cluster', 'x-1', '--env', 'prod', '--region', 'x', '--capability', 'gpuu'], message: /--capability: expected any of gpu, mesh, found "gpuu"/ },
  ])('refuses a $name, says what to give, and writes nothing', async ({ args, message }) => {
    const before = await snapshotTree(root);
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('exits 2 on bad usage with the registry help, 0 on --help', async () => {
    const bad = await run('cluster');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--like PEER');
    expect((await run('thing', 'x', '--env', 'dev', '--region', 'r')).code).toBe(2);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('examples:');
  });

  it('derives a domain from the peer\'s, or asks for one', () => {
    expect(deriveDomain('euw1.media.acme-media.net', 'prod-x')).toBe('prod-x.media.acme-media.net');
    expect(deriveDomain('example.com', 'prod-x')).toBeUndefined();
  });
});
