// Git merge conflict markers, found the way git writes them. One detector for every reader: the inventory loader
// (which reports them as an inventory issue) and the readers of generated files and the ledger (which point to
// `pnpm resolve`).
// Checked: git/git @ v2.55.0 : xdiff/xmerge.c (fill_conflict_hunk) and xdiff/xdiff.h (DEFAULT_CONFLICT_MARKER_SIZE 7):
// markers `<<<<<<<`, `|||||||` (diff3), `=======`, `>>>>>>>` start a line, the labelled ones followed by a space;
// git/git @ e5a0d5d8bbeed7d0cb21533f9727591e110f50b8 : merge-ll.c (is_conflict_marker_line).

const MARKER = /^(?:<{7}|>{7}|\|{7})(?: |$)|^={7}[ \t]*$/;
const OUTER = /^(?:<{7}|>{7})(?: |$)/;

export interface ConflictSpan {
  /** 1-based line of the first marker. */
  readonly first: number;
  /** 1-based line of the last marker. */
  readonly last: number;
}

/**
 * The lines the conflict markers span, or undefined when there is none. A lone `=======` (a Markdown heading
 * underline, a line in a block scalar) is not a conflict: only a file with an outer `<<<<<<<`/`>>>>>>>` marker is.
 */
export const findConflictMarkers = (text: string): ConflictSpan | undefined => {
  // Cheap pre-test: almost every file has no marker at all.
  if (!text.includes('<<<<<<<') && !text.includes('>>>>>>>')) return undefined;
  let first: number | undefined;
  let last = 0;
  let outer = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (!MARKER.test(line)) return;
    first ??= i + 1;
    last = i + 1;
    outer ||= OUTER.test(line);
  });
  return first !== undefined && outer ? { first, last } : undefined;
};

/** 1-based line of the first conflict marker, or undefined when `text` has no conflict. */
export const firstConflictMarker = (text: string): number | undefined => findConflictMarkers(text)?.first;
