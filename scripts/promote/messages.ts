// Every text the promotion writes for people: the plan table on the terminal, the commit message, and the
// pull request's title, body and labels. Pure.
import { formatMarkdown } from '../diff/format-markdown.ts';
import { describeRevisions } from '../diff/format-text.ts';
import { shortSha } from '../diff/git.ts';
import { clusterChanges, clusterLine, type DiffReport } from '../diff/report.ts';
import type { Drift } from './drift.ts';
import type { PromotionPlan } from './plan.ts';

export interface PromotionContext {
  readonly plan: PromotionPlan;
  readonly drift: Drift;
  readonly scope: string;
  readonly branch: string;
  readonly baseBranch: string;
  /** Where the plan was made from, e.g. `origin/main`. */
  readonly baseLabel: string;
  readonly baseSha: string;
  readonly skipped: readonly string[];
  readonly skipReason: string | undefined;
  /** GitHub login that approved the overrides (skipped environments, skipped source check). */
  readonly approver: string | undefined;
  /** The source gate's outcome on `baseSha`. */
  readonly sourceCheck: SourceCheckRecord;
  /** The command line that made this promotion, for reruns. */
  readonly command: string;
}

/** What the source gate decided: green, overridden (with why), or not asked (a dry run has no API). */
export type SourceCheckRecord =
  | { readonly kind: 'green'; readonly summary: string }
  | { readonly kind: 'overridden'; readonly reason: string; readonly problems: readonly string[] }
  | { readonly kind: 'not-run' };

const NONE = '—';

/** A plain-text table with aligned columns (terminal and commit message). */
export const textTable = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
};

const versionRows = (plan: PromotionPlan): string[][] =>
  plan.rows.map((r) => [
    r.selected ? r.app : `${r.app} (shared image)`,
    r.image,
    r.before ?? NONE,
    r.after,
    r.clusters.length > 0 ? r.clusters.join(', ') : `(runs on no ${plan.to} cluster)`,
  ]);

const versionHead = (plan: PromotionPlan): string[] => ['app', 'image', `${plan.to} before`, 'after', 'clusters affected'];

/** The plan as terminal lines: the version table first; drift and rendered changes follow in their own blocks. */
export const planText = (c: PromotionContext): string[] => [
  `promote ${c.plan.from} → ${c.plan.to} (${c.scope}), planned from ${c.baseLabel} at ${shortSha(c.baseSha)}`,
  ...(c.skipped.length > 0 ? [`skips ${c.skipped.join(', ')}: ${c.skipReason ?? ''} (approved by ${c.approver ?? '?'})`] : []),
  ...(c.sourceCheck.kind === 'green' ? [`source check: ${c.sourceCheck.summary}`] : []),
  ...(c.sourceCheck.kind === 'overridden'
    ? [`source check SKIPPED: ${c.sourceCheck.reason} (approved by ${c.approver ?? '?'}); it found: ${c.sourceCheck.problems.join('; ')}`]
    : []),
  ...(c.sourceCheck.kind === 'not-run' ? ['source check: not run (dry run: no GitHub API)'] : []),
  '',
  ...textTable(versionHead(c.plan), versionRows(c.plan)).map((l) => `  ${l}`),
  ...(c.plan.notes.length > 0 ? ['', 'notes:', ...c.plan.notes.map((n) => `  - ${n}`)] : []),
];

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const hasDrift = (d: Drift): boolean => d.settings.length + d.versions.length + d.untried.length > 0;

/**
 * Drift in one line (plus its warnings, which are few and matter): a long drift table used to bury the version
 * table. The table itself is `driftText`, shown with --verbose.
 */
export const driftSummary = (c: PromotionContext): string[] => {
  const { settings, versions, untried } = c.drift;
  if (!hasDrift(c.drift)) return [`drift between ${c.plan.from} and ${c.plan.to}: none`];
  const counted = [settings.length > 0 ? plural(settings.length, 'setting') : '', versions.length > 0 ? plural(versions.length, 'version pin') : '']
    .filter((s) => s.length > 0)
    .join(' and ');
  return [
    `drift between ${c.plan.from} and ${c.plan.to} (reported, not promoted): ${counted.length > 0 ? `${counted} differ` : 'no field differs'}` +
      `${settings.length + versions.length > 0 ? ' (--verbose lists them)' : ''}`,
    ...untried.map((u) => `  ! ${u}`),
  ];
};

/** The whole drift table (--verbose). */
export const driftText = (c: PromotionContext): string[] => {
  const { settings, versions, untried } = c.drift;
  if (!hasDrift(c.drift)) return [];
  const rows = [...versions, ...settings].map((d) => [d.field, d.from, d.to]);
  return [
    `drift between ${c.plan.from} and ${c.plan.to} (reported, not promoted):`,
    ...untried.map((u) => `  ! ${u}`),
    ...(rows.length > 0 ? textTable(['field', c.plan.from, c.plan.to], rows).map((l) => `  ${l}`) : []),
  ];
};

/** The rendered diff collapsed to one line per cluster (`staging-eu-west-1: 3 Applications changed (12 objects)`). */
export const renderedSummary = (diff: DiffReport): string[] => {
  const clusters = clusterChanges(diff);
  if (clusters.length === 0) return ['rendered changes: none'];
  return [`rendered changes (${describeRevisions(diff)}), per cluster (--verbose shows every object):`, ...clusters.map((cl) => `  ${clusterLine(cl)}`)];
};

