// Convergence of one cluster's Applications, round by round, as gitops-engine syncs them.
import { describe, expect, it } from 'vitest';

import { converge } from '../../scripts/convergence/converge.ts';
import { servedBy } from '../../scripts/convergence/served.ts';
import type { SimApplication, SimObject } from '../../scripts/convergence/types.ts';

const obj = (group: string, kind: string, extra: Partial<SimObject> = {}): SimObject => ({
  group,
  kind,
  name: kind.toLowerCase(),
  namespace: 'ns',
  namespaced: true,
  phase: 'Sync',
  wave: 0,
  syncOptions: [],
  ...extra,
});
const crd = (group: string, kind: string, extra: Partial<SimObject> = {}): SimObject =>
  obj('apiextensions.k8s.io', 'CustomResourceDefinition', { name: `${kind}.${group}`, namespace: undefined, namespaced: false, defines: { group, kind }, ...extra });

const app = (name: string, objects: SimObject[], syncOptions: string[] = ['SkipDryRunOnMissingResource=true']): SimApplication => ({
  name,
  cluster: 'c1',
  project: 'p',
  destinationNamespace: 'ns',
  objects,
  source: 'kustomize',
  syncOptions,
  retryLimit: -1,
  automated: true,
});

const rounds = (apps: SimApplication[], appLevel = true): Record<string, number | undefined> =>
  Object.fromEntries(converge(apps, servedBy([]), { appLevelSkipDryRun: appLevel }).map((o) => [o.app.name, o.syncedIn]));

describe('converge', () => {
  it('syncs an Application of built-in kinds at once', () => {
    expect(rounds([app('a', [obj('apps', 'Deployment'), obj('', 'Service')])])).toEqual({ a: 0 });
  });

  it('an Application whose CRD another installs syncs one attempt later', () => {
    const operator = app('operator', [crd('monitoring.coreos.com', 'ServiceMonitor'), obj('apps', 'Deployment')]);
    const stack = app('stack', [obj('apps', 'Deployment'), obj('monitoring.coreos.com', 'ServiceMonitor')]);
    expect(rounds([stack, operator])).toEqual({ operator: 0, stack: 1 });
  });

  it('chains: a CRD whose provider itself waits', () => {
    const a = app('a', [crd('a.io', 'A')]);
    // B's CRD comes in a later wave than the object waiting for A, so it lands only when b syncs.
    const b = app('b', [obj('a.io', 'A'), crd('b.io', 'B', { wave: 1 })]);
    const c = app('c', [obj('b.io', 'B')]);
    expect(rounds([c, b, a])).toEqual({ a: 0, b: 1, c: 2 });
  });

  it('a CRD applied in an earlier wave of the same Application serves its objects in the same attempt', () => {
    expect(rounds([app('a', [obj('x.io', 'X', { wave: 1 }), crd('x.io', 'X')], [])])).toEqual({ a: 0 });
  });

  it('never converges when nothing provides the kind, and names it', () => {
    const [outcome] = converge([app('a', [obj('gateway.networking.k8s.io', 'HTTPRoute')])], servedBy([]), { appLevelSkipDryRun: true });
    expect(outcome?.syncedIn).toBeUndefined();
    expect(outcome?.missing).toEqual(['gateway.networking.k8s.io/HTTPRoute']);
  });

  it('a declared baseline group is served from the start', () => {
    expect(converge([app('a', [obj('gateway.networking.k8s.io', 'HTTPRoute')])], servedBy(['gateway.networking.k8s.io']), { appLevelSkipDryRun: true })[0]?.syncedIn).toBe(0);
  });

  it('without a skipped dry run, an attempt applies nothing while a kind is missing', () => {
    // The CRD is applied in wave 0 when dry run is skipped; when it is not, the provider's own CRD never lands.
    const self = app('self', [crd('x.io', 'X'), obj('y.io', 'Y')], []);
    const y = app('y', [crd('y.io', 'Y'), obj('x.io', 'X')], []);
    const outcomes = converge([self, y], servedBy([]), { appLevelSkipDryRun: true });
    expect(outcomes.map((o) => o.syncedIn)).toEqual([undefined, undefined]);
    expect(outcomes.every((o) => o.dryRunBlocked)).toBe(true);
    // With the app-level option honoured, both apply their CRDs in the first attempt and sync in the second.
    const skip = converge([{ ...self, syncOptions: ['SkipDryRunOnMissingResource=true'] }, { ...y, syncOptions: ['SkipDryRunOnMissingResource=true'] }], servedBy([]), { appLevelSkipDryRun: true });
    expect(skip.map((o) => o.syncedIn)).toEqual([1, 1]);
  });

  it('reports the app-level option as ignored where the version does not honour it (the annotation still works)', () => {
    const operator = app('operator', [crd('m.io', 'M')]);
    const stack = app('stack', [obj('m.io', 'M')]);
    const [, ignored] = converge([operator, stack], servedBy([]), { appLevelSkipDryRun: false });
    expect(ignored).toMatchObject({ syncedIn: 1, appLevelSkipIgnored: true, dryRunBlocked: true });
    const annotated = app('stack', [obj('m.io', 'M', { syncOptions: ['SkipDryRunOnMissingResource=true'] })], []);
    expect(converge([operator, annotated], servedBy([]), { appLevelSkipDryRun: false })[1]).toMatchObject({ syncedIn: 1, appLevelSkipIgnored: false, dryRunBlocked: false });
  });

  it('a wave holding a missing kind stops later waves; the same wave is still applied', () => {
    const a = app('a', [obj('m.io', 'M', { wave: 0 }), crd('n.io', 'N', { wave: 0 }), crd('late.io', 'L', { wave: 1 })]);
    const n = app('n', [obj('n.io', 'N')]);
    const l = app('l', [obj('late.io', 'L')]);
    const m = app('m', [crd('m.io', 'M')]);
    expect(rounds([a, n, l, m])).toEqual({ a: 1, n: 1, l: 2, m: 0 });
  });

  it('leaves out chart objects rendered only once an API is served, until it is', () => {
    const chart = app('chart', [obj('apps', 'Deployment'), obj('monitoring.coreos.com', 'ServiceMonitor', { whenApi: 'monitoring.coreos.com/v1' })]);
    expect(rounds([chart])).toEqual({ chart: 0 });
  });
});
