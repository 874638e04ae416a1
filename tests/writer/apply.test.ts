import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../scripts/lib/exit-codes.ts';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import type { GeneratedFile } from '../../scripts/render/generated-file.ts';
import { applyPlan, formatWriteReport, planWrite, sha256Hex, writeTree } from '../../scripts/writer/index.ts';
import { faultyFs, makeTmpDir, removeDir, snapshot, V1 } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const gen = (files: readonly GeneratedFile[], force = false): ReturnType<typeof writeTree> =>
  writeTree(dir, files, { force });

const read = (rel: string): Promise<string> => readFile(join(dir, rel), 'utf8');

/** Run `fn`, expecting a CliError; returns it. */
const cliError = async (fn: () => Promise<unknown>): Promise<CliError> => {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return err as CliError;
  }
  throw new Error('expected a CliError');
};

const replace = (files: readonly GeneratedFile[], path: string, content: string): GeneratedFile[] =>
  files.map((f) => (f.path === path ? { path, content } : f));

describe('applyPlan', () => {
  it('creates every file and a sorted, hashed ledger from an empty root', async () => {
    const report = await gen(V1);
    expect(report.created).toEqual([...V1.map((f) => f.path)].sort());
    expect(report.changed).toBe(4);
    expect(report.ledgerWritten).toBe(true);
    for (const f of V1) expect(await read(f.path)).toBe(f.content);

    const ledgerText = await read(LEDGER_FILE);
    expect(ledgerText.endsWith('}\n')).toBe(true);
    expect(ledgerText).not.toContain('\r');
    const ledger = JSON.parse(ledgerText) as { version: number; files: Array<{ path: string; sha256: string }> };
    expect(ledger.version).toBe(1);
    expect(ledger.files.map((e) => e.path)).toEqual([...V1.map((f) => f.path)].sort());
    for (const e of ledger.files) expect(e.sha256).toBe(sha256Hex(V1.find((f) => f.path === e.path)?.content ?? ''));
    // No staging folder left behind.
    expect(Object.keys(await snapshot(dir)).filter((p) => p.startsWith('.gen-staging-'))).toEqual([]);
  });

  it('creates the output root when it does not exist', async () => {
    const nested = join(dir, 'out', 'tree');
    await writeTree(nested, V1, { force: false });
    expect(await readFile(join(nested, 'apps/edge.yaml'), 'utf8')).toBe('name: edge\n');
  });

  it('writes nothing at all on a second run', async () => {
    await gen(V1);
    const before = await snapshot(dir);
    const ledgerMtime = (await stat(join(dir, LEDGER_FILE))).mtimeMs;
    const fileMtime = (await stat(join(dir, 'apps/edge.yaml'))).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));

    const { fs, calls } = faultyFs();
    const report = await applyPlan(await planWrite(dir, V1, { fs }), { force: false, fs });
    expect(report.changed).toBe(0);
    expect(report.ledgerWritten).toBe(false);
    expect(report.unchanged).toHaveLength(4);
    expect(formatWriteReport(report)).toMatch(/^0 files changed, 4 unchanged$/);
    expect(calls).toEqual([]);
    expect(await snapshot(dir)).toEqual(before);
    expect((await stat(join(dir, LEDGER_FILE))).mtimeMs).toBe(ledgerMtime);
    expect((await stat(join(dir, 'apps/edge.yaml'))).mtimeMs).toBe(fileMtime);
  });

  it('updates a changed file and only that file', async () => {
    await gen(V1);
    const untouchedMtime = (await stat(join(dir, 'apps/edge.yaml'))).mtimeMs;
    const v2 = replace(V1, 'base/streaming/origin/deployment.yaml', 'kind: Deployment\nreplicas: 3\n');
    const report = await gen(v2);
    expect(report.updated).toEqual(['base/streaming/origin/deployment.yaml']);
    expect(report.created).toEqual([]);
    expect(report.changed).toBe(1);
    expect(formatWriteReport(report)).toContain('1 file changed (1 updated), 3 unchanged, ledger updated');
    expect(await read('base/streaming/origin/deployment.yaml')).toBe('kind: Deployment\nreplicas: 3\n');
    expect((await stat(join(dir, 'apps/edge.yaml'))).mtimeMs).toBe(untouchedMtime);
    expect(await read(LEDGER_FILE)).toContain(sha256Hex('kind: Deployment\nreplicas: 3\n'));
  });

  it('writes content exactly as given (no newline normalisation)', async () => {
    const odd = [{ path: 'apps/raw.txt', content: 'a\r\nb\nno final newline ✓' }];
    await gen(odd);
    expect(await readFile(join(dir, 'apps/raw.txt'), 'utf8')).toBe('a\r\nb\nno final newline ✓');
  });

  it('prunes a file no longer produced and removes the folders it leaves empty', async () => {
    await gen(V1);
    const v2 = V1.filter((f) => f.path !== 'base/streaming/edge/service.yaml');
    const report = await gen(v2);
    expect(report.deleted).toEqual(['base/streaming/edge/service.yaml']);
    expect(report.removedDirs).toEqual(['base/streaming/edge']);
    const snap = await snapshot(dir);
    expect(snap['base/streaming/edge/']).toBeUndefined();
    expect(snap['base/streaming/']).toBe('<dir>');
    expect(await read(LEDGER_FILE)).not.toContain('service.yaml');
  });

  it('prunes up to, but never including, the output root', async () => {
    await gen(V1);
    const report = await gen([]);
    expect(report.deleted).toHaveLength(4);
    expect(report.removedDirs).toEqual(['base/streaming/edge', 'base/streaming/origin', 'apps', 'base/streaming', 'base'].sort());
    expect(await snapshot(dir)).toEqual({ [LEDGER_FILE]: (await read(LEDGER_FILE)) });
    expect(JSON.parse(await read(LEDGER_FILE))).toMatchObject({ files: [] });
  });

  it('keeps a pruned folder that still holds a hand-written file, and never touches that file', async () => {
    await gen(V1);
    await writeFile(join(dir, 'base/streaming/edge/NOTES.md'), 'mine\n');
    const report = await gen(V1.filter((f) => f.path !== 'base/streaming/edge/service.yaml'));
    expect(report.deleted).toEqual(['base/streaming/edge/service.yaml']);
    expect(report.removedDirs).toEqual([]);
    expect(await read('base/streaming/edge/NOTES.md')).toBe('mine\n');
  });

  it('leaves a hand-written file in a generated folder alone across updates', async () => {
    await gen(V1);
    await writeFile(join(dir, 'base/streaming/origin/extra.yaml'), 'hand: written\n');
    await gen(replace(V1, 'base/streaming/origin/deployment.yaml', 'kind: Deployment\nreplicas: 2\n'));
    expect(await read('base/streaming/origin/extra.yaml')).toBe('hand: written\n');
    expect(await read(LEDGER_FILE)).not.toContain('extra.yaml');
  });

  it.each([false, true])('refuses when a generated path collides with a foreign file (force=%s)', async (force) => {
    await gen(V1);
    await writeFile(join(dir, 'apps/new.yaml'), 'hand-written\n');
    const before = await snapshot(dir);
    const err = await cliError(() => gen([...V1, { path: 'apps/new.yaml', content: 'generated\n' }], force));
    expect(err.exitCode).toBe(ExitCode.FilesystemRefusal);
    expect(err.message).toContain('apps/new.yaml: foreign');
    expect(err.message).toContain('--force never overwrites');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses when a folder or a symbolic link stands where a generated file goes', async () => {
    await mkdir(join(dir, 'apps/edge.yaml'), { recursive: true });
    const err = await cliError(() => gen(V1, true));
    expect(err.exitCode).toBe(ExitCode.FilesystemRefusal);
    expect(err.message).toMatch(/apps\/edge\.yaml: foreign, cannot be written: it is a folder/);
  });

  it('adopts a file not in the ledger whose content already matches', async () => {
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'apps/edge.yaml'), 'name: edge\n');
    const report = await gen(V1);
    expect(report.unchanged).toEqual(['apps/edge.yaml']);
    expect(report.created).toHaveLength(3);
    expect(await read(LEDGER_FILE)).toContain('apps/edge.yaml');
  });

  it('refuses a hand-edited generated file without --force and overwrites it with --force', async () => {
    await gen(V1);
    await writeFile(join(dir, 'apps/edge.yaml'), 'name: edge\n# tweak\n');
    const before = await snapshot(dir);
    const v2 = replace(V1, 'apps/edge.yaml', 'name: edge\nreplicas: 2\n');

    const err = await cliError(() => gen(v2));
    expect(err.exitCode).toBe(ExitCode.FilesystemRefusal);
    expect(err.message).toContain('apps/edge.yaml: hand-edited, was edited by hand');
    expect(err.message).toContain('--force');
    expect(await snapshot(dir)).toEqual(before);

    // Even when the output did not change, the hand edit is not silently reverted.
    const same = await cliError(() => gen(V1));
    expect(same.message).toContain('apps/edge.yaml: hand-edited');

    const report = await gen(v2, true);
    expect(report.updated).toEqual(['apps/edge.yaml']);
    expect(report.forced).toEqual(['apps/edge.yaml']);
    expect(await read('apps/edge.yaml')).toBe('name: edge\nreplicas: 2\n');
    expect((await gen(v2)).changed).toBe(0);
  });

  it('refuses to prune a hand-edited file without --force and prunes it with --force', async () => {
    await gen(V1);
    await writeFile(join(dir, 'apps/edge.yaml'), 'edited\n');
    const v2 = V1.filter((f) => f.path !== 'apps/edge.yaml');
    const err = await cliError(() => gen(v2));
    expect(err.message).toContain('apps/edge.yaml: hand-edited, is no longer generated');
    const report = await gen(v2, true);
    expect(report.deleted).toEqual(['apps/edge.yaml']);
    expect(report.removedDirs).toEqual(['apps']);
  });

  it('treats a hand edit that equals the new output as unchanged and re-records its hash', async () => {
    await gen(V1);
    const v2 = replace(V1, 'apps/edge.yaml', 'name: edge\nreplicas: 2\n');
    await writeFile(join(dir, 'apps/edge.yaml'), 'name: edge\nreplicas: 2\n');
    const report = await gen(v2);
    expect(report.changed).toBe(0);
    expect(report.unchanged).toContain('apps/edge.yaml');
    expect(report.ledgerWritten).toBe(true);
    expect(await read(LEDGER_FILE)).toContain(sha256Hex('name: edge\nreplicas: 2\n'));
  });

  it('recreates a generated file deleted by hand', async () => {
    await gen(V1);
    await rm(join(dir, 'base/streaming/edge'), { recursive: true });
    const plan = await planWrite(dir, V1);
    expect(plan.missing).toEqual(['base/streaming/edge/service.yaml']);
    expect(plan.create).toEqual([{ path: 'base/streaming/edge/service.yaml', content: 'kind: Service\n', note: 'deleted by hand' }]);
    const report = await applyPlan(plan, { force: false });
    expect(report.created).toEqual(['base/streaming/edge/service.yaml']);
    // Same entry, same hash: the ledger does not need rewriting.
    expect(report.ledgerWritten).toBe(false);
    expect(await read('base/streaming/edge/service.yaml')).toBe('kind: Service\n');
  });

  it('drops a hand-deleted file from the ledger when it is no longer produced', async () => {
    await gen(V1);
    await rm(join(dir, 'apps/edge.yaml'));
    const report = await gen(V1.filter((f) => f.path !== 'apps/edge.yaml'));
    expect(report.changed).toBe(0);
    expect(report.ledgerWritten).toBe(true);
    expect(await read(LEDGER_FILE)).not.toContain('apps/edge.yaml');
  });

  it('turns a generated file into a folder of generated files', async () => {
    await gen([{ path: 'apps/edge', content: 'file\n' }]);
    const report = await gen([{ path: 'apps/edge/app.yaml', content: 'folder\n' }]);
    expect(report.deleted).toEqual(['apps/edge']);
    expect(report.created).toEqual(['apps/edge/app.yaml']);
    expect(await read('apps/edge/app.yaml')).toBe('folder\n');
  });

  it('stops with exit 5 and writes nothing when the tree changes between plan and apply', async () => {
    await gen(V1);
    const plan = await planWrite(dir, replace(V1, 'apps/edge.yaml', 'name: edge2\n'));
    await writeFile(join(dir, 'apps/edge.yaml'), 'saved by an editor meanwhile\n');
    const before = await snapshot(dir);
    const err = await cliError(() => applyPlan(plan, { force: false }));
    expect(err.exitCode).toBe(ExitCode.Precondition);
    expect(err.message).toContain('apps/edge.yaml');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('reports a staging folder left by an interrupted run without touching it', async () => {
    await gen(V1);
    await mkdir(join(dir, '.gen-staging-1-deadbeef'));
    await writeFile(join(dir, '.gen-staging-1-deadbeef/old-0'), 'backup\n');
    const report = await gen(replace(V1, 'apps/edge.yaml', 'x\n'));
    expect(report.warnings.join('\n')).toContain('.gen-staging-1-deadbeef');
    expect(await read('.gen-staging-1-deadbeef/old-0')).toBe('backup\n');
  });
});
