// The write-ahead journal. Before its first change to the tree the writer creates JOURNAL_FILE in the output root and,
// before each change, appends one line saying what it is about to do. A run that dies (SIGKILL, power to the process
// cut, a crash in rollback) leaves the journal behind; the next run reads it before anything else and either
// completes the write (the new ledger is in place: only the staging folder is left to remove) or undoes every logged
// step, newest first. Each undo checks the disk first, so a step that was logged but never ran, or a recovery that
// itself was interrupted, is undone correctly when replayed. Lines are written with one write(2) each and not fsynced:
// a killed process loses nothing the kernel already has (the renames themselves are not fsynced either).
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as nodePath from 'node:path';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { GEN_COMMAND, LEDGER_FILE } from '../lib/layout.ts';
import { sha256Hex } from './hash.ts';
import { JOURNAL_FILE, toAbsolute } from './output-path.ts';
import { errnoCode, lstatKind, nodeWriterFs, type WriterFs } from './writer-fs.ts';

/** Paths are relative to the output root (POSIX), so a moved checkout still recovers. */
export type JournalEntry =
  | { readonly op: 'staging'; readonly path: string }
  | { readonly op: 'mkdir'; readonly path: string }
  | { readonly op: 'rmdir'; readonly path: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  /** The staged ledger replaces LEDGER_FILE: the commit point. Never undone. */
  | { readonly op: 'ledger'; readonly sha256: string }
  | { readonly op: 'commit' };

interface JournalHeader {
  readonly journal: 1;
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class Journal {
  readonly entries: JournalEntry[] = [];
  private constructor(
    readonly root: string,
    private fd: number | undefined,
  ) {}

  /** Create the journal exclusively; an existing one means an interrupted write nobody recovered yet. */
  static open(root: string): Journal {
    const abs = toAbsolute(root, JOURNAL_FILE);
    let fd: number;
    try {
      fd = fs.openSync(abs, 'wx');
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') {
        throw new CliError(`${abs}: an interrupted write left its journal; run "${GEN_COMMAND}" to finish or roll it back`, ExitCode.Precondition);
      }
      throw err;
    }
    const header: JournalHeader = { journal: 1, pid: process.pid, host: hostname(), started: new Date().toISOString() };
    fs.writeSync(fd, `${JSON.stringify(header)}\n`);
    return new Journal(root, fd);
  }

  rel(abs: string): string {
    return nodePath.relative(this.root, abs).split(nodePath.sep).join('/');
  }

  log(entry: JournalEntry): void {
    if (this.fd === undefined) throw new Error('journal is closed');
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.entries.push(entry);
  }

  /** Close and delete: the write is committed and tidied, or fully rolled back. */
  remove(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(toAbsolute(this.root, JOURNAL_FILE), { force: true });
  }

  /** Close but keep the file: a rollback failed, and the next run retries it. */
  keep(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Undo logged steps newest first, each only if the disk shows it happened. Returns what could not be undone. The
 * staging folder is removed last, and only when everything else was undone (otherwise it still holds backups).
 */
export const undoEntries = async (fs: WriterFs, root: string, entries: readonly JournalEntry[]): Promise<{ failures: string[]; keptStaging?: string }> => {
  const failures: string[] = [];
  let staging: string | undefined;
  const abs = (rel: string): string => toAbsolute(root, rel);
  for (const e of [...entries].reverse()) {
    try {
      if (e.op === 'staging') staging = abs(e.path);
      else if (e.op === 'mkdir') {
        if ((await lstatKind(fs, abs(e.path))) === 'dir') await fs.rmdir(abs(e.path));
      } else if (e.op === 'rmdir') {
        if ((await lstatKind(fs, abs(e.path))) === 'absent') await fs.mkdir(abs(e.path));
      } else if (e.op === 'rename') {
        if ((await lstatKind(fs, abs(e.to))) !== 'absent' && (await lstatKind(fs, abs(e.from))) === 'absent') await fs.rename(abs(e.to), abs(e.from));
      }
    } catch (err) {
      // Keep going: every other step still restores something.
      const what = e.op === 'rename' ? `move ${abs(e.to)} back to ${abs(e.from)}` : e.op === 'mkdir' ? `remove folder ${abs(e.path)}` : e.op === 'rmdir' ? `recreate folder ${abs(e.path)}` : e.op;
      failures.push(`  could not ${what}: ${message(err)}`);
    }
  }
  if (staging === undefined) return { failures };
  if (failures.length > 0) return { failures, keptStaging: staging };
  try {
    await fs.rmTree(staging);
  } catch (err) {
    failures.push(`  could not remove staging folder ${staging}: ${message(err)}`);
  }
  return { failures };
};

const parseJournal = (text: string, where: string): { header: JournalHeader; entries: JournalEntry[] } => {
  const lines = text.split('\n');
  // A line cut short by the kill is the step that was never started: it is the last line, and it is dropped.
  const parsed: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.length === 0) continue;
    try {
      parsed.push(JSON.parse(line));
    } catch {
      if (lines.slice(i + 1).some((l) => l.length > 0)) {
        throw new CliError(`${where}: line ${i + 1} is not JSON; restore the tree from git, then delete ${where}`, ExitCode.Precondition);
      }
    }
  }
  const header = parsed[0] as JournalHeader | undefined;
  if (header?.journal !== 1) {
    throw new CliError(`${where}: not a journal this version understands; restore the tree from git, then delete ${where}`, ExitCode.Precondition);
  }
  return { header, entries: parsed.slice(1) as JournalEntry[] };
};

/**
 * Finish or undo the write an interrupted run left (call with the tree lock held, before reading the tree). Returns
 * one line for the user when there was something to do.
 */
export const recoverInterruptedWrite = async (outDir: string, wfs: WriterFs = nodeWriterFs): Promise<string | undefined> => {
  const root = nodePath.resolve(outDir);
  const journalAbs = toAbsolute(root, JOURNAL_FILE);
  let text: string;
  try {
    text = fs.readFileSync(journalAbs, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
  const { header, entries } = parseJournal(text, journalAbs);
  const who = `an interrupted "${GEN_COMMAND}" (pid ${header.pid} on ${header.host}, started ${header.started})`;
  const ledgerStep = entries.find((e): e is Extract<JournalEntry, { op: 'ledger' }> => e.op === 'ledger');
  const ledgerAbs = toAbsolute(root, LEDGER_FILE);
  const ledgerNow = (await lstatKind(wfs, ledgerAbs)) === 'file' ? sha256Hex(await wfs.readFile(ledgerAbs)) : undefined;
  const committed = entries.some((e) => e.op === 'commit') || (ledgerStep !== undefined && ledgerNow === ledgerStep.sha256);
  if (committed) {
    const staging = entries.find((e) => e.op === 'staging');
    if (staging !== undefined) await wfs.rmTree(toAbsolute(root, staging.path));
    fs.rmSync(journalAbs, { force: true });
    return `${who} had written the new tree completely; removed what it left (its staging folder and journal)`;
  }
  const { failures, keptStaging } = await undoEntries(wfs, root, entries);
  if (failures.length > 0) {
    throw new CliError(
      `${who} left a partly written tree, and rolling it back failed:\n${failures.join('\n')}` +
        (keptStaging === undefined ? '' : `\nbackups of replaced files are in ${keptStaging}`) +
        `\nfix the cause and run "${GEN_COMMAND}" again (the journal ${journalAbs} is kept), or restore the tree from git`,
      ExitCode.FilesystemRefusal,
    );
  }
  fs.rmSync(journalAbs, { force: true });
  return `${who} was rolled back: the tree is as it was before that run (${entries.length} logged step${entries.length === 1 ? '' : 's'} undone)`;
};
