// A small unified diff for `--check` output: Myers' O(ND) shortest edit script over lines, with
// 3 lines of context, in the format `git diff` and `patch` read. Very different inputs (edit
// distance above MAX_EDITS) fall back to "remove all, add all" for the differing middle, which is
// still a correct diff; the check output is capped far below that size anyway.

interface Line {
  readonly text: string;
  /** Last line of a text that does not end with a newline. */
  readonly noEol: boolean;
}

type Op = ' ' | '-' | '+';

interface Edit {
  readonly op: Op;
  readonly line: Line;
}

const MAX_EDITS = 1000;

const splitLines = (text: string): Line[] => {
  if (text.length === 0) return [];
  const parts = text.split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  return parts.map((t, i) => ({ text: t, noEol: !endsWithNewline && i === parts.length - 1 }));
};

// `a` and `a` without its final newline are different lines; a key with '\n' (which a split line
// never contains) keeps them apart.
const key = (l: Line): string => (l.noEol ? `${l.text}\n` : l.text);

/** Shortest edit script from `a` to `b`, or undefined when it needs more than `maxEdits` edits. */
const myers = (a: readonly string[], b: readonly string[], maxEdits: number): Op[] | undefined => {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  const off = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] holds v (furthest x per diagonal k) as it was before step d, for k in [-d, d].
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(off - d, off + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number))
        ? (v[off + k + 1] as number)
        : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
  }
  return undefined;
};

const backtrack = (trace: readonly Int32Array[], n: number, m: number, dEnd: number): Op[] => {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const at = (k: number): number => prev[k + d] as number;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(' ');
      x--;
      y--;
    }
    ops.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  for (; x > 0; x--) ops.push(' ');
  return ops.reverse();
};

const diffLines = (a: readonly Line[], b: readonly Line[]): Edit[] => {
  const ka = a.map(key);
  const kb = b.map(key);
  // Common prefix and suffix are cheap to strip and make the search space small.
  let pre = 0;
  while (pre < ka.length && pre < kb.length && ka[pre] === kb[pre]) pre++;
  let suf = 0;
  while (suf < ka.length - pre && suf < kb.length - pre && ka[ka.length - 1 - suf] === kb[kb.length - 1 - suf]) suf++;
  const midA = ka.slice(pre, ka.length - suf);
  const midB = kb.slice(pre, kb.length - suf);
  const ops =
    myers(midA, midB, MAX_EDITS) ?? [...midA.map((): Op => '-'), ...midB.map((): Op => '+')];

  const edits: Edit[] = a.slice(0, pre).map((line) => ({ op: ' ', line }));
  let i = pre;
  let j = pre;
  for (const op of ops) {
    if (op === '+') edits.push({ op, line: b[j++] as Line });
    else {
      edits.push({ op, line: a[i++] as Line });
      if (op === ' ') j++;
    }
  }
  for (const line of a.slice(a.length - suf)) edits.push({ op: ' ', line });
  return edits;
};

const range = (start: number, count: number): string =>
  count === 1 ? `${start + 1}` : count === 0 ? `${start},0` : `${start + 1},${count}`;

/**
 * Unified diff lines (no trailing newlines) turning `before` into `after`, or [] when they are equal.
 * Labels are the `---`/`+++` names, e.g. `a/base/x.yaml` and `b/base/x.yaml`, or `/dev/null`.
 */
export const unifiedDiff = (
  before: string,
  after: string,
  beforeLabel: string,
  afterLabel: string,
  context = 3,
): string[] => {
  if (before === after) return [];
  const edits = diffLines(splitLines(before), splitLines(after));
  const changes = edits.flatMap((e, i) => (e.op === ' ' ? [] : [i]));
  const out = [`--- ${beforeLabel}`, `+++ ${afterLabel}`];
  let c = 0;
  while (c < changes.length) {
    const start = Math.max(0, (changes[c] as number) - context);
    let last = changes[c] as number;
    // Merge the next change while the context windows touch.
    while (c + 1 < changes.length && (changes[c + 1] as number) - context <= last + context + 1) last = changes[++c] as number;
    c++;
    const end = Math.min(edits.length, last + context + 1);
    const oldStart = edits.slice(0, start).filter((e) => e.op !== '+').length;
    const newStart = edits.slice(0, start).filter((e) => e.op !== '-').length;
    const body = edits.slice(start, end);
    out.push(
      `@@ -${range(oldStart, body.filter((e) => e.op !== '+').length)} ` +
        `+${range(newStart, body.filter((e) => e.op !== '-').length)} @@`,
    );
    for (const e of body) {
      out.push(`${e.op}${e.line.text}`);
      if (e.line.noEol) out.push('\\ No newline at end of file');
    }
  }
  return out;
};
