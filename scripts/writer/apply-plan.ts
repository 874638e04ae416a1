// Applying a plan is all-or-nothing. New contents are first written to a staging folder inside
// the output root (same filesystem, so renames are atomic and cannot fail half-way through a
// copy); files to be replaced or pruned are moved into the same folder as backups; only then are
// the new files renamed into place, and the ledger last. Every step that changes the tree pushes
// its inverse onto a journal, so any failure replays the journal backwards and the tree is
// restored exactly (same bytes, and for restored files the same inodes).
import { randomBytes } from 'node:crypto';
import * as nodePath from 'node:path';
import { CliError, ExitCode, type ExitCodeValue } from '../lib/exit-codes.ts';
import { GEN_COMMAND, LEDGER_FILE } from '../lib/layout.ts';
import { sha256Hex } from './hash.ts';
import { enterCritical, interruptionPoint, InterruptedError, leaveCritical, signalExitCode } from './interrupt.ts';
import { Journal, undoEntries, type JournalEntry } from './journal.ts';
import { ancestorsOf, comparePaths, JOURNAL_FILE, STAGING_PREFIX, toAbsolute } from './output-path.ts';
import type { PlannedDelete, PlannedWrite, WriteConflict, WritePlan } from './plan-write.ts';
import type { WriteReport } from './write-report.ts';
import { errnoCode, lstatKind, nodeWriterFs, type NodeKind, type WriterFs } from './writer-fs.ts';

