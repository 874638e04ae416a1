// Output paths are data coming from render functions (and from the ledger on disk), so they are
// validated before the writer joins them onto the output root: a `..` or an absolute path would
// let a bad render, or a tampered ledger, write or delete outside the tree.
import * as nodePath from 'node:path';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { LEDGER_FILE } from '../lib/layout.ts';

/** Prefix of the writer's temporary folder inside the output root. */
export const STAGING_PREFIX = '.gen-staging-';
/** The write-ahead journal of a write in progress (journal.ts); present only while writing or after a kill. */
export const JOURNAL_FILE = '.gen-journal';
/** The lock a run holds while it reads and writes the tree (lock.ts). */
export const LOCK_FILE = '.gen-lock';

/** Why `p` is not an acceptable output path, or `undefined` when it is. */
export const pathProblem = (p: string): string | undefined => {
  if (p.length === 0) return 'is empty';
  if (p.includes('\\')) return 'contains a backslash (paths are POSIX, use "/")';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.startsWith('/')) return 'is absolute (paths are relative to the output root)';
  if (/^[A-Za-z]:/.test(p)) return 'starts with a drive letter (paths are relative to the output root)';
  const segments = p.split('/');
  if (segments.some((s) => s === '..')) return 'contains ".." (paths must stay inside the output root)';
  if (segments.some((s) => s === '.')) return 'contains "." segments (paths must be normalised)';
  if (segments.some((s) => s.length === 0)) return 'contains an empty segment ("//" or a trailing "/")';
  if (segments.includes('.git')) return 'points into a .git folder';
  if (p === LEDGER_FILE) return `is the ledger file ${LEDGER_FILE}, which only the writer writes`;
  if (p === JOURNAL_FILE || p === LOCK_FILE) return `is the writer's own ${p}`;
  if (segments[0]?.startsWith(STAGING_PREFIX)) return `starts with the writer's staging prefix ${STAGING_PREFIX}`;
  return undefined;
};

/** Absolute filesystem path of a validated output path under `root`. */
export const toAbsolute = (root: string, rel: string): string =>
  // Output paths are validated (no `.`, `..` or empty segments), so on POSIX a plain concatenation is the join.
  nodePath.sep === '/' ? `${root.endsWith('/') ? root.slice(0, -1) : root}/${rel}` : nodePath.join(root, ...rel.split('/'));

/** Parent folders of a POSIX path, nearest last: `a/b/c.yaml` → [`a`, `a/b`]. */
export const ancestorsOf = (rel: string): string[] => {
  const segments = rel.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) out.push(segments.slice(0, i).join('/'));
  return out;
};

/** Byte-order (not locale) comparison, so sorting is identical on every machine. */
export const comparePaths = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every problem with the produced paths at once (CONVENTIONS #8), as one bad-input error. */
export const validateOutputPaths = (paths: readonly string[]): void => {
  const problems: string[] = [];
  const seen = new Set<string>();
  const folded = new Map<string, string>();
  for (const p of paths) {
    const problem = pathProblem(p);
    if (problem !== undefined) {
      problems.push(`${JSON.stringify(p)} ${problem}`);
      continue;
    }
    if (seen.has(p)) {
      problems.push(`${JSON.stringify(p)} is produced twice`);
      continue;
    }
    seen.add(p);
    // Case-insensitive filesystems (macOS, Windows) would make these two paths one file.
    const other = folded.get(p.toLowerCase());
    if (other !== undefined) problems.push(`${JSON.stringify(p)} differs from ${JSON.stringify(other)} only by case`);
    else folded.set(p.toLowerCase(), p);
  }
  for (const p of seen) {
    for (const a of ancestorsOf(p)) {
      if (seen.has(a)) problems.push(`${JSON.stringify(a)} is produced as a file and as the folder of ${JSON.stringify(p)}`);
    }
  }
  if (problems.length > 0) {
    throw new CliError(
      `invalid output path${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      ExitCode.BadInput,
    );
  }
};
