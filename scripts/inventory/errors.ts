// Inventory errors: every problem found is collected, then thrown once as an InventoryError.
// Each issue names file, line, column and field path, what was expected and what was found.

export interface InventoryIssue {
  /** Path of the inventory file, relative to the repository root (e.g. `inventory/clusters.yaml`). */
  readonly file: string;
  /** 1-based; 0 when the issue concerns a whole file that does not exist. */
  readonly line: number;
  readonly col: number;
  /** Dotted field path, arrays as `[i]`: `clusters[2].environment`; `(root)` for the document. */
  readonly field: string;
  /** "expected …, found …" and, where it helps, "(did you mean …?)". */
  readonly message: string;
}

export const formatIssue = (i: InventoryIssue): string => `${i.file}:${i.line}:${i.col} ${i.field}: ${i.message}`;

/** Sort issues by file, then position, so the report reads top to bottom and is deterministic. */
export const sortIssues = (issues: readonly InventoryIssue[]): InventoryIssue[] =>
  [...issues].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.field.localeCompare(b.field) ||
      a.message.localeCompare(b.message),
  );

export class InventoryError extends Error {
  readonly issues: readonly InventoryIssue[];
  constructor(issues: readonly InventoryIssue[]) {
    const sorted = sortIssues(issues);
    super(
      `inventory has ${sorted.length} error${sorted.length === 1 ? '' : 's'}:\n` +
        sorted.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'InventoryError';
    this.issues = sorted;
  }
}