export interface ApplyOptions {
  /** Overwrite or prune hand-edited generated files. Never overrides foreign files. */
  readonly force: boolean;
  /** Filesystem seam; tests inject failures through it. */
  readonly fs?: WriterFs;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Refuse with every conflicting path and why (CliError exit 3). */
const refuseConflicts = (plan: WritePlan, force: boolean): void => {
  const blocking = plan.conflicts.filter((c) => c.kind === 'foreign' || !force);
  if (blocking.length === 0) return;
  const lines = blocking.map((c) => `  ${c.path}: ${c.kind === 'foreign' ? 'foreign' : 'hand-edited'}, ${c.reason}`);
  const hints: string[] = [];
  if (blocking.some((c) => c.kind === 'handEdited')) {
    hints.push('hand-edited files: move the change into the inventory and revert the file, or re-run with --force to overwrite it');
  }
  if (blocking.some((c) => c.kind === 'foreign')) {
    hints.push('foreign paths: move or delete them by hand; --force never overwrites files the generator did not write');
  }
  throw new CliError(
    `refusing to write ${plan.outDir}: ${blocking.length} conflict${blocking.length === 1 ? '' : 's'}\n` +
      `${lines.join('\n')}\n${hints.join('\n')}`,
    ExitCode.FilesystemRefusal,
  );
};

const forcedWrite = (c: WriteConflict): PlannedWrite => ({ path: c.path, content: c.content ?? '', before: c.before });

/**
 * The plan was computed from an earlier read; if anything it relied on changed since (an editor
 * saving, a second `pnpm gen`), stop before touching anything rather than clobber it.
 */
const verifyUnchangedSincePlan = async (
  fs: WriterFs,
  plan: WritePlan,
  writes: readonly PlannedWrite[],
  deletes: readonly PlannedDelete[],
): Promise<void> => {
  const drifted: string[] = [];
  const sameAs = async (rel: string, before: Uint8Array): Promise<boolean> => {
    if ((await lstatKind(fs, toAbsolute(plan.outDir, rel))) !== 'file') return false;
    return Buffer.from(await fs.readFile(toAbsolute(plan.outDir, rel))).equals(before);
  };
  for (const w of writes) {
    if (w.before === undefined) {
      if ((await lstatKind(fs, toAbsolute(plan.outDir, w.path))) !== 'absent') drifted.push(w.path);
    } else if (!(await sameAs(w.path, w.before))) drifted.push(w.path);
  }
  for (const d of deletes) if (!(await sameAs(d.path, d.before))) drifted.push(d.path);
  const ledgerAbs = toAbsolute(plan.outDir, LEDGER_FILE);
  const ledgerNow =
    (await lstatKind(fs, ledgerAbs)) === 'file' ? Buffer.from(await fs.readFile(ledgerAbs)).toString('utf8') : null;
  if (ledgerNow !== plan.ledger.before) drifted.push(LEDGER_FILE);
  if (drifted.length > 0) {
    throw new CliError(
      `the tree changed after it was read, nothing was written; run "${GEN_COMMAND}" again:\n` +
        drifted.sort(comparePaths).map((p) => `  ${p}`).join('\n'),
      ExitCode.Precondition,
    );
  }
};

/** Concurrent staged writes: enough to hide filesystem latency, few enough for the descriptor limit. */
const STAGE_CONCURRENCY = 32;

/**
 * Run `fn` over `items`, `limit` at a time. After a failure nothing new starts, but every call already
 * running is awaited before the first error is thrown: rollback must never race a rename still in flight.
 */
const forEachLimit = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      try {
        await fn(items[next++] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
};

/** Apply a plan atomically; see the file comment. Writes nothing at all when nothing changed. */
export const applyPlan = async (plan: WritePlan, options: ApplyOptions): Promise<WriteReport> => {
  const fs = options.fs ?? nodeWriterFs;
  refuseConflicts(plan, options.force);

  const forced = plan.conflicts.filter((c) => c.kind === 'handEdited');
  const forcedUpdates = forced.filter((c) => c.forced === 'update').map(forcedWrite);
  const forcedDeletes = forced.flatMap((c) =>
    c.forced === 'delete' && c.before !== undefined ? [{ path: c.path, before: c.before }] : [],
  );
  const writes = [...plan.create, ...plan.update, ...forcedUpdates];
  const deletes = [...plan.delete, ...forcedDeletes];
  const warnings = plan.staleStaging.map(
    (name) => `${nodePath.join(plan.outDir, name)} was left by an interrupted run and may hold backups; inspect it, then delete it`,
  );
  const sorted = (paths: readonly string[]): string[] => [...paths].sort(comparePaths);
  const report = (removedDirs: readonly string[], ledgerWritten: boolean): WriteReport => ({
    outDir: plan.outDir,
    created: sorted(plan.create.map((w) => w.path)),
    updated: sorted([...plan.update, ...forcedUpdates].map((w) => w.path)),
    deleted: sorted(deletes.map((d) => d.path)),
    unchanged: sorted(plan.unchanged),
    forced: sorted(forced.map((c) => c.path)),
    removedDirs: sorted(removedDirs),
    ledgerWritten,
    changed: writes.length + deletes.length,
    warnings,
  });

  // Idempotence: a run that changes nothing must not even touch mtimes.
  if (writes.length === 0 && deletes.length === 0 && !plan.ledger.changed) return report([], false);

  await verifyUnchangedSincePlan(fs, plan, writes, deletes);

  const root = plan.outDir;
  const staging = nodePath.join(root, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  const removedDirs: string[] = [];

  /** Folders known to exist (checked or created by this run): thousands of files share a few hundred. */
  const knownDirs = new Set<string>();
  /** Create `abs` and any missing parents, one level at a time so each can be undone. */
  const ensureDir = async (abs: string): Promise<void> => {
    const toCreate: string[] = [];
    for (let cur = abs; ; cur = nodePath.dirname(cur)) {
      if (knownDirs.has(cur)) break;
      const kind = await lstatKind(fs, cur);
      if (kind === 'dir' || (kind === 'symlink' && cur === root)) break;
      if (kind !== 'absent') throw new Error(`${cur} is not a folder`);
      toCreate.push(cur);
      if (nodePath.dirname(cur) === cur) break;
    }
    for (const dir of toCreate.reverse()) {
      if (journal === undefined) {
        // The output root and its parents come before the journal, which lives in the root.
        await fs.mkdir(dir);
        createdRoot.push(dir);
      } else await step({ op: 'mkdir', path: journal.rel(dir) }, () => fs.mkdir(dir));
    }
    for (let cur = abs; !knownDirs.has(cur); cur = nodePath.dirname(cur)) {
      knownDirs.add(cur);
      if (nodePath.dirname(cur) === cur) break;
    }
  };

  /**
   * The shallowest folder of `rel` that the tree does not have (nothing at all stands there), or undefined when
   * its parent folder exists or something else (a stale file about to be pruned) is in the way.
   */
  const folderKinds = new Map<string, NodeKind>();
  const folderKind = async (rel: string): Promise<NodeKind> => {
    let kind = folderKinds.get(rel);
    if (kind === undefined) folderKinds.set(rel, (kind = await lstatKind(fs, toAbsolute(root, rel))));
    return kind;
  };
  const shallowestMissingFolder = async (rel: string): Promise<string | undefined> => {
    for (const a of ancestorsOf(rel)) {
      const kind = await folderKind(a);
      if (kind === 'absent') return a;
      if (kind !== 'dir') return undefined;
    }
    return undefined;
  };

  const moveInto = async (from: string, to: string): Promise<void> =>
    step({ op: 'rename', from: journal!.rel(from), to: journal!.rel(to) }, () => fs.rename(from, to));

  /** Every change to the tree: a chance to stop for a signal, then the journal line, then the change. */
  let stepNo = 0;
  const step = async (entry: JournalEntry, change: () => Promise<void>): Promise<void> => {
    await interruptionPoint(++stepNo, JSON.stringify(entry));
    journal!.log(entry);
    await change();
  };

  let journal: Journal | undefined;
  const createdRoot: string[] = [];
  await ensureDir(root);
  try {
    journal = Journal.open(root);
  } catch (err) {
    await removeCreatedRoot(fs, createdRoot);
    throw err;
  }
  enterCritical();
  try {
    await step({ op: 'staging', path: journal.rel(staging) }, () => fs.mkdir(staging));

    // 1. Stage every new content; the tree is untouched so far. Staged files live only in the staging folder
    // (removed as a whole on rollback), so they are written concurrently, a bounded number at a time. A file
    // under a folder the tree does not have yet is staged at its path inside `staging/tree/`, so the whole new
    // folder moves in with one rename (a new cluster: one rename instead of one per file and folder); any
    // other file is staged as `new-<i>` and renamed into place by itself.
    const treeRoot = nodePath.join(staging, 'tree');
    const missingRoots = new Set<string>();
    const staged: { w: PlannedWrite; tmp: string }[] = [];
    const loose: { w: PlannedWrite; tmp: string }[] = [];
    const stagingDirs = new Set<string>([staging]);
    const ensureStagingDir = async (abs: string): Promise<void> => {
      if (stagingDirs.has(abs)) return;
      await ensureStagingDir(nodePath.dirname(abs));
      await fs.mkdir(abs);
      stagingDirs.add(abs);
    };
    for (const [i, w] of writes.entries()) {
      const missing = w.before === undefined ? await shallowestMissingFolder(w.path) : undefined;
      if (missing === undefined) {
        const entry = { w, tmp: nodePath.join(staging, `new-${i}`) };
        staged.push(entry);
        loose.push(entry);
      } else {
        missingRoots.add(missing);
        const tmp = toAbsolute(treeRoot, w.path);
        await ensureStagingDir(nodePath.dirname(tmp));
        staged.push({ w, tmp });
      }
    }
    await forEachLimit(staged, STAGE_CONCURRENCY, async ({ w, tmp }) => {
      await interruptionPoint();
      await fs.writeFile(tmp, w.content);
    });
    const stagedLedger = nodePath.join(staging, 'ledger.json');
    if (plan.ledger.changed) await fs.writeFile(stagedLedger, plan.ledger.after);

    // 2. Move files to be replaced or pruned into staging as backups.
    const replaced = [...writes.filter((w) => w.before !== undefined).map((w) => w.path), ...deletes.map((d) => d.path)];
    for (const [i, rel] of replaced.entries()) {
      const abs = toAbsolute(root, rel);
      await moveInto(abs, nodePath.join(staging, `old-${i}`));
    }

    // 3. Remove folders emptied by pruning, deepest first, except those a new file needs anyway.
    const needed = new Set(plan.produced.flatMap(ancestorsOf));
    const candidates = [...new Set(deletes.flatMap((d) => ancestorsOf(d.path)))]
      .filter((d) => !needed.has(d))
      .sort((a, b) => b.split('/').length - a.split('/').length || comparePaths(a, b));
    for (const rel of candidates) {
      const abs = toAbsolute(root, rel);
      if ((await lstatKind(fs, abs)) !== 'dir' || (await fs.readdir(abs)).length > 0) continue;
      await step({ op: 'rmdir', path: rel }, () => fs.rmdir(abs));
      removedDirs.push(rel);
    }

    // 4. Move new contents into place: whole new folders first (their parents exist or are created, each step
    // journaled), then single files (folders first, then the renames, which touch distinct paths and are journaled
    // one by one, concurrently).
    for (const rel of [...missingRoots].sort(comparePaths)) {
      const abs = toAbsolute(root, rel);
      await ensureDir(nodePath.dirname(abs));
      await moveInto(toAbsolute(treeRoot, rel), abs);
    }
    const targets = loose.map(({ w, tmp }) => ({ tmp, abs: toAbsolute(root, w.path) }));
    for (const dir of [...new Set(targets.map((t) => nodePath.dirname(t.abs)))].sort()) await ensureDir(dir);
    await forEachLimit(targets, STAGE_CONCURRENCY, ({ tmp, abs }) => moveInto(tmp, abs));

    // 5. The ledger last: until this rename lands, the previous ledger still describes the tree (a recovery that
    // finds the new ledger in place completes the write instead of undoing it).
    if (plan.ledger.changed) {
      await step({ op: 'ledger', sha256: sha256Hex(plan.ledger.after) }, () => fs.rename(stagedLedger, toAbsolute(root, LEDGER_FILE)));
    }
  } catch (err) {
    const error = await rollback(fs, journal, err);
    if (!error.message.includes('ROLLBACK INCOMPLETE')) await removeCreatedRoot(fs, createdRoot);
    leaveCritical();
    throw error;
  }

  // Committed: from here on a signal waits until the tidying is done (the CLI then exits with its code).
  await interruptionPoint(++stepNo, 'commit').catch(() => undefined);
  journal.log({ op: 'commit' });
  // Failing to tidy the staging folder must not report the write as failed.
  try {
    await interruptionPoint(++stepNo, 'remove staging folder').catch(() => undefined);
    await fs.rmTree(staging);
  } catch (err) {
    warnings.push(`could not remove staging folder ${staging}: ${message(err)}`);
  }
  await interruptionPoint(++stepNo, 'remove journal').catch(() => undefined);
  journal.remove();
  leaveCritical();
  return report(removedDirs, plan.ledger.changed);
};

/** Remove an output root (and parents) this run created, deepest first; nothing else is in it. */
const removeCreatedRoot = async (fs: WriterFs, dirs: readonly string[]): Promise<void> => {
  for (const dir of [...dirs].reverse()) {
    try {
      await fs.rmdir(dir);
    } catch {
      // Not empty or already gone: leave it.
    }
  }
};

/** Undo every journaled step, newest first, and build the error to throw. */
const rollback = async (fs: WriterFs, journal: Journal, cause: unknown): Promise<CliError> => {
  const { failures, keptStaging } = await undoEntries(fs, journal.root, journal.entries);
  // Rolled back: the journal goes. Not rolled back: it stays, and the next run retries the rollback.
  if (failures.length === 0) journal.remove();
  else journal.keep();
  const code = errnoCode(cause);
  const interrupted = cause instanceof InterruptedError;
  const head = interrupted
    ? `${cause.message} while writing the generated tree`
    : `writing the generated tree failed: ${message(cause)}${code === undefined ? '' : ` (${code})`}`;
  const exitCode = interrupted ? signalExitCode(cause.signal) : ExitCode.FilesystemRefusal;
  const error =
    failures.length === 0
      ? new CliError(`${head}\nthe previous tree was restored; nothing changed`, exitCode as ExitCodeValue)
      : new CliError(
          `${head}\nROLLBACK INCOMPLETE, the tree is partly written:\n${failures.join('\n')}` +
            (keptStaging === undefined ? '' : `\nbackups of replaced files were kept in ${keptStaging}`) +
            `\nthe journal ${nodePath.join(journal.root, JOURNAL_FILE)} is kept: fix the cause and run "${GEN_COMMAND}", which retries the rollback`,
          exitCode as ExitCodeValue,
        );
  error.cause = cause;
  return error;
};
