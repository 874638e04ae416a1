// What a write did, and its one-screen summary for the CLI.

export interface WriteReport {
  /** Absolute output root. */
  readonly outDir: string;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: readonly string[];
  /** Hand-edited files that `--force` overwrote or pruned (also listed in updated/deleted). */
  readonly forced: readonly string[];
  /** Folders removed because pruning left them empty (relative, POSIX). */
  readonly removedDirs: readonly string[];
  readonly ledgerWritten: boolean;
  /** created + updated + deleted. */
  readonly changed: number;
  /** Non-fatal problems, e.g. a staging folder left by an interrupted run. */
  readonly warnings: readonly string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 files changed (1 created, 1 updated, 1 deleted), 40 unchanged` followed by one line per change. */
export const formatWriteReport = (r: WriteReport): string => {
  const parts = [
    r.created.length > 0 ? `${r.created.length} created` : '',
    r.updated.length > 0 ? `${r.updated.length} updated` : '',
    r.deleted.length > 0 ? `${r.deleted.length} deleted` : '',
  ].filter((p) => p.length > 0);
  const lines = [
    `${plural(r.changed, 'file')} changed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, ` +
      `${r.unchanged.length} unchanged${r.ledgerWritten ? ', ledger updated' : ''}`,
    ...r.created.map((p) => `  + ${p}`),
    ...r.updated.map((p) => `  ~ ${p}`),
    ...r.deleted.map((p) => `  - ${p}`),
    ...r.removedDirs.map((d) => `  - ${d}/ (empty folder)`),
    ...r.forced.map((p) => `  ! ${p} was edited by hand; overwritten because of --force`),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
};
