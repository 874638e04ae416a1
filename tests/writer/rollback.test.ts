// Atomicity: a failure at any filesystem call during apply leaves the tree, ledger included,
// byte-identical to before.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../scripts/lib/exit-codes.ts';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import type { GeneratedFile } from '../../scripts/render/generated-file.ts';
import { applyPlan, planWrite, writeTree, type WriteReport } from '../../scripts/writer/index.ts';
import { faultyFs, makeTmpDir, removeDir, snapshot, V1, V2, type FsCall } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** V1 written, plus a hand-written file next to generated ones. */
const setup = async (root: string): Promise<void> => {
  await writeTree(root, V1, { force: false });
  await writeFile(join(root, 'apps/NOTES.md'), 'hand-written\n');
};

const applyWith = async (
  root: string,
  files: readonly GeneratedFile[],
  shouldFail: (call: FsCall, index: number) => boolean,
  failAlso?: (call: FsCall) => boolean,
): Promise<{ result: WriteReport | CliError; calls: FsCall[]; failed: FsCall | undefined }> => {
  const { fs, calls, failed } = faultyFs(shouldFail, failAlso);
  const plan = await planWrite(root, files, { fs });
  try {
    return { result: await applyPlan(plan, { force: false, fs }), calls, failed: failed() };
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    return { result: err, calls, failed: failed() };
  }
};

/** The mutating calls of a successful apply of V2 over the setup tree. */
const recordCalls = async (files: readonly GeneratedFile[], prepare: (root: string) => Promise<void>): Promise<FsCall[]> => {
  const scratch = await makeTmpDir();
  try {
    await prepare(scratch);
    const { result, calls } = await applyWith(scratch, files, () => false);
    expect(result).not.toBeInstanceOf(CliError);
    return calls;
  } finally {
    await removeDir(scratch);
  }
};

const expectRestored = async (
  result: WriteReport | CliError,
  before: Record<string, string>,
): Promise<void> => {
  expect(result).toBeInstanceOf(CliError);
  expect((result as CliError).exitCode).toBe(ExitCode.FilesystemRefusal);
  expect((result as CliError).message).toContain('the previous tree was restored');
  expect(await snapshot(dir)).toEqual(before);
};

describe('rollback', () => {
  const isLedgerRename = (c: FsCall): boolean => c.op === 'rename' && basename(c.args[1] ?? '') === LEDGER_FILE;
  const named: Array<[string, (c: FsCall) => boolean]> = [
    ['the first staged write', (c) => c.op === 'writeFile'],
    ['the staged ledger write', (c) => c.op === 'writeFile' && (c.args[0] ?? '').endsWith('ledger.json')],
    ['the backup of a replaced file', (c) => c.op === 'rename' && (c.args[1] ?? '').includes('old-')],
    ['removing a folder emptied by pruning', (c) => c.op === 'rmdir'],
    ['creating a new folder in staging', (c) => c.op === 'mkdir' && (c.args[0] ?? '').endsWith('/tree/overlays/dev')],
    ['moving a new folder into place', (c) => c.op === 'rename' && (c.args[0] ?? '').includes('/tree/') && (c.args[1] ?? '').startsWith(join(dir, 'overlays'))],
    ['renaming a new file into an existing folder', (c) => c.op === 'rename' && (c.args[0] ?? '').includes('/new-') && !(c.args[1] ?? '').endsWith(LEDGER_FILE)],
    ['the ledger rename', isLedgerRename],
  ];

  it.each(named)('restores the tree after a failure in %s', async (_name, predicate) => {
    await setup(dir);
    const before = await snapshot(dir);
    const { result, failed } = await applyWith(dir, V2, (c) => predicate(c));
    expect(failed).toBeDefined();
    await expectRestored(result, before);
    expect((result as CliError).message).toContain('injected failure');
  });

  it('restores the tree after a failure in the middle rename', async () => {
    const renames = (await recordCalls(V2, setup)).filter((c) => c.op === 'rename');
    expect(renames.length).toBeGreaterThan(3);
    const middle = Math.floor(renames.length / 2);
    await setup(dir);
    const before = await snapshot(dir);
    let seen = 0;
    const { result } = await applyWith(dir, V2, (c) => c.op === 'rename' && seen++ === middle);
    await expectRestored(result, before);
  });

  it('restores the tree after a failure at every single filesystem call', async () => {
    const calls = await recordCalls(V2, setup);
    // The last call removes the staging folder after the commit; it is covered separately below.
    expect(calls.at(-1)?.op).toBe('rmTree');
    for (let k = 0; k < calls.length - 1; k++) {
      await removeDir(dir);
      dir = await makeTmpDir();
      await setup(dir);
      const before = await snapshot(dir);
      const { result, failed } = await applyWith(dir, V2, (_c, i) => i === k);
      expect(failed?.op, `call ${k}`).toBe(calls[k]?.op);
      await expectRestored(result, before);
    }
  });

  it('removes an output root it created when the first write into it fails', async () => {
    const out = join(dir, 'fresh');
    const { fs } = faultyFs((c) => c.op === 'rename');
    const err = await applyPlan(await planWrite(out, V1, { fs }), { force: false, fs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(await snapshot(dir)).toEqual({});
  });

  it('reports success with a warning when only the final staging cleanup fails', async () => {
    await setup(dir);
    const { result } = await applyWith(dir, V2, (c) => c.op === 'rmTree');
    expect(result).not.toBeInstanceOf(CliError);
    const report = result as WriteReport;
    expect(report.changed).toBe(3);
    expect(report.warnings.join('\n')).toMatch(/could not remove staging folder .*\.gen-staging-/);
  });

  it('keeps the staging folder with the backups when the rollback itself fails', async () => {
    await setup(dir);
    // Fail the ledger rename, then also fail restoring the first backed-up file.
    const { result } = await applyWith(dir, V2, isLedgerRename, (c) => c.op === 'rename' && (c.args[0] ?? '').includes('old-0'));
    expect(result).toBeInstanceOf(CliError);
    const message = (result as CliError).message;
    expect(message).toContain('ROLLBACK INCOMPLETE');
    expect(message).toMatch(/backups of replaced files were kept in .*\.gen-staging-/);
    const snap = await snapshot(dir);
    const backups = Object.keys(snap).filter((p) => /^\.gen-staging-[^/]+\/old-0$/.test(p));
    expect(backups).toHaveLength(1);
    // The backup holds the original bytes of the file that could not be restored.
    expect(Object.values(snap)).toContain('kind: Deployment\nreplicas: 1\n');
  });
});
