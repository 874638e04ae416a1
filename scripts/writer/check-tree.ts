// `pnpm gen --check`: compares the committed tree with what the generator would write, writes
// nothing, and explains the difference (CONVENTIONS #1). It shares planWrite with the writer, so
// "check passes" means exactly "a write would change nothing".
import { GEN_COMMAND, LEDGER_FILE } from '../lib/layout.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { comparePaths } from './output-path.ts';
import { planWrite, type PlanOptions } from './plan-write.ts';
import { unifiedDiff } from './unified-diff.ts';

export type CheckStatus = 'create' | 'update' | 'delete' | 'handEdited' | 'foreign';

export interface CheckEntry {
  readonly path: string;
  readonly status: CheckStatus;
  /** Why, for conflicts and non-obvious cases (e.g. `deleted by hand`). */
  readonly note?: string;
}

export interface CheckResult {
  /** True when a write would change nothing: no file to create/update/delete, no conflict, ledger current. */
  readonly ok: boolean;
  readonly outDir: string;
  /** Sorted by path. */
  readonly entries: readonly CheckEntry[];
  /** The ledger would be rewritten (entries adopted, dropped or re-hashed) even if no file changes. */
  readonly ledgerStale: boolean;
  readonly unchanged: number;
  /** Unified diff of every entry, from what is on disk to what would be written, capped. */
  readonly diff: readonly string[];
  /** Diff lines left out because of the cap, and how many files they belong to. */
  readonly diffCut: { readonly lines: number; readonly files: number };
  /** Leftovers of an interrupted write (see WritePlan.staleStaging). */
  readonly staleStaging: readonly string[];
}

export interface CheckOptions extends PlanOptions {
  /** Total diff lines to keep; CI logs stay readable and the command to run stays on screen. */
  readonly maxDiffLines?: number;
}

const DEFAULT_MAX_DIFF_LINES = 200;

const text = (bytes: Uint8Array | undefined): string => (bytes === undefined ? '' : Buffer.from(bytes).toString('utf8'));

/** Compare the tree under `outDir` with `files`; never writes. */
export const checkTree = async (
  outDir: string,
  files: readonly GeneratedFile[],
  options: CheckOptions = {},
): Promise<CheckResult> => {
  const plan = await planWrite(outDir, files, options);
  const maxLines = options.maxDiffLines ?? DEFAULT_MAX_DIFF_LINES;

  // Each entry with the diff that `pnpm gen` (with --force for hand edits) would apply.
  const items: Array<{ entry: CheckEntry; diff: string[] }> = [
    ...plan.create.map((w) => ({
      entry: w.note === undefined ? { path: w.path, status: 'create' as const } : { path: w.path, status: 'create' as const, note: w.note },
      diff: unifiedDiff('', w.content, '/dev/null', `b/${w.path}`),
    })),
    ...plan.update.map((w) => ({
      entry: { path: w.path, status: 'update' as const },
      diff: unifiedDiff(text(w.before), w.content, `a/${w.path}`, `b/${w.path}`),
    })),
    ...plan.delete.map((d) => ({
      entry: { path: d.path, status: 'delete' as const },
      diff: unifiedDiff(text(d.before), '', `a/${d.path}`, '/dev/null'),
    })),
    ...plan.conflicts.map((c) => ({
      entry: { path: c.path, status: c.kind, note: c.reason },
      diff:
        c.before === undefined
          ? []
          : unifiedDiff(text(c.before), c.content ?? '', `a/${c.path}`, c.content === undefined ? '/dev/null' : `b/${c.path}`),
    })),
  ].sort((x, y) => comparePaths(x.entry.path, y.entry.path));

  const diff: string[] = [];
  let cutLines = 0;
  let cutFiles = 0;
  for (const { diff: d } of items) {
    const room = maxLines - diff.length;
    if (d.length > room) {
      cutLines += d.length - Math.max(room, 0);
      cutFiles++;
    }
    if (room > 0) diff.push(...d.slice(0, room));
  }

  const entries = items.map((i) => i.entry);
  return {
    ok: entries.length === 0 && !plan.ledger.changed,
    outDir: plan.outDir,
    entries,
    ledgerStale: plan.ledger.changed,
    unchanged: plan.unchanged.length,
    diff,
    diffCut: { lines: cutLines, files: cutFiles },
    staleStaging: plan.staleStaging,
  };
};

const LABEL: Record<CheckStatus, string> = {
  create: 'create     ',
  update: 'update     ',
  delete: 'delete     ',
  handEdited: 'hand-edited',
  foreign: 'foreign    ',
};

/** Human-readable check report; when the tree is stale it ends with the command to run. */
export const formatCheck = (r: CheckResult): string => {
  const warnings = r.staleStaging.map((s) => `warning: ${s} was left by an interrupted write and may hold backups`);
  if (r.ok) return [`generated tree is up to date (${r.unchanged} files)`, ...warnings].join('\n');

  const lines = [`generated tree is out of date (${r.outDir}):`];
  for (const e of r.entries) lines.push(`  ${LABEL[e.status]} ${e.path}${e.note === undefined ? '' : ` (${e.note})`}`);
  if (r.ledgerStale) lines.push(`  ledger      ${LEDGER_FILE} would be rewritten`);
  if (r.diff.length > 0) lines.push('', ...r.diff);
  if (r.diffCut.lines > 0) {
    lines.push(`... diff cut: ${r.diffCut.lines} more lines in ${r.diffCut.files} file${r.diffCut.files === 1 ? '' : 's'} not shown`);
  }
  lines.push('', ...warnings);
  if (r.entries.some((e) => e.status === 'handEdited')) {
    lines.push('hand-edited files: move the change into the inventory, or let --force overwrite (or prune) them');
  }
  if (r.entries.some((e) => e.status === 'foreign')) {
    lines.push('foreign files: the generator needs these paths; move or delete them by hand');
  }
  lines.push(`run "${GEN_COMMAND}" and commit the result`);
  return lines.join('\n');
};
