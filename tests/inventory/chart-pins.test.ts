// Every chart pin needs a committed chart catalog at exactly its version: the error is at the pin's line.
import { describe, expect, it } from 'vitest';

import { FLEET, defaultSources, edit, inventoryError, lineOf, replaceOnce, textOf } from './helpers.ts';

describe('chart pins without a chart catalog', () => {
  it.each([
    { name: 'Argo CD', from: 'version: "10.1.1"', to: 'version: "10.2.0"', field: 'argocd.chart.version', message: /no chart catalog for argo-cd 10\.2\.0 from https:\/\/argoproj\.github\.io\/argo-helm \(catalogued: 10\.1\.1\)/ },
    { name: 'an add-on', from: 'version: "2.20.2"', to: 'version: "2.21.0"', field: 'addons.keda.version', message: /no chart catalog for keda 2\.21\.0 .*pnpm charts:catalog/ },
    { name: 'an add-on from another repository', from: 'repoURL: https://kedacore.github.io/charts', to: 'repoURL: https://charts.example.com/keda', field: 'addons.keda.version', message: /no chart catalog for keda 2\.20\.2 from https:\/\/charts\.example\.com\/keda: / },
  ])('$name', async ({ from, to, field, message }) => {
    const sources = edit(FLEET, replaceOnce(from, to))(await defaultSources());
    const error = inventoryError(sources);
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    const issue = error.issues[0]!;
    expect(issue.message).toMatch(message);
    const pinLine = lineOf(textOf(sources, FLEET), to.startsWith('repoURL') ? 'version: "2.20.2"' : to);
    expect(issue.line).toBe(pinLine);
  });
});
