// Terminal output of a DiffReport: one block per Application, unified diffs coloured like `git diff`.
import { shortSha } from './git.ts';
import type { AppDiff, DiffReport, RevisionRef } from './report.ts';

export interface TextOptions {
  readonly color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Style = keyof typeof CODES;

const painter =
  (on: boolean) =>
  (style: Style, text: string): string =>
    on ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `HEAD~1 (1a2b3c4)`; a revision without a commit (uncommitted promotion) is named by its label only. */
export const describeRevision = (ref: RevisionRef, quote: (s: string) => string = (s) => s): string =>
  ref.sha === '' ? quote(ref.label) : `${quote(ref.label)} (${shortSha(ref.sha)})`;

export const describeRevisions = (r: DiffReport): string => `${describeRevision(r.base)} → ${describeRevision(r.head)}`;

export const statsLine = (r: DiffReport): string => {
  const s = r.stats;
  return (
    `${plural(r.apps.length, 'Application')} with differences, ${r.unchanged} unchanged; ` +
    `${s.skipped} skipped (identical inputs), ${s.built} built, ${s.cacheHits} from cache, ${(s.durationMs / 1000).toFixed(1)} s`
  );
};

const appLines = (a: AppDiff, paint: ReturnType<typeof painter>): string[] => {
  const where = `${a.cluster}/${a.stack} [${a.environment}]`;
  const lines: string[] = [];
  if (a.status === 'removed') {
    lines.push(paint('red', `${paint('bold', 'DELETED Application')} ${a.name} ${where}: no longer generated`));
  } else if (a.status === 'added') {
    lines.push(paint('green', `${paint('bold', 'NEW Application')} ${a.name} ${where}`));
  } else {
    lines.push(
      `${paint('bold', where)} ${a.name}: ${a.counts.added} added, ${a.counts.changed} changed, ${a.counts.removed} removed`,
    );
  }
  for (const c of a.appChanges) lines.push(`  ${paint('yellow', `Application ${c}`)}`);
  for (const e of a.errors) lines.push(`  ${paint('red', `! ${e.split('\n').join('\n    ')}`)}`);
  for (const o of a.objects) {
    if (o.change === 'added') lines.push(`  ${paint('green', `+ ${o.label}`)}`);
    else if (o.change === 'removed') lines.push(`  ${paint('red', `- ${o.label}`)}`);
    else {
      lines.push(`  ${paint('yellow', `~ ${o.label}`)}`);
      for (const d of o.diff) {
        const style: Style | undefined = d.startsWith('@@') ? 'cyan' : d.startsWith('+') ? 'green' : d.startsWith('-') ? 'red' : undefined;
        lines.push(`      ${style === undefined ? d : paint(style, d)}`);
      }
    }
  }
  return lines;
};

export const formatText = (r: DiffReport, options: TextOptions): string => {
  const paint = painter(options.color);
  const lines = [paint('bold', `diff ${describeRevisions(r)}`), ...(r.notes ?? []).map((n) => paint('yellow', `note: ${n}`))];
  if (r.apps.length === 0) lines.push('no rendered differences');
  for (const a of r.apps) lines.push('', ...appLines(a, paint));
  lines.push('', statsLine(r));
  return `${lines.join('\n')}\n`;
};
