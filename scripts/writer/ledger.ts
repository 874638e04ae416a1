// The ledger records which paths the generator owns and the hash of what it last wrote there.
// It is what lets the writer tell its own stale files (safe to replace or prune) from hand edits
// and hand-written files (never touched silently). One entry per line keeps git diffs and merge
// conflicts readable; no timestamps, so an unchanged tree yields a byte-identical ledger.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { GEN_COMMAND, LEDGER_FILE } from '../lib/layout.ts';
import { assertNoConflictMarkers } from '../merge/conflict-markers.ts';
import { comparePaths, pathProblem } from './output-path.ts';

export const LEDGER_VERSION = 1;

export interface LedgerEntry {
  /** POSIX path relative to the output root. */
  readonly path: string;
  /** Lower-case hex sha256 of the bytes the writer wrote. */
  readonly sha256: string;
}

export interface Ledger {
  readonly version: typeof LEDGER_VERSION;
  /** Sorted by path (byte order), no duplicates. */
  readonly files: readonly LedgerEntry[];
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** A ledger from entries in any order. */
export const makeLedger = (entries: readonly LedgerEntry[]): Ledger => ({
  version: LEDGER_VERSION,
  files: [...entries].sort((a, b) => comparePaths(a.path, b.path)),
});

/** Canonical text: 2-space JSON, one entry per line, LF, trailing newline. */
export const serializeLedger = (ledger: Ledger): string => {
  const sorted = makeLedger(ledger.files).files;
  const entries = sorted.map(
    (e) => `    { "path": ${JSON.stringify(e.path)}, "sha256": ${JSON.stringify(e.sha256)} }`,
  );
  const files = entries.length === 0 ? '[]' : `[\n${entries.join(',\n')}\n  ]`;
  return (
    `{\n  "version": ${ledger.version},\n` +
    `  "generatedBy": ${JSON.stringify(GEN_COMMAND)},\n` +
    `  "files": ${files}\n}\n`
  );
};

const corrupt = (where: string, why: string): CliError =>
  new CliError(
    `${where}: ledger is unreadable (${why}); restore it from git, or delete it and run "${GEN_COMMAND}" ` +
      `(files it listed will then count as hand-written unless their content matches)`,
    ExitCode.Precondition,
  );

/**
 * Parse and validate ledger text. Ledger paths are validated like render paths because the
 * writer deletes files named in the ledger: a tampered entry must not reach outside the tree.
 */
export const parseLedger = (text: string, where: string = LEDGER_FILE): Ledger => {
  // A merge that conflicted in the ledger is the common case of an unreadable ledger: say so, and how to recover.
  assertNoConflictMarkers(where, text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw corrupt(where, `not JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw corrupt(where, 'not an object');
  const obj = data as Record<string, unknown>;
  if (obj.version !== LEDGER_VERSION) {
    throw corrupt(where, `expected version ${LEDGER_VERSION}, found ${JSON.stringify(obj.version)}`);
  }
  if (!Array.isArray(obj.files)) throw corrupt(where, '"files" is not an array');
  const seen = new Set<string>();
  const entries: LedgerEntry[] = [];
  obj.files.forEach((raw: unknown, i) => {
    const e = raw as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.path !== 'string' || typeof e.sha256 !== 'string') {
      throw corrupt(where, `files[${i}] needs string "path" and "sha256"`);
    }
    const problem = pathProblem(e.path);
    if (problem !== undefined) throw corrupt(where, `files[${i}].path ${JSON.stringify(e.path)} ${problem}`);
    if (!SHA256_RE.test(e.sha256)) throw corrupt(where, `files[${i}].sha256 is not a lower-case hex sha256`);
    if (seen.has(e.path)) throw corrupt(where, `files[${i}].path ${JSON.stringify(e.path)} is listed twice`);
    seen.add(e.path);
    entries.push({ path: e.path, sha256: e.sha256 });
  });
  return makeLedger(entries);
};
