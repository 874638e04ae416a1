import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../scripts/lib/exit-codes.ts';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import { planWrite, serializeLedger, sha256Hex, writeTree } from '../../scripts/writer/index.ts';
import { makeTmpDir, removeDir, snapshot, V1 } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const planError = async (paths: string[]): Promise<CliError> => {
  const err: unknown = await planWrite(dir, paths.map((path) => ({ path, content: 'x\n' }))).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
};

describe('planWrite path validation', () => {
  const invalid: Array<{ name: string; path: string; message: string }> = [
    { name: 'parent traversal', path: '../x', message: 'contains ".."' },
    { name: 'traversal in the middle', path: 'base/../../x', message: 'contains ".."' },
    { name: 'absolute', path: '/abs', message: 'is absolute' },
    { name: 'backslash', path: 'a\\b', message: 'contains a backslash' },
    { name: 'drive letter', path: 'C:/x', message: 'drive letter' },
    { name: 'empty', path: '', message: 'is empty' },
    { name: 'double slash', path: 'a//b', message: 'empty segment' },
    { name: 'trailing slash', path: 'a/', message: 'empty segment' },
    { name: 'dot segment', path: './a', message: '"." segments' },
    { name: 'the ledger', path: LEDGER_FILE, message: 'is the ledger file' },
    { name: 'git internals', path: '.git/config', message: '.git folder' },
    { name: 'staging prefix', path: '.gen-staging-1-ab/x', message: 'staging prefix' },
  ];

  it.each(invalid)('rejects $name ($path)', async ({ path, message }) => {
    const err = await planError([path]);
    expect(err.exitCode).toBe(ExitCode.BadInput);
    expect(err.message).toContain(message);
    expect(err.message).toContain(JSON.stringify(path));
  });

  it('reports every bad path at once', async () => {
    const err = await planError(['../x', '/abs', 'a\\b', 'ok/file.yaml']);
    expect(err.message).toMatch(/^invalid output paths:\n/);
    expect(err.message.split('\n')).toHaveLength(4);
  });

  it('rejects duplicates, case-only collisions and file/folder collisions', async () => {
    const err = await planError(['a/b.yaml', 'a/b.yaml', 'a/B.yaml', 'c', 'c/d.yaml']);
    expect(err.message).toContain('"a/b.yaml" is produced twice');
    expect(err.message).toContain('"a/B.yaml" differs from "a/b.yaml" only by case');
    expect(err.message).toContain('"c" is produced as a file and as the folder of "c/d.yaml"');
  });

  it('accepts dotfiles such as .gitattributes', async () => {
    const plan = await planWrite(dir, [{ path: '.gitattributes', content: '* text=auto\n' }]);
    expect(plan.create.map((w) => w.path)).toEqual(['.gitattributes']);
  });
});

describe('planWrite ledger handling', () => {
  it('refuses a ledger entry that points outside the output root, deleting nothing', async () => {
    const inner = join(dir, 'out');
    await mkdir(inner);
    await writeFile(join(dir, 'victim.txt'), 'keep me\n');
    const tampered = serializeLedger({ version: 1, files: [{ path: '../victim.txt', sha256: sha256Hex('keep me\n') }] });
    await writeFile(join(inner, LEDGER_FILE), tampered);
    const err: unknown = await writeTree(inner, [], { force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(ExitCode.Precondition);
    expect((err as CliError).message).toContain('contains ".."');
    expect((await snapshot(dir))['victim.txt']).toBe('keep me\n');
  });

  it.each([
    ['not JSON', '{'],
    ['a wrong version', '{"version": 2, "files": []}'],
    ['a bad hash', '{"version": 1, "files": [{"path": "a", "sha256": "xyz"}]}'],
    ['a duplicate entry', `{"version": 1, "files": [{"path": "a", "sha256": "${'0'.repeat(64)}"}, {"path": "a", "sha256": "${'0'.repeat(64)}"}]}`],
  ])('refuses a ledger with %s (exit 5)', async (_name, text) => {
    await writeFile(join(dir, LEDGER_FILE), text);
    const err: unknown = await planWrite(dir, V1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(ExitCode.Precondition);
    expect((err as CliError).message).toContain('ledger is unreadable');
  });

  it('refuses to write into an output root that is a file', async () => {
    await writeFile(join(dir, 'file'), '');
    const err: unknown = await planWrite(join(dir, 'file'), V1).catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(ExitCode.FilesystemRefusal);
  });

  it('classifies each kind of path in one plan', async () => {
    await writeTree(dir, V1, { force: false });
    await writeFile(join(dir, 'apps/edge.yaml'), 'edited\n'); // hand-edited
    await writeFile(join(dir, 'apps/mine.yaml'), 'mine\n'); // foreign, produced below
    const plan = await planWrite(dir, [
      { path: 'apps/edge.yaml', content: 'name: edge\n' },
      { path: 'apps/mine.yaml', content: 'generated\n' },
      { path: 'base/streaming/origin/deployment.yaml', content: 'changed\n' },
      { path: 'base/streaming/origin/kustomization.yaml', content: 'resources:\n  - deployment.yaml\n' },
      { path: 'new/file.yaml', content: 'new\n' },
    ]);
    expect(plan.create.map((w) => w.path)).toEqual(['new/file.yaml']);
    expect(plan.update.map((w) => w.path)).toEqual(['base/streaming/origin/deployment.yaml']);
    expect(plan.delete.map((d) => d.path)).toEqual(['base/streaming/edge/service.yaml']);
    expect(plan.unchanged).toEqual(['base/streaming/origin/kustomization.yaml']);
    expect(plan.conflicts.map((c) => [c.path, c.kind, c.forced])).toEqual([
      ['apps/edge.yaml', 'handEdited', 'update'],
      ['apps/mine.yaml', 'foreign', undefined],
    ]);
    expect(plan.ledger.changed).toBe(true);
  });
});
