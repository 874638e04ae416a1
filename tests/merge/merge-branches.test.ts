// Two branches that each add a cluster, merged in a real temporary git repository: without the merge driver the
// generated files conflict, `pnpm gen` names them with the fix (exit 5, no stack trace) and `pnpm resolve` settles
// them; with the driver (registered as `pnpm install` does) git merges every generated file itself and a plain
// `pnpm gen` regenerates the tree from the merged inventory.
import { copyFile, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as resolveCmd } from '../../scripts/cli/resolve.ts';
import { git, tryGit } from '../../scripts/diff/git.ts';
import { captureIo, copyInventory, REPO_ROOT, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';

let root: string;
/** The committed fleet both branches start from, built once and copied per test. */
let template: string;

const run = async (cmd: typeof gen, ...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await cmd(argv, c.io);
  return { code, out: c.out(), err: c.err() };
};
const genIn = (...argv: string[]): ReturnType<typeof run> => run(gen, '--out', root, ...argv);
const resolveIn = (...argv: string[]): ReturnType<typeof run> => run(resolveCmd, '--root', root, ...argv);

const cluster = (name: string): string =>
  [
    `  - name: ${name}`,
    '    environment: prod',
    '    region: eu-central-1',
    `    destination: {name: ${name}}`,
    `    domain: ${name}.golden.example.com`,
    '    storageClass: pd-ssd',
    '    loadBalancer: gcp-l4',
    '    stacks: [streaming, monitoring]',
    '',
  ].join('\n');

const CLUSTERS = join('inventory', 'clusters.yaml');

/** A branch from main that adds `name` to the inventory (at the end, or first in the list), regenerated and committed. */
const branchAdding = async (branch: string, name: string, where: 'end' | 'start'): Promise<void> => {
  await git(root, ['checkout', '-q', '-b', branch, 'main']);
  const text = await readFile(join(root, CLUSTERS), 'utf8');
  await writeFile(join(root, CLUSTERS), where === 'end' ? text + cluster(name) : text.replace('clusters:\n', `clusters:\n${cluster(name)}`));
  expect((await genIn()).code).toBe(0);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-q', '-m', `add ${name}`]);
};

const unmerged = async (): Promise<string[]> =>
  [...new Set((await git(root, ['ls-files', '-u'])).split('\n').filter(Boolean).map((l) => l.split('\t')[1]!))].sort();

beforeAll(async () => {
  root = template = await tempDir('merge-branches-template');
  await copyInventory(SMALL_FLEET_INVENTORY, root);
  await copyFile(join(REPO_ROOT, '.gitattributes'), join(root, '.gitattributes'));
  await git(root, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['user.name', 'test'], ['user.email', 'test@example.com'], ['commit.gpgsign', 'false']]) await git(root, ['config', k!, v!]);
  expect((await genIn()).code).toBe(0);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-q', '-m', 'fleet']);
});
afterAll(async () => removeDir(template));
beforeEach(async () => {
  root = await tempDir('merge-branches');
  await cp(template, root, { recursive: true });
});
afterEach(async () => removeDir(root));

