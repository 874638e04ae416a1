// How validate reports: text grouped by cluster/stack with counts, JSON, and GitHub annotations.
import type { CheckedApplication } from './check-applications.ts';
import type { Finding } from './types.ts';

export interface Summary {
  readonly applications: number;
  readonly objects: number;
  /** Findings not exempted by the inventory. */
  readonly findings: number;
  readonly blocking: number;
  readonly warnings: number;
  readonly exempted: number;
  readonly buildFailures: number;
  readonly built: number;
  readonly cached: number;
  /** Sum of the Kustomize build times (cached paths count 0). */
  readonly buildMs: number;
  readonly wallMs: number;
  readonly ok: boolean;
}

export const summarize = (apps: readonly CheckedApplication[], wallMs: number): Summary => {
  const all = apps.flatMap((a) => a.findings);
  const findings = all.filter((f) => f.exempted === undefined);
  const renders = new Map(apps.map((a) => [a.render.path, a.render]));
  const blocking = findings.filter((f) => f.blocking).length;
  const buildFailures = [...renders.values()].filter((r) => !r.ok).length;
  return {
    applications: apps.length,
    objects: apps.reduce((n, a) => n + a.objects, 0),
    findings: findings.length,
    blocking,
    warnings: findings.filter((f) => !f.blocking && f.exempted === undefined).length,
    exempted: all.length - findings.length,
    buildFailures,
    built: [...renders.values()].filter((r) => !r.cached).length,
    cached: [...renders.values()].filter((r) => r.cached).length,
    buildMs: [...renders.values()].reduce((n, r) => n + r.durationMs, 0),
    wallMs,
    ok: blocking === 0,
  };
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The label an Application is grouped under: `prod-eu-west-1/streaming`, or `hub/argocd` for the root. */
export const groupLabel = (a: CheckedApplication): string =>
  a.target.cluster !== undefined && a.target.stack !== undefined ? `${a.target.cluster.name}/${a.target.stack}` : `hub/${a.target.path}`;

const level = (f: Finding): string => (f.exempted !== undefined ? 'EXEMPT' : f.blocking ? f.severity : 'WARN');

export const formatFinding = (f: Finding): string => {
  const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}`;
  const what = [f.object, f.field].filter((x) => x !== undefined).join(' ');
  const exempt = f.exempted !== undefined ? ` [exempted: ${f.exempted}]` : '';
  return `${level(f).padEnd(6)} ${f.rule}  ${where}${what !== '' ? `  ${what}` : ''}: ${f.message}${exempt}`;
};

export const renderText = (apps: readonly CheckedApplication[], summary: Summary): string => {
  const lines: string[] = [];
  for (const a of apps) {
    const label = groupLabel(a);
    const open = a.findings.filter((f) => f.exempted === undefined);
    const blocking = open.filter((f) => f.blocking).length;
    const exempted = a.findings.length - open.length;
    const notes = `${plural(a.objects, 'object')}${exempted > 0 ? `, ${exempted} exempted` : ''}${a.render.cached ? ', cached' : ''}`;
    if (open.length === 0) {
      lines.push(`${label}: ok, ${notes}`);
      continue;
    }
    lines.push(`${label}: ${plural(open.length, 'finding')} (${blocking} blocking), ${notes}  [${a.target.name}: ${a.target.path}]`);
    for (const f of open) lines.push(`  ${formatFinding(f)}`);
  }
  const all = apps.flatMap((a) => a.findings);
  const countBy = (list: readonly Finding[]): string => {
    const byRule = new Map<string, number>();
    for (const f of list) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    return [...byRule].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `${r} ${n}`).join(', ');
  };
  const open = all.filter((f) => f.exempted === undefined);
  if (open.length > 0) lines.push(`by rule: ${countBy(open)}`);
  // Exempted findings once per exemption reason, not once per object: the reason is the same every time.
  const reasons = new Map<string, Finding[]>();
  for (const f of all) if (f.exempted !== undefined) reasons.set(f.exempted, [...(reasons.get(f.exempted) ?? []), f]);
  for (const [reason, list] of reasons) lines.push(`exempted by the inventory: ${countBy(list)}: ${reason}`);
  lines.push(
    `validate: ${summary.ok ? 'ok' : 'FAILED'}: ${plural(summary.applications, 'Application')}, ${plural(summary.objects, 'object')}, ` +
      `${plural(summary.findings, 'finding')} (${summary.blocking} blocking, ${summary.warnings} warning), ${summary.exempted} exempted, ` +
      `${plural(summary.buildFailures, 'build failure')}; ${summary.built} built, ${summary.cached} cached, ${(summary.wallMs / 1000).toFixed(2)} s`,
  );
  return `${lines.join('\n')}\n`;
};

/** GitHub Actions workflow commands: one annotation per finding, on its file and line. */
export const renderGithubAnnotations = (findings: readonly Finding[]): string => {
  const escape = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => escape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return findings
    .map((f) => {
      const command = f.blocking ? 'error' : f.exempted !== undefined ? 'notice' : 'warning';
      const line = f.line !== undefined ? `,line=${f.line}` : '';
      const subject = [f.application, f.object, f.field].filter((x) => x !== undefined).join(' ');
      return `::${command} file=${prop(f.file)}${line},title=${prop(f.rule)}::${escape(`${subject}: ${f.message}`)}\n`;
    })
    .join('');
};
