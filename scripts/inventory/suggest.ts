// "Did you mean …?" for misspelled keys, enum values and names. Edit distance counts an adjacent
// transposition as one edit (optimal string alignment), because `aws-nbl` for `aws-nlb` is the
// most common typo and plain Levenshtein would call it two.

/** Longer inputs are never a typo of a short inventory name; capping keeps the work bounded on junk input. */
const MAX_COMPARED_LENGTH = 64;

/** Optimal-string-alignment distance (Damerau–Levenshtein without substring re-edits). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prevPrev: number[] = new Array<number>(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (prevPrev[j - 2] ?? 0) + 1);
      }
      cur[j] = best;
    }
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** How many edits still read as a typo: one for short words, about a third of the word for longer ones. */
const tolerance = (word: string): number => Math.min(3, Math.max(1, Math.round(word.length / 3)));

/**
 * The candidate closest to `word`, or undefined when none is close enough to be a plausible typo.
 * Case is ignored for the distance (`Replicas` → `replicas`); ties go to the earlier candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word || candidate.length > MAX_COMPARED_LENGTH) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= tolerance(word) ? best : undefined;
}

/** ` (did you mean "x"?)` when a close candidate exists, else the empty string: append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
