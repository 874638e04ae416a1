// The root's guarantees, each shown failing on the shape that broke it and passing on the generated one.
import { describe, expect, it } from 'vitest';

import type { JsonObject } from '../../scripts/argocd/kube.ts';
import { appSetRetirement, controllerSettings, deletionCascades, heldWaves, leaderElection, waveOrder } from '../../scripts/convergence/root-checks.ts';

const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' };
const meta = (name: string, wave: number, extra: Record<string, unknown> = {}): JsonObject => ({
  name,
  namespace: 'argocd',
  annotations: { 'argocd.argoproj.io/sync-wave': String(wave), ...KEEP },
  ...extra,
});
const project = (name: string, wave: number): JsonObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: meta(name, wave), spec: {} });
const appSet = (name: string, wave: number, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name, namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': String(wave) }, finalizers: ['resources-finalizer.argocd.argoproj.io'], ...extra },
  spec: { template: { spec: { project: 'platform' } }, generators: [{ list: { elements: [{ cluster: 'c1', destinationName: 'c1' }] } }] },
});
const registration = (cluster: string, wave: number): JsonObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: meta(`cluster-${cluster}`, wave, { labels: { 'streamfleet.io/cluster': cluster } }),
});
const application = (name: string, wave: number, projectName: string): JsonObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: meta(name, wave),
  spec: { project: projectName },
});
const settings = controllerSettings({
  configs: { params: { 'applicationsetcontroller.policy': 'create-update', 'applicationsetcontroller.enable.policy.override': false, 'applicationsetcontroller.enable.leader.election': true } },
  applicationSet: { replicas: 2 },
});

describe('root waves (#5)', () => {
  it('passes when only kinds without health come before the last wave', () => {
    expect(heldWaves([project('platform', -2), application('argocd', -1, 'argocd'), appSet('addon-x', 0), registration('c1', 0)], settings)).toEqual([]);
  });
  it.each([
    ['a cluster registration', registration('c1', -30), 'ExternalSecret/argocd/cluster-c1', /cluster c1 alone/],
    ['an ApplicationSet', appSet('addon-x', -9), 'ApplicationSet/argocd/addon-x', /Degraded as soon as one of its Applications is invalid/],
  ])('fails on %s in an earlier wave', (_name, held, ref, message) => {
    const findings = heldWaves([project('platform', -20), held, appSet('stacks', 0)], settings);
    expect(findings.map((f) => [f.rule, f.object])).toEqual([['argocd/root-wave-held', ref]]);
    expect(findings[0]?.message).toMatch(message);
  });
  it('counts health customizations of argocd-cm (Application health turned back on)', () => {
    const custom = controllerSettings({ configs: { cm: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}' } } });
    expect(heldWaves([application('argocd', -1, 'argocd'), appSet('x', 0)], custom).map((f) => f.object)).toEqual(['Application/argocd/argocd']);
  });
});

describe('wave order (#10)', () => {
  it('fails an Application before its AppProject, passes after', () => {
    expect(waveOrder([project('argocd', -20), application('argocd', -30, 'argocd')], 'root').map((f) => f.rule)).toEqual(['argocd/wave-order']);
    expect(waveOrder([project('argocd', -2), application('argocd', -1, 'argocd')], 'root')).toEqual([]);
  });
  it('ignores the root itself (its project exists before it)', () => {
    expect(waveOrder([project('bootstrap', -2), application('root', -5, 'bootstrap')], 'root')).toEqual([]);
  });
});

describe('deletion (#4)', () => {
  const objects = [project('platform', -2), application('root', 0, 'bootstrap'), appSet('addon-x', 0)];
  it('passes with finalizers, a no-delete policy without override, and Delete=false on the rest', () => {
    expect(deletionCascades(objects, settings, 'root')).toEqual([]);
  });
  it.each<[string, JsonObject[], ReturnType<typeof controllerSettings>, string]>([
    ['an ApplicationSet without the finalizer', [appSet('addon-x', 0, { finalizers: [] })], settings, 'metadata.finalizers'],
    ['policy override on', [appSet('addon-x', 0)], { ...settings, policyOverride: true }, 'spec.source.helm configs.params["applicationsetcontroller.enable.policy.override"]'],
    ['the default sync policy', [appSet('addon-x', 0)], { ...settings, policy: undefined }, 'spec.source.helm configs.params["applicationsetcontroller.policy"]'],
    ['an AppProject without Delete=false', [{ ...project('p', -2), metadata: { name: 'p' } }], settings, 'metadata.annotations["argocd.argoproj.io/sync-options"]'],
  ])('fails on %s', (_name, list, s, field) => {
    expect(deletionCascades(list, s, 'root').map((f) => [f.rule, f.field])).toEqual([['argocd/deletion-cascades', field]]);
  });
});

describe('leader election (#6)', () => {
  it('fails two replicas without it', () => {
    expect(leaderElection({ ...settings, leaderElection: false }).map((f) => f.rule)).toEqual(['argocd/leader-election']);
    expect(leaderElection(settings)).toEqual([]);
    expect(leaderElection({ ...settings, leaderElection: false, applicationSetReplicas: 1 })).toEqual([]);
  });
});

describe('retired ApplicationSets (#9)', () => {
  const root = (prune: boolean): JsonObject => ({ ...application('root', 0, 'bootstrap'), spec: { project: 'bootstrap', syncPolicy: { automated: { prune } } } });
  it('fails a root that does not prune, and a set marked Prune=false', () => {
    expect(appSetRetirement([appSet('x', 0)], root(false)).map((f) => f.field)).toEqual(['spec.syncPolicy.automated.prune']);
    expect(appSetRetirement([appSet('x', 0, { annotations: KEEP })], root(true)).map((f) => f.object)).toEqual(['ApplicationSet/argocd/x']);
    expect(appSetRetirement([appSet('x', 0)], root(true))).toEqual([]);
  });
});