export const commitMessage = (c: PromotionContext): string => {
  const n = c.plan.changes.length;
  const subject = `promote ${c.plan.from} -> ${c.plan.to} (${c.scope}): ${n} image pin${n === 1 ? '' : 's'}`;
  return [
    subject,
    '',
    ...textTable(versionHead(c.plan), versionRows(c.plan)),
    '',
    ...(c.skipped.length > 0 ? [`Skipped environments: ${c.skipped.join(', ')}`, `Skip-reason: ${c.skipReason ?? ''}`, `Skip-approved-by: ${c.approver ?? ''}`] : []),
    ...(c.sourceCheck.kind === 'green' ? [`Source-check: ${c.sourceCheck.summary}`] : []),
    ...(c.sourceCheck.kind === 'overridden'
      ? [`Source-check-skipped: ${c.sourceCheck.reason}`, `Source-check-approved-by: ${c.approver ?? ''}`]
      : []),
    `Promote-from: ${c.plan.from}`,
    `Promote-to: ${c.plan.to}`,
    `Planned-from: ${c.baseSha}`,
    '',
  ].join('\n');
};

export const prTitle = (c: PromotionContext): string => `Promote ${c.plan.from} → ${c.plan.to} (${c.scope})`;

/** Labels per environment and stack; GitHub creates missing labels when they are added to an issue. */
export const prLabels = (c: PromotionContext): string[] => ['promotion', `env:${c.plan.to}`, ...c.plan.stacks.map((s) => `stack:${s}`)];

const md = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Marker that identifies the body as this tool's (a human editing the PR can see it is regenerated). */
export const BODY_MARKER = '<!-- streamfleet-promote -->';

const bodyWithoutDiff = (c: PromotionContext, diffPlaceholder: string): string => {
  const p = c.plan;
  const lines: string[] = [
    BODY_MARKER,
    `## Promote ${p.from} → ${p.to} (${c.scope})`,
    '',
    `Planned from \`${c.baseBranch}\` at ${c.baseSha}. This body is rewritten on every run of \`${c.command}\`.`,
    '',
  ];
  if (c.skipped.length > 0) {
    lines.push('> [!WARNING]', `> Skips ${c.skipped.map(md).join(', ')}. Reason: ${c.skipReason ?? ''}. Approved by @${c.approver ?? ''}.`, '');
  }
  if (c.sourceCheck.kind === 'overridden') {
    lines.push(
      '> [!CAUTION]',
      `> The source check was skipped: ${c.baseSha} is not green (${c.sourceCheck.problems.join('; ')}). Reason: ${c.sourceCheck.reason}. Approved by @${c.approver ?? ''}.`,
      '',
    );
  } else if (c.sourceCheck.kind === 'green') {
    lines.push(`Source check: ${c.sourceCheck.summary}.`, '');
  }
  lines.push(
    '### Versions',
    '',
    `| app | image | ${p.to} before | after | clusters affected |`,
    '| --- | --- | --- | --- | --- |',
    ...p.rows.map(
      (r) =>
        `| ${md(r.app)}${r.selected ? '' : ' (shared image)'} | ${md(r.image)} | ${r.before === undefined ? NONE : md(r.before)} | ${md(r.after)} | ${r.clusters.length > 0 ? r.clusters.map(md).join(', ') : `runs on no ${p.to} cluster`} |`,
    ),
    '',
    '### Affected clusters',
    '',
    ...(p.clusters.length > 0 ? p.clusters.map((cl) => `- ${md(cl.name)}: ${cl.stacks.join(', ')}`) : ['None: the changed images run on no cluster of this environment.']),
    '',
  );
  if (p.notes.length > 0) lines.push('### Notes', '', ...p.notes.map((n) => `- ${n}`), '');
  const { settings, versions, untried } = c.drift;
  lines.push(`### Drift between ${p.from} and ${p.to} (not promoted)`, '');
  if (!hasDrift(c.drift)) lines.push('None.', '');
  else {
    lines.push(...untried.map((u) => `- ⚠️ ${u}`));
    const rows = [...versions, ...settings];
    if (rows.length > 0) {
      if (untried.length > 0) lines.push('');
      // Folded: the versions above are what a reviewer approves; drift is context.
      lines.push(
        `<details><summary>${plural(rows.length, 'field')} differ</summary>`,
        '',
        `| field | ${p.from} | ${p.to} |`,
        '| --- | --- | --- |',
        ...rows.map((d) => `| ${md(d.field)} | ${cell(d.from)} | ${cell(d.to)} |`),
        '',
        '</details>',
      );
    }
    lines.push('');
  }
  lines.push(diffPlaceholder);
  return `${lines.join('\n')}\n`;
};

const PLACEHOLDER = '\u0000DIFF\u0000';

/** The PR body; the rendered diff gets whatever room the rest leaves under `maxChars`. */
export const prBody = (c: PromotionContext, diff: DiffReport, maxChars: number): string => {
  const frame = bodyWithoutDiff(c, PLACEHOLDER);
  const room = maxChars - (frame.length - PLACEHOLDER.length);
  const rendered = formatMarkdown(diff, {
    maxChars: Math.max(room, 0),
    rerunCommand: `pnpm diff --base ${shortSha(diff.base.sha)} --head ${shortSha(diff.head.sha)}`,
  });
  return frame.replace(PLACEHOLDER, rendered.length <= room ? rendered : '_The rendered diff does not fit in the PR body._\n');
};
