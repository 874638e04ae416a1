import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../scripts/writer/unified-diff.ts';

interface L {
  text: string;
  noEol: boolean;
}

const toLines = (s: string): L[] => {
  if (s === '') return [];
  const parts = s.split('\n');
  const eol = parts.at(-1) === '';
  if (eol) parts.pop();
  return parts.map((text, i) => ({ text, noEol: !eol && i === parts.length - 1 }));
};
const fromLines = (ls: readonly L[]): string => ls.map((l) => l.text + (l.noEol ? '' : '\n')).join('');

/** A strict patch applier: every context and removed line must match exactly, counts must add up. */
const applyPatch = (before: string, diff: readonly string[]): string => {
  const old = toLines(before);
  const out: L[] = [];
  let pos = 0;
  let i = 2;
  while (i < diff.length) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(diff[i] ?? '');
    if (m === null) throw new Error(`bad hunk header ${diff[i]}`);
    const [oS, oC, nS, nC] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3]), Number(m[4] ?? 1)];
    const start = oC === 0 ? oS : oS - 1;
    if (start < pos) throw new Error('overlapping hunks');
    out.push(...old.slice(pos, start));
    pos = start;
    if ((nC === 0 ? nS : nS - 1) !== out.length) throw new Error('new start mismatch');
    let seenOld = 0;
    let seenNew = 0;
    i++;
    while (i < diff.length && !(diff[i] ?? '').startsWith('@@')) {
      const line = diff[i] ?? '';
      const noEol = diff[i + 1] === '\\ No newline at end of file';
      const op = line[0];
      const l = { text: line.slice(1), noEol };
      if (op === ' ' || op === '-') {
        const o = old[pos];
        if (o === undefined || o.text !== l.text || o.noEol !== l.noEol) throw new Error(`mismatch at old line ${pos + 1}`);
        pos++;
        seenOld++;
      }
      if (op === ' ' || op === '+') {
        out.push(l);
        seenNew++;
      }
      i += noEol ? 2 : 1;
    }
    if (seenOld !== oC || seenNew !== nC) throw new Error('hunk counts do not match the header');
  }
  out.push(...old.slice(pos));
  return fromLines(out);
};

const textArb = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'kind: X', ''), { maxLength: 25 }), fc.boolean())
  .map(([lines, eol]) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '')));

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'a/x', 'b/x')).toEqual([]);
  });

  it('shows one change with three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
    const after = before.replace('5\n', 'five\n');
    expect(unifiedDiff(before, after, 'a/f', 'b/f')).toEqual([
      '--- a/f',
      '+++ b/f',
      '@@ -2,7 +2,7 @@',
      ' 2',
      ' 3',
      ' 4',
      '-5',
      '+five',
      ' 6',
      ' 7',
      ' 8',
    ]);
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('a\n', 'a', 'a/f', 'b/f')).toEqual([
      '--- a/f',
      '+++ b/f',
      '@@ -1 +1 @@',
      '-a',
      '+a',
      '\\ No newline at end of file',
    ]);
  });

  it('produces a patch that turns before into after (property)', () => {
    fc.assert(
      fc.property(textArb, textArb, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = unifiedDiff(before, after, 'a/f', 'b/f', context);
        if (before === after) return diff.length === 0;
        return applyPatch(before, diff) === after;
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a minimal edit script', () => {
    // Removing one line from the middle of many identical-looking lines costs exactly one line.
    const before = Array.from({ length: 50 }, (_, i) => `l${i % 3}`).join('\n') + '\n';
    const lines = before.split('\n');
    lines.splice(25, 1);
    const diff = unifiedDiff(before, lines.join('\n'), 'a', 'b');
    expect(diff.filter((l) => /^[-+](?![-+]{2} )/.test(l))).toHaveLength(1);
  });

  it('stays correct, if not minimal, for very different large inputs', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `old ${i}`).join('\n') + '\n';
    const after = Array.from({ length: 3000 }, (_, i) => `new ${i}`).join('\n') + '\n';
    const diff = unifiedDiff(before, after, 'a', 'b');
    expect(applyPatch(before, diff)).toBe(after);
  });
});
