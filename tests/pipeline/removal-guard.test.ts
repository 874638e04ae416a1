// The incremental removal guard must decide exactly as the full comparison does, while parsing only changed files.
import { describe, expect, it } from 'vitest';
import { applicationsOf, checkRemovals, checkRemovalsBetween, formatMoved } from '../../scripts/pipeline/removal-guard.ts';

const appSet = (name: string, clusters: readonly string[]): string =>
  [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    `metadata: {name: ${name}}`,
    'spec:',
    '  generators:',
    `    - list: {elements: [${clusters.map((c) => `{cluster: ${c}}`).join(', ')}]}`,
    '  template:',
    "    metadata: {name: '{{.cluster}}-x'}",
    '    spec: {project: p, destination: {name: "{{.cluster}}", namespace: x}, source: {path: "clusters/{{.cluster}}/x"}}',
    '',
  ].join('\n');

const file = (path: string, name: string, clusters: readonly string[]): { path: string; content: string } => ({ path, content: appSet(name, clusters) });

const cases = [
  { name: 'nothing changed', before: [file('apps/a.yaml', 'a', ['c1', 'c2'])], after: [file('apps/a.yaml', 'a', ['c1', 'c2'])], removed: [] },
  { name: 'a cluster dropped', before: [file('apps/a.yaml', 'a', ['c1', 'c2'])], after: [file('apps/a.yaml', 'a', ['c1'])], removed: ['c2-x'] },
  { name: 'a file deleted', before: [file('apps/a.yaml', 'a', ['c1']), file('apps/b.yaml', 'b', ['c2'])], after: [file('apps/a.yaml', 'a', ['c1'])], removed: ['c2-x'] },
  {
    name: 'an Application moved into an unchanged file',
    before: [file('apps/a.yaml', 'a', ['c1', 'c2']), file('apps/b.yaml', 'b', ['c2'])],
    after: [file('apps/a.yaml', 'a', ['c1']), file('apps/b.yaml', 'b', ['c2'])],
    removed: [],
  },
  { name: 'a cluster added', before: [file('apps/a.yaml', 'a', ['c1'])], after: [file('apps/a.yaml', 'a', ['c1', 'c3'])], removed: [] },
  { name: 'first generation', before: [], after: [file('apps/a.yaml', 'a', ['c1'])], removed: [] },
];

describe('checkRemovalsBetween', () => {
  it.each(cases)('$name', ({ before, after, removed }) => {
    const incremental = checkRemovalsBetween(before, after, []);
    expect(incremental.removed.map((a) => a.name)).toEqual(removed);
    expect(incremental.refused.map((a) => a.name)).toEqual(removed);
    // Same answer as parsing everything.
    expect({ ...incremental, moved: undefined }).toEqual(checkRemovals(applicationsOf(before), new Set(applicationsOf(after).keys()), []));
  });

  it('lists Applications another ApplicationSet now generates (progressive sync switched on) as moved, not removed', () => {
    const before = [file('apps/x-dev.yaml', 'x-dev', ['d1']), file('apps/x-prod.yaml', 'x-prod', ['p1'])];
    const after = [file('apps/x.yaml', 'x', ['d1', 'p1'])];
    const check = checkRemovalsBetween(before, after, []);
    expect(check.removed).toEqual([]);
    expect(check.moved).toEqual([
      { name: 'd1-x', from: 'x-dev', to: 'x' },
      { name: 'p1-x', from: 'x-prod', to: 'x' },
    ]);
    expect(formatMoved(check)).toMatch(/^2 Argo CD Applications move to another ApplicationSet: x-dev → x, x-prod → x\.\n.*orphans/s);
  });

  it('reports --allow-removal names that remove nothing, even when nothing changed', () => {
    const same = [file('apps/a.yaml', 'a', ['c1'])];
    expect(checkRemovalsBetween(same, same, ['typo']).unknownAllowed).toEqual(['typo']);
  });
});
