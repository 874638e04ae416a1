// Checks of the generated rules and dashboards, usable by gen, validate and tests: JSON parses, every
// expression parses with Prometheus' grammar, every metric is exposed by a component or a known exporter.
import { checkExpressions, type ExpressionToCheck } from './promql.ts';
import type { KnownExporter } from './known-exporters.ts';
import { KNOWN_EXPORTERS } from './known-exporters.ts';

interface RuleLike {
  readonly alert?: string;
  readonly expr?: unknown;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Problems of PrometheusRule rules: PromQL, metrics, severity/summary/runbook. */
export const validateRules = (
  rules: readonly RuleLike[],
  exposed: ReadonlySet<string>,
  exporters: readonly KnownExporter[] = KNOWN_EXPORTERS,
): string[] => {
  const problems: string[] = [];
  const exprs: ExpressionToCheck[] = [];
  for (const r of rules) {
    const where = `rule ${r.alert ?? '(no alert name)'}${r.labels?.component ? ` (${r.labels.component})` : ''}`;
    if (typeof r.expr !== 'string') {
      problems.push(`${where}: expr is not a string`);
      continue;
    }
    exprs.push({ where, expr: r.expr });
    if (r.labels?.severity !== 'critical' && r.labels?.severity !== 'warning') problems.push(`${where}: severity must be critical or warning`);
    for (const a of ['summary', 'description', 'runbook_url'] as const) {
      if (!r.annotations?.[a]) problems.push(`${where}: annotation ${a} missing`);
    }
  }
  return [...problems, ...checkExpressions(exprs, exposed, exporters)];
};

/** Problems of one dashboard JSON document (as provisioned from its ConfigMap). */
export const validateDashboardJson = (
  name: string,
  json: string,
  exposed: ReadonlySet<string>,
  exporters: readonly KnownExporter[] = KNOWN_EXPORTERS,
): string[] => {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    return [`dashboard ${name}: not valid JSON: ${(e as Error).message}`];
  }
  const d = doc as { uid?: unknown; title?: unknown; panels?: unknown };
  if (typeof d.uid !== 'string' || typeof d.title !== 'string' || !Array.isArray(d.panels)) {
    return [`dashboard ${name}: needs a string uid, a string title and a panels array`];
  }
  const exprs: ExpressionToCheck[] = [];
  const problems: string[] = [];
  for (const p of d.panels as Array<{ title?: string; targets?: Array<{ expr?: unknown }> }>) {
    const targets = p.targets ?? [];
    if (targets.length === 0) problems.push(`dashboard ${name} panel "${p.title}": no query`);
    for (const t of targets) {
      if (typeof t.expr !== 'string') problems.push(`dashboard ${name} panel "${p.title}": target without expr`);
      else exprs.push({ where: `dashboard ${name} panel "${p.title}"`, expr: t.expr });
    }
  }
  return [...problems, ...checkExpressions(exprs, exposed, exporters)];
};
