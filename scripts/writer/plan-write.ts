// Planning reads the current tree (only paths named in the ledger or produced now) and decides,
// per path, what the writer would do. It never writes, so `--check` and the real write share
// exactly one classification.
import * as nodePath from 'node:path';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { LEDGER_FILE } from '../lib/layout.ts';
import { firstConflictMarker } from '../lib/conflict-markers.ts';
import { RESOLVE_HINT } from '../merge/conflict-markers.ts';
import { unitKey, type GeneratedFile } from '../render/generated-file.ts';
import { sha256Hex } from './hash.ts';
import { makeLedger, parseLedger, serializeLedger, type Ledger } from './ledger.ts';
import { ancestorsOf, comparePaths, pathProblem, STAGING_PREFIX, toAbsolute, validateOutputPaths } from './output-path.ts';
import { isRegionKey, spliceRegion } from './regions.ts';
import { errnoCode, lstatKind, nodeWriterFs, type NodeKind, type WriterFs } from './writer-fs.ts';

export interface PlannedWrite {
  readonly path: string;
  readonly content: string;
  /** Bytes on disk now (updates only); used for diffs and to detect changes made after planning. */
  readonly before?: Uint8Array;
  /** Why this happens when it is not obvious, e.g. `deleted by hand`. */
  readonly note?: string;
}

export interface PlannedDelete {
  readonly path: string;
  readonly before: Uint8Array;
}

/**
 * - `handEdited`: a generated file whose bytes differ from what the writer last wrote; `--force` overwrites
 *   (or prunes) it.
 * - `foreign`: something the writer did not write stands where a generated file must go (a hand-written
 *   file, a folder, a symbolic link); always refused, `--force` included.
 */
export type ConflictKind = 'handEdited' | 'foreign';

export interface WriteConflict {
  readonly path: string;
  readonly kind: ConflictKind;
  readonly reason: string;
  /** What `--force` does for a hand-edited file; absent for foreign conflicts. */
  readonly forced?: 'update' | 'delete';
  /** New content when the path is still produced. */
  readonly content?: string;
  /** Bytes on disk when the path is a regular file. */
  readonly before?: Uint8Array;
}

export interface WritePlan {
  /** Absolute output root. */
  readonly outDir: string;
  readonly create: readonly PlannedWrite[];
  readonly update: readonly PlannedWrite[];
  readonly delete: readonly PlannedDelete[];
  readonly unchanged: readonly string[];
  readonly conflicts: readonly WriteConflict[];
  /** Ledger entries whose file is gone (or replaced by a non-file): recreated if still produced, else dropped. */
  readonly missing: readonly string[];
  /** Produced paths not in the ledger whose disk content already equals the output: taken into the ledger. */
  readonly adopted: readonly string[];
  /** Every produced path, sorted. */
  readonly produced: readonly string[];
  /** Staging folders left by an interrupted run; they may hold backups, so they are reported, not removed. */
  readonly staleStaging: readonly string[];
  readonly ledger: {
    /** Ledger text on disk, or null when there is none. */
    readonly before: string | null;
    /** Ledger text after a successful apply (assumes conflicts are resolved or forced). */
    readonly after: string;
    /** Whether the ledger file needs writing even if no generated file changes. */
    readonly changed: boolean;
  };
}

export interface PlanOptions {
  readonly fs?: WriterFs;
}

type DiskState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly bytes: Uint8Array; readonly sha256: () => string }
  | { readonly kind: 'other'; readonly what: string };

const describe = (k: NodeKind): string =>
  k === 'dir' ? 'a folder' : k === 'symlink' ? 'a symbolic link' : k === 'file' ? 'a file' : 'not a regular file';

const readLedgerText = async (fs: WriterFs, root: string): Promise<string | null> => {
  const abs = toAbsolute(root, LEDGER_FILE);
  const kind = await lstatKind(fs, abs);
  if (kind === 'absent') return null;
  if (kind !== 'file') {
    throw new CliError(`${abs}: ledger is ${describe(kind)}, expected a regular file`, ExitCode.Precondition);
  }
  return Buffer.from(await fs.readFile(abs)).toString('utf8');
};

const listStaleStaging = async (fs: WriterFs, root: string): Promise<string[]> => {
  try {
    return (await fs.readdir(root)).filter((n) => n.startsWith(STAGING_PREFIX)).sort(comparePaths);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
};

/** Bounded parallel reads: thousands of simultaneous opens would hit the file-descriptor limit. */
const READ_CONCURRENCY = 32;

const mapLimit = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};

const sameBytes = (a: Uint8Array, b: string): boolean => Buffer.from(a).equals(Buffer.from(b, 'utf8'));

/**
 * A produced file and the sha256 of its UTF-8 bytes: the ledger records it, and a file on disk is the same file
 * exactly when its bytes hash to it (hashing the disk bytes costs what comparing them would, without encoding every
 * new content into a second buffer first).
 */
