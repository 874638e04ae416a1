// The journal in-process: a rollback that itself failed keeps the journal, and the next run's recovery finishes it;
// a journal whose new ledger is already in place is completed, not undone; a torn last line is the step never run.
import { appendFile, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliError } from '../../scripts/lib/exit-codes.ts';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import { applyPlan, planWrite, sha256Hex, writeTree } from '../../scripts/writer/index.ts';
import { recoverInterruptedWrite } from '../../scripts/writer/journal.ts';
import { JOURNAL_FILE } from '../../scripts/writer/output-path.ts';
import { faultyFs, makeTmpDir, removeDir, snapshot, V1, V2, type FsCall } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => removeDir(dir));

const isLedgerRename = (c: FsCall): boolean => c.op === 'rename' && basename(c.args[1] ?? '') === LEDGER_FILE;

describe('journal recovery', () => {
  it('a failed rollback keeps the journal; the next recovery restores the previous tree exactly', async () => {
    await writeTree(dir, V1, { force: false });
    const before = await snapshot(dir);
    const { fs } = faultyFs(isLedgerRename, (c) => c.op === 'rename' && (c.args[0] ?? '').includes('old-0'));
    const err = await applyPlan(await planWrite(dir, V2, { fs }), { force: false, fs }).catch((e: unknown) => e);
    expect((err as CliError).message).toMatch(/ROLLBACK INCOMPLETE[\s\S]*the journal .*\.gen-journal is kept/);
    expect(Object.keys(await snapshot(dir))).toContain(JOURNAL_FILE);
    const note = await recoverInterruptedWrite(dir);
    expect(note).toMatch(/^an interrupted "pnpm gen" \(pid \d+ on .*\) was rolled back: the tree is as it was before that run/);
    expect(await snapshot(dir)).toEqual(before);
    expect(await recoverInterruptedWrite(dir)).toBeUndefined();
  });

  it('completes a write whose ledger rename landed, even without its commit line', async () => {
    await writeTree(dir, V1, { force: false });
    // A write whose staging folder could not be removed (the rest committed).
    const { fs } = faultyFs((c) => c.op === 'rmTree', (c) => c.op === 'rmTree');
    await applyPlan(await planWrite(dir, V2, { fs }), { force: false, fs });
    // The run above committed and removed its journal; rebuild the situation a SIGKILL after the ledger rename leaves.
    const after = await snapshot(dir);
    expect(Object.keys(after).some((p) => p.startsWith('.gen-staging-'))).toBe(true);
    const staging = Object.keys(after).find((p) => /^\.gen-staging-[^/]+\/$/.test(p))!.slice(0, -1);
    const ledgerSha = sha256Hex(await readFile(join(dir, LEDGER_FILE)));
    await appendFile(
      join(dir, JOURNAL_FILE),
      `${JSON.stringify({ journal: 1, pid: 1, host: 'h', started: 'then' })}\n${JSON.stringify({ op: 'staging', path: staging })}\n` +
        `${JSON.stringify({ op: 'ledger', sha256: ledgerSha })}\n{"op":"ren`,
    );
    expect(await recoverInterruptedWrite(dir)).toMatch(/had written the new tree completely; removed what it left/);
    const done = await snapshot(dir);
    expect(Object.keys(done).filter((p) => p.startsWith('.gen-'))).toEqual([LEDGER_FILE]);
    expect(done['base/streaming/origin/deployment.yaml']).toBe('kind: Deployment\nreplicas: 5\n');
  });
});
