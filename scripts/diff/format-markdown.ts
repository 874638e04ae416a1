// Markdown of a DiffReport for a PR comment or body: deleted and new Applications called out first, a summary
// table (cluster × stack), then one collapsible section per Application. The whole text stays within
// `maxChars` (GitHub refuses comments and PR bodies over 65,536 characters): details are cut at a block or
// line boundary and a note says so; the table is only ever cut between rows.
import { shortSha } from './git.ts';
import type { AppDiff, DiffReport } from './report.ts';
import { describeRevision, statsLine } from './format-text.ts';

/** GitHub's limit for an issue comment and a pull request body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Upper bound of the returned text's length; default GITHUB_BODY_LIMIT. */
  readonly maxChars?: number;
  /** Heading level prefix, e.g. `###`. */
  readonly headingLevel?: string;
  /** Command that shows the full diff, named in the truncation note. */
  readonly rerunCommand?: string;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A fence longer than any backtick run inside `body`, so a diff can never close its own code block. */
const fenceFor = (body: string): string => {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
};

const statusCell = (a: AppDiff): string => {
  if (a.errors.some((e) => e.startsWith('head'))) return '⚠️ build failed';
  if (a.status === 'removed') return a.isLastEnvironment ? '🔴 **deleted**' : '🔴 deleted';
  if (a.status === 'added') return '🟢 new';
  return 'changed';
};

const summaryOf = (a: AppDiff): string => {
  const parts = [
    a.counts.added > 0 ? `${a.counts.added} added` : '',
    a.counts.changed > 0 ? `${a.counts.changed} changed` : '',
    a.counts.removed > 0 ? `${a.counts.removed} removed` : '',
    a.appChanges.length > 0 ? 'Application changed' : '',
    a.errors.length > 0 ? 'build failed' : '',
  ].filter((p) => p.length > 0);
  return parts.length > 0 ? parts.join(', ') : 'no objects';
};

const calloutLines = (apps: readonly AppDiff[], status: 'removed' | 'added', limit = 50): string[] => {
  const list = apps.filter((a) => a.status === status);
  if (list.length === 0) return [];
  const head =
    status === 'removed'
      ? ['> [!CAUTION]', `> **${plural(list.length, 'Application')} deleted**: no longer generated. Argo CD stops managing them but does not delete them (\`applicationsSync: create-update\`).`]
      : ['> [!NOTE]', `> **${plural(list.length, 'new Application')}**:`];
  const items = list.slice(0, limit).map((a) => {
    const env = a.isLastEnvironment ? `**${a.environment}**` : a.environment;
    return `> - ${status === 'removed' ? '🔴' : '🟢'} ${code(a.name)} (${env}, ${code(`${a.cluster}/${a.stack}`)})`;
  });
  const more = list.length > limit ? [`> - … and ${list.length - limit} more`] : [];
  return [...head, ...items, ...more, ''];
};

const TABLE_HEAD = ['| cluster | stack | env | Application | added | changed | removed |', '| --- | --- | --- | --- | ---: | ---: | ---: |'];

const tableRow = (a: AppDiff): string =>
  `| ${code(a.cluster)} | ${cell(a.stack)} | ${cell(a.environment)} | ${statusCell(a)} | ${a.counts.added} | ${a.counts.changed} | ${a.counts.removed} |`;

/** The blocks of one Application's details; the first is the opening, the last the closing. */
const detailBlocks = (a: AppDiff): { open: string; blocks: string[]; close: string } => {
  const open = `<details><summary><code>${a.cluster}/${a.stack}</code> (${a.environment}): ${summaryOf(a)}</summary>\n`;
  const blocks: string[] = [];
  const notes = [...a.appChanges.map((c) => `- Application ${code(c)}`), ...a.errors.map((e) => `- ⚠️ ${cell(e)}`)];
  if (notes.length > 0) blocks.push(`${notes.join('\n')}\n`);
  for (const o of a.objects.filter((x) => x.change === 'changed')) {
    const body = o.diff.join('\n');
    const fence = fenceFor(body);
    blocks.push(`**changed** ${code(o.label)}\n\n${fence}diff\n${body}\n${fence}\n`);
  }
  for (const kind of ['added', 'removed'] as const) {
    const list = a.objects.filter((x) => x.change === kind);
    if (list.length > 0) blocks.push(`**${kind}**: ${list.map((o) => code(o.label)).join(', ')}\n`);
  }
  return { open, blocks, close: '</details>\n' };
};

