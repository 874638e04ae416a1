// Text and JSON forms of an ExpandResult for `pnpm apps`.
import { describeSource } from './summarize.ts';
import type { ApplicationRecord, ExpandResult, Finding, SyncSummary } from './types.ts';

export const TABLE_HEADER = ['NAME', 'PROJECT', 'DESTINATION', 'NAMESPACE', 'SOURCE', 'WAVE', 'SYNC'] as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const describeSync = (s: SyncSummary): string => {
  if (s.mode === 'rolling') return `rolling step ${s.step ?? '?'}/${s.steps ?? '?'}${s.prune ? ' (prune)' : ''}`;
  if (s.mode === 'manual') return s.steps !== undefined ? 'manual (no RollingSync step)' : 'manual';
  const flags = [s.prune ? 'prune' : '', s.selfHeal ? 'selfHeal' : ''].filter((f) => f.length > 0);
  return flags.length > 0 ? `auto (${flags.join(', ')})` : 'auto';
};

const describeWave = (app: ApplicationRecord): string =>
  // A generated Application's own wave does not order it under the root; shown only when someone set one.
  app.applicationSet !== undefined && app.ownWave !== 0 ? `${app.wave} (app ${app.ownWave})` : String(app.wave);

export const tableRow = (app: ApplicationRecord): string[] => [
  app.name,
  app.project || '-',
  app.destination.name ?? app.destination.server ?? '-',
  app.destination.namespace ?? '-',
  app.sources.length > 0 ? app.sources.map(describeSource).join(', ') : '-',
  describeWave(app),
  describeSync(app.sync),
];

const table = (rows: readonly (readonly string[])[]): string[] => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
};

export const formatFinding = (f: Finding): string => `[${f.code}] ${f.object}${f.field !== undefined ? ` ${f.field}` : ''}: ${f.message}`;

export const formatText = (result: ExpandResult): string => {
  const lines = table([TABLE_HEADER, ...result.applications.map(tableRow)]);
  const generated = result.applications.filter((a) => a.applicationSet !== undefined).length;
  const direct = result.applications.length - generated;
  lines.push(
    '',
    `${plural(result.applications.length, 'Application')}: ${generated} from ${plural(result.applicationSets.length, 'ApplicationSet')}, ${direct} applied by the root` +
      (result.root !== undefined ? ` (${result.root.name}: ${result.root.repoURL} ${result.root.path}@${result.root.targetRevision ?? 'HEAD'})` : ''),
  );
  const partial = result.applicationSets.filter((s) => !s.evaluated).map((s) => s.name);
  if (partial.length > 0) lines.push(`not fully evaluated offline: ${partial.join(', ')}`);
  if (result.builds !== undefined) {
    const count = (status: string): number => result.builds?.filter((b) => b.status === status).length ?? 0;
    lines.push(`kustomize build: ${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} skipped`);
    for (const b of result.builds.filter((x) => x.status === 'skipped')) lines.push(`  skipped ${b.path}: ${b.detail ?? ''}`);
  }
  if (result.findings.length > 0) {
    lines.push('', `${plural(result.findings.length, 'finding')}:`);
    for (const f of result.findings) lines.push(`  ${formatFinding(f)}`);
  }
  lines.push(`apps: ${result.findings.length === 0 ? 'ok' : `FAILED with ${plural(result.findings.length, 'finding')}`}`);
  return `${lines.join('\n')}\n`;
};

export const formatJson = (result: ExpandResult): string =>
  `${JSON.stringify({ ...result, summary: { applications: result.applications.length, findings: result.findings.length, ok: result.findings.length === 0 } }, null, 2)}\n`;
