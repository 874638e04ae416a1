// What `pnpm gen` prints besides its text reports: the --dry-run plan and the JSON of --check, --dry-run and a write.
// The JSON shapes are stable (scripts and CI parse them): paths are POSIX and relative to the output root.
import type { RemovalCheck } from '../pipeline/removal-guard.ts';
import type { CheckResult, CheckStatus } from '../writer/check-tree.ts';
import type { WriteReport } from '../writer/write-report.ts';

export interface CheckJson {
  readonly mode: 'check' | 'dry-run';
  /** A write would change nothing. */
  readonly ok: boolean;
  readonly files: readonly { readonly path: string; readonly status: CheckStatus; readonly note?: string }[];
  readonly ledgerStale: boolean;
  readonly unchanged: number;
}

export const checkJson = (mode: CheckJson['mode'], r: CheckResult): CheckJson => ({
  mode,
  ok: r.ok,
  files: r.entries.map((e) => ({ path: e.path, status: e.status, ...(e.note === undefined ? {} : { note: e.note }) })),
  ledgerStale: r.ledgerStale,
  unchanged: r.unchanged,
});

const VERB: Record<CheckStatus, string> = {
  create: '+',
  update: '~',
  delete: '-',
  handEdited: '!',
  foreign: '?',
};

/** `pnpm gen --dry-run`: the files a write would touch, one per line, like the write report. */
export const formatDryRun = (r: CheckResult): string => {
  if (r.ok) return `dry run: nothing would change (${r.unchanged} files up to date)`;
  const count = (s: CheckStatus): number => r.entries.filter((e) => e.status === s).length;
  const parts = [
    [count('create'), 'created'],
    [count('update'), 'updated'],
    [count('delete'), 'deleted'],
  ].filter(([n]) => n !== 0).map(([n, what]) => `${n} ${what}`);
  const lines = [`dry run: ${parts.join(', ') || 'no file'} would be written, ${r.unchanged} unchanged; nothing was written`];
  for (const e of r.entries) lines.push(`  ${VERB[e.status]} ${e.path}${e.note === undefined ? '' : ` (${e.note})`}`);
  if (r.entries.some((e) => e.status === 'handEdited')) lines.push('  (! = edited by hand: a write refuses it unless --force)');
  if (r.entries.some((e) => e.status === 'foreign')) lines.push('  (? = a file gen does not own is in the way: a write refuses it)');
  if (r.ledgerStale) lines.push('  the ledger would be rewritten');
  return lines.join('\n');
};

export const writeJson = (r: WriteReport, removals: RemovalCheck): Record<string, unknown> => ({
  mode: 'write',
  created: r.created,
  updated: r.updated,
  deleted: r.deleted,
  unchanged: r.unchanged.length,
  forced: r.forced,
  removedDirs: r.removedDirs,
  ledgerWritten: r.ledgerWritten,
  warnings: r.warnings,
  removedApplications: removals.removed.map((a) => a.name),
  movedApplications: (removals.moved ?? []).map((m) => ({ name: m.name, from: m.from, to: m.to })),
});
