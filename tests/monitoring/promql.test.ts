// PromQL checks with Prometheus' grammar: they must accept the expressions we ship and reject broken ones.
import { describe, expect, it } from 'vitest';
import { ALERTS } from '../../scripts/monitoring/rules.ts';
import { checkExpressions, isMetricProvided, parsePromQL } from '../../scripts/monitoring/promql.ts';
import { validateDashboardJson, validateRules } from '../../scripts/monitoring/validate.ts';

describe('parsePromQL', () => {
  it.each([
    { name: 'selector', expr: 'up{job="a"} == 0', metrics: ['up'] },
    { name: 'ratio', expr: 'sum(rate(a_total{code=~"5.."}[5m])) / sum(rate(a_total[5m])) > 0.05', metrics: ['a_total'] },
    { name: 'histogram', expr: 'histogram_quantile(0.99, sum by (le) (rate(d_seconds_bucket[5m])))', metrics: ['d_seconds_bucket'] },
    { name: 'two metrics', expr: 'x_bytes / y_bytes < 0.1', metrics: ['x_bytes', 'y_bytes'] },
    { name: 'function, no metric', expr: 'vector(0)', metrics: [] },
  ])('parses $name', ({ expr, metrics }) => {
    const parsed = parsePromQL(expr);
    expect(parsed.errorsAt).toEqual([]);
    expect(parsed.metrics).toEqual(metrics);
  });

  it.each([
    { name: 'unclosed range', expr: 'rate(foo[5m)' },
    { name: 'unclosed call', expr: 'sum(rate(foo[5m])' },
    { name: 'unclosed matcher', expr: 'up{job="a" == 0' },
    { name: 'two selectors', expr: 'foo bar' },
    { name: 'dangling operator', expr: 'foo >' },
    { name: 'empty', expr: '' },
  ])('rejects $name', ({ expr }) => {
    expect(parsePromQL(expr).errorsAt.length).toBeGreaterThan(0);
    expect(checkExpressions([{ where: 'rule X', expr }], new Set(['foo']))).toEqual([expect.stringContaining('rule X: PromQL does not parse')]);
  });
});

describe('metric provenance', () => {
  const exposed = new Set(['http_request_duration_seconds', 'http_requests_total']);
  it.each([
    { metric: 'http_requests_total', ok: true },
    { metric: 'http_request_duration_seconds_bucket', ok: true },
    { metric: 'http_request_duration_seconds_count', ok: true },
    { metric: 'kube_pod_info', ok: true },
    { metric: 'DCGM_FI_DEV_GPU_TEMP', ok: true },
    { metric: 'up', ok: true },
    { metric: 'http_requests', ok: false },
    { metric: 'made_up_metric_total', ok: false },
  ])('$metric provided: $ok', ({ metric, ok }) => {
    expect(isMetricProvided(metric, exposed)).toBe(ok);
  });

  it('names the expression and the unknown metric', () => {
    expect(checkExpressions([{ where: 'dashboard d panel "p"', expr: 'rate(nope_total[5m])' }], exposed)).toEqual([
      'dashboard d panel "p": metric nope_total is exposed by no component\'s `metrics` and no known exporter',
    ]);
  });
});

describe('alert definitions', () => {
  it.each(ALERTS.map((a) => ({ name: a.alert, a })))('$name: documented expression parses, annotations set', ({ a }) => {
    expect(parsePromQL(a.expr).errorsAt).toEqual([]);
    expect(a.summary.length).toBeGreaterThan(0);
    expect(a.firstSteps.length).toBeGreaterThan(0);
  });

  it('alert names are unique (they are runbook anchors)', () => {
    expect(new Set(ALERTS.map((a) => a.alert)).size).toBe(ALERTS.length);
  });
});

describe('validateRules', () => {
  const ok = { alert: 'A', expr: 'up == 0', labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd', runbook_url: 'u' } };
  it.each([
    { name: 'broken PromQL', rule: { ...ok, expr: 'sum(up' }, message: 'does not parse' },
    { name: 'unknown metric', rule: { ...ok, expr: 'nope == 0' }, message: 'metric nope' },
    { name: 'bad severity', rule: { ...ok, labels: { severity: 'info' } }, message: 'severity must be' },
    { name: 'no runbook', rule: { ...ok, annotations: { summary: 's', description: 'd' } }, message: 'runbook_url missing' },
  ])('flags $name', ({ rule, message }) => {
    expect(validateRules([rule], new Set())).toEqual([expect.stringContaining(message)]);
  });
  it('accepts a complete rule', () => {
    expect(validateRules([ok], new Set())).toEqual([]);
  });
});

describe('validateDashboardJson', () => {
  const dash = (expr: string): string => JSON.stringify({ uid: 'd', title: 'D', panels: [{ title: 'p', targets: [{ refId: 'A', expr }] }] });
  it.each([
    { name: 'invalid JSON', json: '{"uid": ', message: 'not valid JSON' },
    { name: 'no panels', json: '{"uid":"d","title":"D"}', message: 'panels array' },
    { name: 'broken query', json: dash('rate(up[5m)'), message: 'does not parse' },
    { name: 'unknown metric', json: dash('nope_total'), message: 'metric nope_total' },
  ])('flags $name', ({ json, message }) => {
    expect(validateDashboardJson('d', json, new Set())).toEqual([expect.stringContaining(message)]);
  });
});
