// `pnpm apps` end to end on a generated tree: table, JSON, exit codes for findings, bad usage and no Kustomize.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TABLE_HEADER } from '../../scripts/argocd/format.ts';
import type { ExpandResult } from '../../scripts/argocd/types.ts';
import { main as apps } from '../../scripts/cli/apps.ts';
import { main as gen } from '../../scripts/cli/gen.ts';
import { resetEngineCache } from '../../scripts/kustomize/engine.ts';
import { APPS_DIR } from '../../scripts/lib/layout.ts';
import { captureIo, DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

const run = async (...argv: string[]): Promise<Run> => {
  const c = captureIo();
  const code = await apps(argv, c.io);
  return { code, out: c.out(), err: c.err() };
};

let root: string;
let empty: string;

beforeAll(async () => {
  root = await tempDir('apps-cli');
  empty = await tempDir('apps-cli-empty');
  const c = captureIo();
  expect(await gen(['--inventory', DEFAULT_INVENTORY, '--out', root], c.io)).toBe(0);
});
afterAll(async () => {
  await removeDir(root);
  await removeDir(empty);
});

describe('pnpm apps', () => {
  it('prints the table header and one row per Application, exit 0', async () => {
    const r = await run('--root', root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual([...TABLE_HEADER]);
    const json = await run('--root', root, '--format', 'json');
    const result = JSON.parse(json.out) as ExpandResult;
    for (const app of result.applications) expect(lines.some((l) => l.startsWith(`${app.name} `)), app.name).toBe(true);
    expect(r.out).toMatch(/^apps: ok$/m);
  });

  it('--format json parses and carries applications, sets, findings and a summary', async () => {
    const r = await run('--root', root, '--format', 'json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as ExpandResult & { summary: { applications: number; findings: number; ok: boolean } };
    expect(parsed.applications.length).toBeGreaterThan(0);
    expect(parsed.summary).toEqual({ applications: parsed.applications.length, findings: 0, ok: true });
    expect(parsed.applicationSets.length).toBeGreaterThan(0);
    expect(parsed.applications[0]?.manifest).toMatchObject({ kind: 'Application' });
    expect(parsed.engine?.name).toMatch(/kustomize/);
  });

  it('--build reports the builds', async () => {
    const r = await run('--root', root, '--build');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kustomize build: \d+ ok, 0 failed, 0 skipped$/m);
  });

  it('exits 1 and prints findings when an ApplicationSet may delete Applications', async () => {
    const broken = await tempDir('apps-cli-broken');
    try {
      expect(await gen(['--inventory', DEFAULT_INVENTORY, '--out', broken], captureIo().io)).toBe(0);
      const file = (await readdir(join(broken, APPS_DIR))).find((f) => f.endsWith('-applicationset.yaml'));
      expect(file).toBeDefined();
      const path = join(broken, APPS_DIR, file ?? '');
      await writeFile(path, (await readFile(path, 'utf8')).replace('applicationsSync: create-update', 'applicationsSync: sync'));
      const r = await run('--root', broken);
      expect(r.code).toBe(1);
      expect(r.out).toContain('[applications-sync]');
      expect(r.out).toMatch(/^apps: FAILED with 1 finding$/m);
    } finally {
      await removeDir(broken);
    }
  });

  it('--build reports a folder that does not build as a finding of every Application syncing it', async () => {
    const broken = await tempDir('apps-cli-build');
    try {
      expect(await gen(['--inventory', DEFAULT_INVENTORY, '--out', broken], captureIo().io)).toBe(0);
      const json = JSON.parse((await run('--root', broken, '--format', 'json')).out) as ExpandResult;
      const victim = json.applications.find((a) => a.sources.some((s) => s.inRepo && s.path?.startsWith('clusters/')));
      const path = victim?.sources[0]?.path ?? '';
      await writeFile(join(broken, path, 'kustomization.yaml'), 'resources:\n  - does-not-exist.yaml\n');
      const plain = await run('--root', broken);
      expect(plain.code).toBe(0);
      const built = await run('--root', broken, '--build');
      expect(built.code).toBe(1);
      expect(built.out).toContain(`[build-failed] Application/${victim?.name ?? ''}`);
      expect(built.out).toMatch(/kustomize build: \d+ ok, 1 failed/);
    } finally {
      await removeDir(broken);
    }
  });

  it.each([
    ['unknown flag', ['--bogus']],
    ['bad format', ['--format', 'xml']],
    ['positional argument', ['extra']],
    ['empty root', ['--root', '']],
  ])('%s → exit 2 with usage', async (_name, argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: pnpm apps');
  });

  it('a root that is not a folder, or has no argocd/, exits 2', async () => {
    expect((await run('--root', join(empty, 'missing'))).code).toBe(2);
    const r = await run('--root', empty);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run `pnpm gen` first');
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('--build');
  });

  it('exits 5 when no Kustomize is installed', async () => {
    const bare = join(empty, 'bin');
    await mkdir(bare, { recursive: true });
    const saved = process.env.PATH;
    resetEngineCache();
    process.env.PATH = bare;
    try {
      const r = await run('--root', root);
      expect(r.code).toBe(5);
      expect(r.err).toContain('no Kustomize found');
    } finally {
      process.env.PATH = saved;
      resetEngineCache();
    }
  });
});