interface Encoded {
  readonly content: string;
  readonly sha256: string;
}

const encode = (content: string): Encoded => ({ content, sha256: sha256Hex(content) });

/**
 * Classify every path in the ledger or in `files` against the tree under `outDir`.
 * Throws CliError(BadInput) for invalid or colliding paths, CliError(Precondition) for an unreadable ledger.
 */
/**
 * Managed regions of hand-written files: one planned update per file with all its regions spliced in. A file
 * without the markers is refused like a foreign file; a region edited by hand like a hand-edited file.
 */
const planRegions = async (
  fs: WriterFs,
  root: string,
  regions: readonly GeneratedFile[],
  recorded: ReadonlyMap<string, string>,
  out: { update: PlannedWrite[]; unchanged: string[]; conflicts: WriteConflict[] },
): Promise<GeneratedFile[]> => {
  const managed: GeneratedFile[] = [];
  const byPath = new Map<string, GeneratedFile[]>();
  for (const r of regions) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  for (const [path, rs] of [...byPath.entries()].sort(([a], [b]) => comparePaths(a, b))) {
    const abs = toAbsolute(root, path);
    const kind = await lstatKind(fs, abs);
    // No such hand-written file in this output tree (e.g. `--out` elsewhere): nothing to manage.
    if (kind === 'absent') continue;
    if (kind !== 'file') {
      out.conflicts.push({ path, kind: 'foreign', reason: 'is not a regular file, so it cannot hold a managed region' });
      continue;
    }
    managed.push(...rs);
    const before = await fs.readFile(abs);
    let text = Buffer.from(before).toString('utf8');
    if (firstConflictMarker(text) !== undefined) {
      out.conflicts.push({ path, kind: 'foreign', reason: 'has unresolved merge conflicts', before });
      continue;
    }
    let editedByHand = false;
    let problem: string | undefined;
    for (const r of [...rs].sort((a, b) => comparePaths(unitKey(a), unitKey(b)))) {
      const spliced = spliceRegion(text, r.region!, r.content);
      if (!spliced.ok) {
        problem = spliced.reason;
        break;
      }
      const known = recorded.get(unitKey(r));
      if (known !== undefined && sha256Hex(spliced.oldBody) !== known && spliced.oldBody !== r.content) editedByHand = true;
      text = spliced.text;
    }
    if (problem !== undefined) out.conflicts.push({ path, kind: 'foreign', reason: problem });
    else if (sameBytes(before, text)) out.unchanged.push(path);
    else if (editedByHand) {
      out.conflicts.push({ path, kind: 'handEdited', reason: 'has a managed region that was edited by hand', forced: 'update', content: text, before });
    } else out.update.push({ path, content: text, before, note: 'managed region' });
  }
  return managed;
};

/**
 * A file that differs from what the writer last wrote may be a merge that conflicted: then neither refusing it as a
 * hand edit nor `--force` is the right advice, so name each one with the line of its first marker, and the fix.
 */
const refuseConflictMarkers = (conflicts: readonly WriteConflict[]): void => {
  const found = conflicts.flatMap((c) => {
    const line = c.before === undefined ? undefined : firstConflictMarker(Buffer.from(c.before).toString('utf8'));
    return line === undefined ? [] : [`  ${c.path}:${line}`];
  });
  if (found.length === 0) return;
  throw new CliError(
    [`${found.length} generated file${found.length === 1 ? ' has' : 's have'} unresolved merge conflicts (git conflict markers):`, ...found, RESOLVE_HINT].join('\n'),
    ExitCode.Precondition,
  );
};

