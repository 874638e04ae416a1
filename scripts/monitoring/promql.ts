// PromQL checks with Prometheus' own grammar (@prometheus-io/lezer-promql, what the Prometheus UI uses): an
// expression parses or not, and which metric names it selects. promtool is not available where this runs.
import { parser } from '@prometheus-io/lezer-promql';
import type { Component } from '../components/component.ts';
import { isKnownExporterMetric, KNOWN_EXPORTERS, type KnownExporter } from './known-exporters.ts';

export interface ParsedPromQL {
  /** Offsets of syntax errors (lezer error nodes `⚠`); empty = the expression parses. */
  readonly errorsAt: readonly number[];
  /** Metric names of every vector selector, sorted and unique. */
  readonly metrics: readonly string[];
}

/**
 * Parses are memoised by expression text (pure: same text, same result): a render checks the same few dozen
 * expressions once per cluster and again when validating.
 */
const parsed = new Map<string, ParsedPromQL>();

export const parsePromQL = (expr: string): ParsedPromQL => {
  const hit = parsed.get(expr);
  if (hit) return hit;
  const result = parseUncached(expr);
  // Bound the memo for long-lived processes (tests, watch modes); generated expressions are a few dozen.
  if (parsed.size >= 10_000) parsed.clear();
  parsed.set(expr, result);
  return result;
};

const parseUncached = (expr: string): ParsedPromQL => {
  const tree = parser.parse(expr);
  const errorsAt: number[] = [];
  const metrics = new Set<string>();
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errorsAt.push(node.from);
      // A metric name is the Identifier directly under a VectorSelector (not a label, function or keyword).
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.add(expr.slice(node.from, node.to));
    },
  });
  if (expr.trim() === '') errorsAt.push(0);
  return { errorsAt, metrics: [...metrics].sort() };
};

/** Histogram series carry these suffixes; components declare the histogram's base name. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** Every metric name some component of `components` declares in `metrics`. */
export const componentMetrics = (components: readonly Component[]): Set<string> => new Set(components.flatMap((c) => c.metrics ?? []));

/** Whether a queried series name is exposed by a component (directly or as histogram series) or a known exporter. */
export const isMetricProvided = (
  metric: string,
  exposed: ReadonlySet<string>,
  exporters: readonly KnownExporter[] = KNOWN_EXPORTERS,
): boolean =>
  exposed.has(metric) ||
  HISTOGRAM_SUFFIXES.some((s) => metric.endsWith(s) && exposed.has(metric.slice(0, -s.length))) ||
  isKnownExporterMetric(metric, exporters);

export interface ExpressionToCheck {
  /** Where the expression lives, for the message: `rule ServiceDown`, `dashboard streaming panel "Viewers"`. */
  readonly where: string;
  readonly expr: string;
}

/**
 * Every problem of a set of expressions: syntax errors and metrics nobody exposes. Returns messages naming the
 * expression; empty = all good.
 */
export const checkExpressions = (
  exprs: readonly ExpressionToCheck[],
  exposed: ReadonlySet<string>,
  exporters: readonly KnownExporter[] = KNOWN_EXPORTERS,
): string[] => {
  const problems: string[] = [];
  for (const e of exprs) {
    const parsed = parsePromQL(e.expr);
    if (parsed.errorsAt.length > 0) {
      problems.push(`${e.where}: PromQL does not parse at offset ${parsed.errorsAt[0]}: ${e.expr}`);
      continue;
    }
    for (const m of parsed.metrics) {
      if (!isMetricProvided(m, exposed, exporters)) {
        problems.push(`${e.where}: metric ${m} is exposed by no component's \`metrics\` and no known exporter`);
      }
    }
  }
  return problems;
};
