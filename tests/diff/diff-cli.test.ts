// `pnpm diff` on real git repositories with real Kustomize: a commit that bumps one image in one
// environment lists only that environment's clusters; the second run builds nothing (cache); removed and
// added Applications are called out; the user's working copy and worktree list are left as they were.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../scripts/cli/diff.ts';
import { git } from '../../scripts/diff/git.ts';
import { captureIo, removeDir, tempDir } from '../support/fleet.ts';
import { cloneFixture, commitAllIn, createTemplate, extraWorktrees, genInto, type FixtureRepo } from '../promote/support/fixture-repo.ts';

let template: { dir: string; cleanup: () => Promise<void> } | undefined;
let repo: FixtureRepo;
let cacheDir: string;

const diff = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(['--root', repo.root, '--cache-dir', cacheDir, ...argv], c.io);
  return { code, out: c.out(), err: c.err() };
};

const edit = async (rel: string, fn: (text: string) => string): Promise<void> => {
  const file = join(repo.root, ...rel.split('/'));
  await writeFile(file, fn(await readFile(file, 'utf8')));
};

beforeAll(async () => {
  template = await createTemplate();
  repo = await cloneFixture(template.dir);
  cacheDir = await tempDir('diff-cache');
  // Commit 1: bump one image in one environment.
  await edit('inventory/environments/staging.yaml', (t) => t.replace('ott-auth: "1.3.0"', 'ott-auth: "1.3.1"'));
  await genInto(repo.root);
  await commitAllIn(repo.root, 'staging: ott-auth 1.3.1');
  // Commit 2: prod-us-east-1 leaves the fleet, dev-k3d drops its streaming stack, a new staging cluster joins.
  await edit('inventory/clusters.yaml', (t) =>
    t
      .replace(/ {2}- name: prod-us-east-1\n(?: {4}.*\n|\n)*?(?= {2}- name:| {2}#)/, '')
      .replace('    loadBalancer: klipper\n    stacks: [streaming, transcoding, monitoring]', '    loadBalancer: klipper\n    stacks: [transcoding, monitoring]')
      .concat(
        '\n  - name: staging-us-east-1\n    environment: staging\n    region: us-east-1\n    destination:\n      name: staging-us-east-1\n' +
          '    domain: staging-use1.media.acme-media.net\n    storageClass: gp3\n    loadBalancer: aws-nlb\n    capabilities: [mesh]\n    stacks: [monitoring]\n',
      ),
  );
  // The API platform names its clusters: it leaves prod-us-east-1 with it.
  await edit('inventory/systems/api-platform.yaml', (t) => t.replace(', prod-us-east-1]', ']'));
  const removed = ['prod-us-east-1-streaming', 'prod-us-east-1-transcoding', 'prod-us-east-1-monitoring', 'prod-us-east-1-api-platform', 'dev-k3d-streaming'];
  const addons = ['cert-manager', 'external-secrets', 'ingress-nginx', 'keda', 'metrics-server', 'prometheus-operator', 'istio-base', 'istio-cni', 'istiod', 'istio-ingressgateway', 'platform'];
  await genInto(repo.root, ...[...removed, ...addons.map((a) => `prod-us-east-1-${a}`)].flatMap((a) => ['--allow-removal', a]));
  await commitAllIn(repo.root, 'fleet: retire prod-us-east-1, add staging-us-east-1');
  // Commit 3 (a broken tree): a base file every streaming Application reads is gone.
  await rm(join(repo.root, 'base', 'streaming', 'edge-cache', 'edge-cache-service.yaml'));
  await commitAllIn(repo.root, 'oops');
});
afterAll(async () => {
  await repo?.cleanup();
  await template?.cleanup();
  await removeDir(cacheDir);
});

describe('pnpm diff', () => {
  it('a one-image bump in staging lists only staging clusters; the second run builds nothing', async () => {
    const status = await git(repo.root, ['status', '--porcelain']);
    const cold = await diff('--base', 'HEAD~3', '--head', 'HEAD~2', '--format', 'markdown');
    expect(cold.err).toBe('');
    expect(cold.code).toBe(0);
    const rows = cold.out.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(['| `staging-eu-west-1` | streaming | staging | changed | 0 | 1 | 0 |']);
    expect(cold.out).toContain('-          image: ghcr.io/acme-media/ott-auth:1.3.0\n+          image: ghcr.io/acme-media/ott-auth:1.3.1');
    expect(cold.out).not.toContain('[!CAUTION]');

    const warm = await diff('--base', 'HEAD~3', '--head', 'HEAD~2');
    expect(warm.code).toBe(0);
    expect(warm.out).toMatch(/1 Application with differences, 65 unchanged; 65 skipped \(identical inputs\), 0 built, 2 from cache/);
    expect(await git(repo.root, ['status', '--porcelain'])).toBe(status);
    expect(await extraWorktrees(repo.root)).toEqual([]);
  });

  it('calls out deleted Applications (prod first, CAUTION) and new ones', async () => {
    const r = await diff('--base', 'HEAD~2', '--head', 'HEAD~1', '--format', 'markdown');
    expect(r.code).toBe(0);
    const caution = r.out.slice(r.out.indexOf('> [!CAUTION]'), r.out.indexOf('> [!NOTE]'));
    const deleted = [...caution.matchAll(/`([a-z0-9-]+)` \(/g)].map((m) => m[1]);
    expect(deleted.slice(0, 3).every((n) => n?.startsWith('prod-us-east-1-'))).toBe(true);
    expect(deleted).toContain('dev-k3d-streaming');
    expect(deleted.indexOf('dev-k3d-streaming')).toBe(deleted.length - 1);
    expect(r.out).toContain('🟢 `staging-us-east-1-monitoring` (staging, `staging-us-east-1/monitoring`)');
    expect(r.out).toContain('| `prod-us-east-1` | streaming | prod | 🔴 **deleted** |');
  });

  it('a head revision that fails to build is a finding (exit 1), named per Application', async () => {
    const r = await diff('--base', 'HEAD~1', '--head', 'HEAD');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/staging-eu-west-1\/streaming \[staging\][^\n]*\n {2}! head: [^\n]*edge-cache-service\.yaml/);
    expect(r.out).not.toContain('/tmp/');
  });

  it('colours the terminal output only when asked', async () => {
    const plain = await diff('--base', 'HEAD~3', '--head', 'HEAD~2');
    expect(plain.out).not.toContain('\x1b[');
    const coloured = await diff('--base', 'HEAD~3', '--head', 'HEAD~2', '--color', 'always');
    expect(coloured.out).toContain('\x1b[31m-          image: ghcr.io/acme-media/ott-auth:1.3.0\x1b[0m');
  });

  it.each([
    [['--base', 'no-such-ref'], '--base no-such-ref: no such commit'],
    [['--format', 'html'], '--format must be text, markdown or json'],
    [['--base=-x'], '--base needs a revision'],
  ])('%j is bad input (exit 2)', async (argv, message) => {
    const r = await diff(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    // Usage mistakes end with the registry's usage lines and where the rest is (scripts/cli/commands.ts usageFor); a missing commit is not one.
    if (argv[1] !== 'no-such-ref') expect(r.err).toContain('usage: pnpm diff [--base REF]');
  });

  it('--help prints the registry help and exits 0', async () => {
    const r = await diff('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: pnpm diff');
    expect(r.out).toContain('pnpm diff --format json');
  });

  it('by default regenerates the working tree: a HEAD whose generated files are stale is said to be', async () => {
    // HEAD ("oops") deleted a generated file; regenerating restores it.
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^diff HEAD \([0-9a-f]{7}\) → working tree \(regenerated\)\n/);
    expect(r.out).toContain('note: the committed tree is stale: 1 file of HEAD is not what its inventory renders (base/streaming/edge-cache/edge-cache-service.yaml)');
  });
});

describe('pnpm diff on the working tree', () => {
  let fresh: FixtureRepo;
  beforeAll(async () => {
    fresh = await cloneFixture(template?.dir ?? '');
    // Uncommitted, and `pnpm gen` not run: only the inventory says what changes.
    const file = join(fresh.root, 'inventory', 'environments', 'staging.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('ott-auth: "1.3.0"', 'ott-auth: "1.3.1"'));
  });
  afterAll(async () => {
    await fresh?.cleanup();
  });

  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string; steps: string[] }> => {
    const c = captureIo();
    const steps: string[] = [];
    const code = await main(['--root', fresh.root, '--cache-dir', cacheDir, ...argv], { ...c.io, progress: (s) => void steps.push(s) });
    return { code, out: c.out(), err: c.err(), steps };
  };

  it('shows an uncommitted inventory edit (HEAD → working tree), says gen is due, and reports its steps', async () => {
    const status = await git(fresh.root, ['status', '--porcelain']);
    const r = await run();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^diff HEAD \([0-9a-f]{7}\) → working tree \(regenerated\)\n/);
    expect(r.out).toContain('note: the generated files in your working tree are stale: 1 file differs from what inventory/ renders (overlays/staging/streaming/ott-auth/kustomization.yaml); run `pnpm gen`');
    expect(r.out).toMatch(/staging-eu-west-1\/streaming \[staging\] [^\n]*: 0 added, 1 changed, 0 removed/);
    expect(r.out).toContain('+          image: ghcr.io/acme-media/ott-auth:1.3.1');
    expect(r.steps.some((s) => s.startsWith('checking out HEAD'))).toBe(true);
    expect(r.steps.some((s) => s.includes('regenerating'))).toBe(true);
    expect(r.steps.some((s) => /^rendering \d+ of \d+ Applications/.test(s))).toBe(true);
    expect(await git(fresh.root, ['status', '--porcelain'])).toBe(status);
    expect(await extraWorktrees(fresh.root)).toEqual([]);
  });

  it('--format json: a stable shape scripts can read; no note once gen has run', async () => {
    await genInto(fresh.root);
    const r = await run('--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({
      version: 1,
      base: { label: 'HEAD' },
      head: { label: 'working tree (regenerated)', sha: null },
      notes: [],
      summary: { applicationsWithDifferences: 1, headFailed: false },
      clusters: [{ cluster: 'staging-eu-west-1', environment: 'staging', applications: 1, objects: 1, failed: false }],
      applications: [{ name: 'staging-eu-west-1-streaming', status: 'changed', counts: { added: 0, changed: 1, removed: 0 } }],
    });
    expect(JSON.stringify(json)).toContain('+          image: ghcr.io/acme-media/ott-auth:1.3.1');
  });
});
