// Git leaves `<<<<<<< ours` / `=======` / `>>>>>>> theirs` lines in a file whose merge conflicted. A generated file or
// the ledger in that state is unreadable by design, so every reader checks for them first and says what happened and
// how to recover, instead of failing later with a parser's message (or a stack trace).
import { firstConflictMarker } from '../lib/conflict-markers.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';

/** The command that recovers a tree whose generated files conflicted. */
export const RESOLVE_COMMAND = 'pnpm resolve';

/** What to do about a generated file (or the ledger) with conflict markers. */
export const RESOLVE_HINT =
  `run \`${RESOLVE_COMMAND}\` (it takes one side of every generated file and regenerates them from the merged inventory); ` +
  'see docs/merging.md';

/** Exit 5 naming the file and the line of its first marker, and the fix. */
export const conflictMarkerError = (file: string, line: number): CliError =>
  new CliError(`${file}:${line}: has unresolved merge conflicts (git conflict markers); ${RESOLVE_HINT}`, ExitCode.Precondition);

/** Throws conflictMarkerError when `text` (the content of generated file `file`) has conflict markers. */
export const assertNoConflictMarkers = (file: string, text: string): void => {
  const line = firstConflictMarker(text);
  if (line !== undefined) throw conflictMarkerError(file, line);
};