export const planWrite = async (
  outDir: string,
  allFiles: readonly GeneratedFile[],
  options: PlanOptions = {},
): Promise<WritePlan> => {
  let files = allFiles;
  const fs = options.fs ?? nodeWriterFs;
  const root = nodePath.resolve(outDir);
  const regions = files.filter((f) => f.region !== undefined);
  files = files.filter((f) => f.region === undefined);
  validateOutputPaths(files.map((f) => f.path));
  for (const r of regions) {
    const problem = pathProblem(r.path) ?? (files.some((f) => f.path === r.path) ? 'is produced both as a whole file and as a region' : undefined);
    if (problem !== undefined) throw new CliError(`${JSON.stringify(r.path)} ${problem}`, ExitCode.BadInput);
  }
  const rootKind = await lstatKind(fs, root);
  if (rootKind === 'file' || rootKind === 'other') {
    throw new CliError(`${root}: output root is ${describe(rootKind)}, expected a folder`, ExitCode.FilesystemRefusal);
  }

  const ledgerText = await readLedgerText(fs, root);
  const ledger: Ledger = ledgerText === null ? makeLedger([]) : parseLedger(ledgerText, toAbsolute(root, LEDGER_FILE));
  const ledgerHash = new Map(ledger.files.filter((e) => !isRegionKey(e.path)).map((e) => [e.path, e.sha256]));
  const regionHash = new Map(ledger.files.filter((e) => isRegionKey(e.path)).map((e) => [e.path, e.sha256]));
  // Each file is hashed once, for the ledger and for comparing with the disk.
  const produced = new Map(files.map((f) => [f.path, encode(f.content)]));

  // A folder-level lstat is shared by all files under it.
  const kindCache = new Map<string, Promise<NodeKind>>();
  const cachedKind = (rel: string): Promise<NodeKind> => {
    let k = kindCache.get(rel);
    if (k === undefined) {
      k = lstatKind(fs, toAbsolute(root, rel));
      kindCache.set(rel, k);
    }
    return k;
  };

  const readDisk = async (rel: string): Promise<DiskState> => {
    for (const a of ancestorsOf(rel)) {
      const k = await cachedKind(a);
      if (k === 'dir') continue;
      if (k === 'absent') return { kind: 'absent' };
      // A stale generated file where a folder is now needed is pruned before creates run.
      if (k === 'file' && ledgerHash.has(a) && !produced.has(a)) return { kind: 'absent' };
      return { kind: 'other', what: `its parent ${a} is ${describe(k)}, not a folder` };
    }
    const k = await lstatKind(fs, toAbsolute(root, rel));
    if (k === 'absent') return { kind: 'absent' };
    if (k !== 'file') return { kind: 'other', what: `it is ${describe(k)}` };
    const bytes = await fs.readFile(toAbsolute(root, rel));
    let sha256: string | undefined;
    return { kind: 'file', bytes, sha256: () => (sha256 ??= sha256Hex(bytes)) };
  };

  const create: PlannedWrite[] = [];
  const update: PlannedWrite[] = [];
  const del: PlannedDelete[] = [];
  const unchanged: string[] = [];
  const conflicts: WriteConflict[] = [];
  const missing: string[] = [];
  const adopted: string[] = [];

  const allPaths = [...new Set([...produced.keys(), ...ledgerHash.keys()])].sort(comparePaths);
  const states = await mapLimit(allPaths, READ_CONCURRENCY, readDisk);

  allPaths.forEach((path, i) => {
    const disk = states[i] as DiskState;
    const encoded = produced.get(path);
    const recorded = ledgerHash.get(path);

    if (encoded === undefined) {
      // In the ledger, no longer produced: prune, unless someone changed it.
      if (disk.kind !== 'file') missing.push(path);
      else if (disk.sha256() === recorded) del.push({ path, before: disk.bytes });
      else {
        conflicts.push({
          path,
          kind: 'handEdited',
          reason: 'is no longer generated, but was edited by hand since the last write, so it is not pruned',
          forced: 'delete',
          before: disk.bytes,
        });
      }
      return;
    }

    const content = encoded.content;
    if (disk.kind === 'absent') {
      if (recorded !== undefined) missing.push(path);
      create.push(recorded !== undefined ? { path, content, note: 'deleted by hand' } : { path, content });
      return;
    }
    if (disk.kind === 'other') {
      conflicts.push({ path, kind: 'foreign', reason: `cannot be written: ${disk.what}`, content });
      return;
    }
    if (disk.sha256() === encoded.sha256) {
      // Already what we would write (even if it got there by hand): nothing to do on disk.
      unchanged.push(path);
      if (recorded === undefined) adopted.push(path);
      return;
    }
    if (recorded === undefined) {
      conflicts.push({
        path,
        kind: 'foreign',
        reason: 'exists but is not in the ledger, so the generator did not write it',
        content,
        before: disk.bytes,
      });
    } else if (disk.sha256() !== recorded) {
      conflicts.push({
        path,
        kind: 'handEdited',
        reason: 'was edited by hand since the last write',
        forced: 'update',
        content,
        before: disk.bytes,
      });
    } else {
      update.push({ path, content, before: disk.bytes });
    }
  });

  const managed = await planRegions(fs, root, regions, regionHash, { update, unchanged, conflicts });
  refuseConflictMarkers(conflicts);

  const after = serializeLedger(
    makeLedger([
      ...files.map((f) => ({ path: f.path, sha256: produced.get(f.path)!.sha256 })),
      ...managed.map((f) => ({ path: unitKey(f), sha256: sha256Hex(f.content) })),
    ]),
  );
  // With no ledger and nothing produced there is nothing to record; writing an empty ledger would
  // make a no-op run touch the disk.
  const ledgerChanged = ledgerText === null ? files.length + managed.length > 0 : ledgerText !== after;

  return {
    outDir: root,
    create,
    update,
    delete: del,
    unchanged,
    conflicts,
    missing,
    adopted,
    produced: [...produced.keys()].sort(comparePaths),
    staleStaging: await listStaleStaging(fs, root),
    ledger: { before: ledgerText, after, changed: ledgerChanged },
  };
};
