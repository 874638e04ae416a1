// Git merge conflict markers in an inventory file (found by lib/conflict-markers.ts). Checked before YAML parsing,
// because a parser reads `<<<<<<< HEAD` as a key and reports a dozen unrelated-looking errors; one line naming the
// markers and the fix is what a person resolving a merge needs.
import type { ConflictSpan } from '../lib/conflict-markers.ts';
import type { InventoryIssue } from './errors.ts';

/** One issue for a file with conflict markers: which lines, and what to do. */
export function conflictMarkerIssue(file: string, span: ConflictSpan): InventoryIssue {
  const lines = span.first === span.last ? `line ${span.first}` : `lines ${span.first}–${span.last}`;
  return {
    file,
    line: span.first,
    col: 1,
    field: '(file)',
    message:
      `has unresolved merge conflict markers (${lines}); resolve them by hand (keep the lines you want, ` +
      'delete the <<<<<<<, ======= and >>>>>>> lines), then run `pnpm gen`',
  };
}
