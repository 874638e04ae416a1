// `pnpm gen` end to end on temp copies of inventories: first write, no-op rerun, --check, hand edits,
// foreign files, pruning, and bad input that must leave the tree exactly as it was.
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/gen.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let root: string;
let inventory: string;

const gen = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(['--inventory', inventory, '--out', root, ...argv], c.io);
  return { code, out: c.out(), err: c.err() };
};

beforeEach(async () => {
  root = await tempDir('gen-cli');
  inventory = await copyInventory(DEFAULT_INVENTORY, root);
});
afterEach(async () => removeDir(root));

describe('pnpm gen', () => {
  it('writes the tree, then a second run writes nothing and --check passes', async () => {
    const first = await gen();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^\d+ files changed \(\d+ created\)/);
    const before = await snapshotTree(root);
    expect([...before.keys()]).toContain('clusters/dev-k3d/streaming/kustomization.yaml');
    expect([...before.keys()]).toContain('.gen-ledger.json');

    const second = await gen();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/^0 files changed, \d+ unchanged/);
    expect(await snapshotTree(root)).toEqual(before);

    const check = await gen('--check');
    expect(check.code).toBe(0);
    expect(check.out).toContain('up to date');
  });

  it('--check exits 1 with the changed files and a diff when the inventory changed, and writes nothing', async () => {
    await gen();
    const env = join(inventory, 'environments', 'dev.yaml');
    await writeFile(env, (await readFile(env, 'utf8')).replace('ott-auth: "1.3.0"', 'ott-auth: "1.3.1"'));
    const before = await snapshotTree(root);
    const check = await gen('--check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('overlays/dev/streaming/ott-auth/kustomization.yaml');
    expect(check.out).toContain('+    newTag: 1.3.1');
    expect(check.out).toContain('run "pnpm gen"');
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('changing dev origin replicas 1 → 3 → 2 changes one line of one generated file each time', async () => {
    await gen();
    const env = join(inventory, 'environments', 'dev.yaml');
    const text = await readFile(env, 'utf8');
    let previous = await snapshotTree(root);
    for (const n of [3, 2]) {
      await writeFile(env, text.replace(/(rtmp-origin:\n\s+replicas: )1/, `$1${n}`));
      const r = await gen();
      expect(r.out).toMatch(/^1 file changed \(1 updated\)/);
      const now = await snapshotTree(root);
      const changed = [...now.keys()].filter(
        (k) => k !== '.gen-ledger.json' && !k.startsWith('inventory/') && now.get(k) !== previous.get(k),
      );
      expect(changed).toEqual(['overlays/dev/streaming/rtmp-origin/kustomization.yaml']);
      const [a, b] = [previous.get(changed[0]!)!.split('\n'), now.get(changed[0]!)!.split('\n')];
      expect(a.filter((line, i) => line !== b[i])).toHaveLength(1);
      expect(b).toContain(`    count: ${n}`);
      previous = now;
    }
  });

  it('refuses to overwrite a hand-edited generated file (exit 3) unless --force', async () => {
    await gen();
    const env = join(inventory, 'environments', 'dev.yaml');
    await writeFile(env, (await readFile(env, 'utf8')).replace('ott-auth: "1.3.0"', 'ott-auth: "1.3.1"'));
    const target = join(root, 'overlays/dev/streaming/ott-auth/kustomization.yaml');
    await writeFile(target, `${await readFile(target, 'utf8')}# tweak\n`);
    const before = await snapshotTree(root);
    const refused = await gen();
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('overlays/dev/streaming/ott-auth/kustomization.yaml');
    expect(refused.err).toContain('--force');
    expect(await snapshotTree(root)).toEqual(before);

    const forced = await gen('--force');
    expect(forced.code).toBe(0);
    expect(await readFile(target, 'utf8')).not.toContain('# tweak');
    expect(await readFile(target, 'utf8')).toContain('newTag: 1.3.1');
  });

  it('never touches a hand-written file next to generated ones', async () => {
    await gen();
    const mine = join(root, 'clusters', 'dev-k3d', 'streaming', 'NOTES.md');
    await writeFile(mine, 'hand-written\n');
    expect((await gen()).code).toBe(0);
    expect(await readFile(mine, 'utf8')).toBe('hand-written\n');
  });

  it('refuses when a generated path is taken by a hand-written file', async () => {
    await mkdir(join(root, 'apps'), { recursive: true });
    await writeFile(join(root, 'apps', 'kustomization.yaml'), 'mine\n');
    const r = await gen();
    expect(r.code).toBe(3);
    expect(r.err).toContain('apps/kustomization.yaml');
    expect(await readFile(join(root, 'apps', 'kustomization.yaml'), 'utf8')).toBe('mine\n');
  });

  it('refuses to remove Applications unless --allow-removal names each, then prunes only that cluster', async () => {
    await gen();
    const clusters = join(inventory, 'clusters.yaml');
    const text = await readFile(clusters, 'utf8');
    const start = text.indexOf('  - name: prod-us-east-1');
    const end = text.indexOf('  # GPU transcoding farm');
    await writeFile(clusters, text.slice(0, start) + text.slice(end));
    // The API platform names its clusters: it leaves that one too (else the inventory names the unknown cluster).
    const system = join(inventory, 'systems', 'api-platform.yaml');
    const systemText = await readFile(system, 'utf8');
    expect(systemText).toContain(', prod-us-east-1]');
    await writeFile(system, systemText.replace(', prod-us-east-1]', ']'));
    const before = await snapshotTree(root);

    const refused = await gen();
    expect(refused.code).toBe(5);
    expect(refused.err).toContain('refusing to remove 15 Argo CD Applications');
    expect(refused.err).toContain('- prod-us-east-1-api-platform');
    expect(refused.err).toMatch(/- prod-us-east-1-streaming {2}\(ApplicationSet streaming-prod, project streaming, prod-us-east-1\/streaming, clusters\/prod-us-east-1\/streaming\)/);
    expect(refused.err).toContain('- prod-us-east-1-cert-manager');
    expect(await snapshotTree(root)).toEqual(before);

    const flags = [...refused.err.matchAll(/--allow-removal (\S+)/g)].map((m) => m[1]!);
    expect(flags).toHaveLength(15);
    const partial = await gen(...flags.slice(1).flatMap((n) => ['--allow-removal', n]));
    expect(partial.code).toBe(5);
    expect(partial.err).toContain('refusing to remove 1 Argo CD Application');

    expect((await gen('--allow-removal', 'no-such-app', ...flags.flatMap((n) => ['--allow-removal', n]))).code).toBe(2);

    const r = await gen(...flags.flatMap((n) => ['--allow-removal', n]));
    expect(r.code).toBe(0);
    expect(r.out).toContain('removing 15 Argo CD Applications from Git (allowed)');
    expect(r.out).toContain('- clusters/prod-us-east-1/streaming/kustomization.yaml');
    const after = await snapshotTree(root);
    expect([...after.keys()].some((k) => k.startsWith('clusters/prod-us-east-1/'))).toBe(false);
    expect(after.has('clusters/prod-eu-west-1/streaming/kustomization.yaml')).toBe(true);
    // Once gone from Git, a rerun has nothing left to refuse.
    expect((await gen()).out).toMatch(/^0 files changed/);
  });

  it('exits 2 on a bad inventory, naming file, line and field, and writes nothing', async () => {
    await gen();
    const clusters = join(inventory, 'clusters.yaml');
    await writeFile(clusters, (await readFile(clusters, 'utf8')).replace('environment: staging', 'environment: stagin'));
    const before = await snapshotTree(root);
    const r = await gen();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/inventory\/clusters\.yaml:\d+:\d+ clusters\[1\]\.environment: .*"stagin".*did you mean "staging"/);
    expect(r.err).toContain('nothing was written');
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('writes nothing at all into an empty folder when the inventory is bad', async () => {
    await rm(join(inventory, 'clusters.yaml'));
    const r = await gen();
    expect(r.code).toBe(2);
    expect([...(await snapshotTree(root)).keys()].every((k) => k.startsWith('inventory/'))).toBe(true);
  });

  it('exits 2 on unknown flags and on --check with --force', async () => {
    expect((await gen('--bogus')).code).toBe(2);
    expect((await gen('--check', '--force')).code).toBe(2);
  });
});