/** Cut a fenced diff block to at most `room` characters at a line boundary, keeping the fence closed. */
const cutDiffBlock = (block: string, room: number): string | undefined => {
  const lines = block.split('\n');
  const fenceLine = lines.findIndex((l) => /^`{3,}diff$/.test(l));
  if (fenceLine < 0) return undefined;
  const fence = (lines[fenceLine] ?? '```diff').slice(0, -'diff'.length);
  const closing = lines.lastIndexOf(fence);
  const body = lines.slice(fenceLine + 1, closing);
  const headLines = lines.slice(0, fenceLine + 1);
  for (let keep = body.length - 1; keep >= 3; keep--) {
    const text = [...headLines, ...body.slice(0, keep), `… ${body.length - keep} more lines`, fence, ''].join('\n');
    if (text.length <= room) return text;
  }
  return undefined;
};

/** Render `report` as Markdown of at most `maxChars` characters. */
export const formatMarkdown = (report: DiffReport, options: MarkdownOptions = {}): string => {
  const max = options.maxChars ?? GITHUB_BODY_LIMIT;
  const h = options.headingLevel ?? '###';
  const rerun = options.rerunCommand ?? `pnpm diff --base ${shortSha(report.base.sha)} --head ${shortSha(report.head.sha)}`;
  const top = [
    `${h} Rendered diff ${describeRevision(report.base, code)} → ${describeRevision(report.head, code)}`,
    '',
    `_${statsLine(report).replace(/; .*$/, '')}; rendered with real Kustomize._`,
    '',
    ...(report.notes ?? []).flatMap((n) => ['> [!WARNING]', `> ${n}`, '']),
    '',
  ].join('\n');
  if (report.apps.length === 0) return `${top}No rendered differences.\n`;

  // Each alert ends with a blank line: a table right after a blockquote would be swallowed by it.
  const callouts = [...calloutLines(report.apps, 'removed'), ...calloutLines(report.apps, 'added')].map((l) => `${l}\n`).join('');
  const noteFor = (hidden: number): string =>
    `\n> [!NOTE]\n> Truncated to stay under GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit: ` +
    `details of ${plural(hidden, 'Application')} cut or not shown. Run ${code(rerun)} for the full diff.\n`;
  const reserve = noteFor(report.apps.length).length + 16;

  // The table: whole rows only; a short line after it says how many rows did not fit.
  let out = `${top}${callouts}`;
  const rows = report.apps.map(tableRow);
  let table = `${TABLE_HEAD.join('\n')}\n`;
  let shownRows = 0;
  for (const row of rows) {
    const rowsLeftNote = `\n_… ${rows.length - shownRows - 1} more rows not shown._\n`;
    if (out.length + table.length + row.length + 1 + rowsLeftNote.length + reserve > max) break;
    table += `${row}\n`;
    shownRows++;
  }
  out += table;
  if (shownRows < rows.length) out += `\n_… ${rows.length - shownRows} more rows not shown._\n`;
  out += '\n';

  let hidden = shownRows < rows.length ? report.apps.length : 0;
  if (hidden === 0) {
    for (const [i, app] of report.apps.entries()) {
      const { open, blocks, close } = detailBlocks(app);
      if (blocks.length === 0) continue; // e.g. a deleted chart Application: the table row says it all
      const whole = `${open}\n${blocks.join('\n')}\n${close}\n`;
      if (out.length + whole.length + reserve <= max) {
        out += whole;
        continue;
      }
      // Partial section: as many whole blocks as fit, then a cut diff block, closed properly.
      const cutNote = '_… truncated_\n\n';
      let partial = `${open}\n`;
      const budget = max - reserve - out.length - close.length - cutNote.length - 2;
      for (const block of blocks) {
        if (partial.length + block.length + 1 <= budget) {
          partial += `${block}\n`;
          continue;
        }
        const cut = cutDiffBlock(block, budget - partial.length - 1);
        if (cut !== undefined) partial += `${cut}\n`;
        break;
      }
      if (partial.length > open.length + 1 && partial.length <= budget) out += `${partial}${cutNote}${close}\n`;
      hidden = report.apps.length - i; // this one (cut or left out) and every later one
      break;
    }
  }
  if (hidden > 0) out += noteFor(hidden);
  return out;
};