describe('merging two branches that each add a cluster', () => {
  it('without the driver: gen names the conflicted files (exit 5), resolve refuses inventory conflicts, then regenerates', async () => {
    await branchAdding('add-a', 'prod-web-a', 'end');
    await branchAdding('add-b', 'prod-web-b', 'end');
    expect((await tryGit(root, ['merge', '--no-edit', 'add-a'])).ok).toBe(false);
    const conflicted = await unmerged();
    expect(conflicted).toContain('.gen-ledger.json');
    expect(conflicted).toContain('apps/streaming-applicationset.yaml');
    expect(conflicted).toContain(CLUSTERS);

    // The inventory is the human's to merge: resolve refuses, names it, and changes nothing.
    const status = await git(root, ['status', '--porcelain']);
    const refused = await resolveIn();
    expect(refused.code).toBe(5);
    expect(refused.err).toContain(`${CLUSTERS}: inventory file`);
    expect(await git(root, ['status', '--porcelain'])).toBe(status);

    // Keep both clusters, as a reviewer would.
    const base = await git(root, ['show', `main:${CLUSTERS}`]);
    await writeFile(join(root, CLUSTERS), base + cluster('prod-web-b') + cluster('prod-web-a'));
    await git(root, ['add', CLUSTERS]);

    // The tool on a tree whose generated files conflicted: one clean message naming the file and line, the fix, exit 5.
    const broken = await genIn();
    expect(broken.code).toBe(5);
    expect(broken.err).toMatch(/\.gen-ledger\.json:\d+: has unresolved merge conflicts/);
    expect(broken.err).toContain('pnpm resolve');
    expect(broken.err).not.toMatch(/YAMLException|\n\s+at /);

    // --dry-run plans and changes nothing; the real run settles every conflict.
    const dry = await resolveIn('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('conflicts this settles');
    expect(await unmerged()).not.toEqual([]);
    const resolved = await resolveIn();
    expect(resolved.err).toBe('');
    expect(resolved.code).toBe(0);
    expect(await unmerged()).toEqual([]);
    expect((await genIn('--check')).code).toBe(0);
    const appset = await readFile(join(root, 'apps', 'streaming-applicationset.yaml'), 'utf8');
    expect(appset).toContain('prod-web-a');
    expect(appset).toContain('prod-web-b');
    expect((await tryGit(root, ['commit', '-q', '--no-edit'])).ok).toBe(true);
  });

  it('with the driver registered: git merges every generated file itself, and pnpm gen regenerates the merge', async () => {
    // The repository as a clone has it: the driver script in bin/, registered by the "prepare" script.
    await mkdir(join(root, 'bin'));
    for (const f of ['merge-generated.sh', 'register-merge-driver.sh']) await cp(join(REPO_ROOT, 'bin', f), join(root, 'bin', f));
    for (const d of ['node_modules', 'scripts']) await symlink(join(REPO_ROOT, d), join(root, d));
    await writeFile(join(root, '.git', 'info', 'exclude'), 'node_modules\nscripts\n');
    await git(root, ['add', 'bin']);
    await git(root, ['commit', '-q', '-m', 'driver']);
    const { $ } = await import('zx');
    await $({ cwd: root, quiet: true })`sh bin/register-merge-driver.sh`;
    await $({ cwd: root, quiet: true })`sh bin/register-merge-driver.sh`; // idempotent
    expect((await git(root, ['config', '--get-all', 'merge.streamfleet-generated.driver'])).trim()).toBe('sh bin/merge-generated.sh %O %A %B %P');
    expect((await git(root, ['check-attr', 'merge', '--', 'apps/streaming-applicationset.yaml'])).trim()).toMatch(/streamfleet-generated$/);

    await branchAdding('add-a', 'prod-web-a', 'end');
    await branchAdding('add-b', 'prod-web-b', 'start');
    const theirsLedger = await git(root, ['show', 'add-a:.gen-ledger.json']);
    const merge = await tryGit(root, ['merge', '--no-edit', 'add-a']);
    expect(merge.stderr).not.toContain('CONFLICT');
    expect(merge.ok).toBe(true);
    expect(await unmerged()).toEqual([]);
    // Both-changed generated files are ours, untouched; the merged ledger describes the tree exactly.
    expect(await readFile(join(root, 'apps', 'streaming-applicationset.yaml'), 'utf8')).toBe(await git(root, ['show', 'add-b:apps/streaming-applicationset.yaml']));
    expect(await readFile(join(root, '.gen-ledger.json'), 'utf8')).not.toBe(theirsLedger);
    // The merge is stale (so CI's gen --check fails until it is regenerated); pnpm gen regenerates it, and nothing is
    // mistaken for a hand edit.
    const regenerated = await genIn();
    expect(regenerated.err).toBe('');
    expect(regenerated.code).toBe(0);
    expect(regenerated.out).toMatch(/^[1-9]\d* files? changed/);
    expect((await genIn('--check')).code).toBe(0);
    const appset = await readFile(join(root, 'apps', 'streaming-applicationset.yaml'), 'utf8');
    expect(appset).toContain('prod-web-a');
    expect(appset).toContain('prod-web-b');
  });
});
