// Table tests of the issue-18 safety rules, called directly on parsed objects: each violating object gives
// exactly its finding, the compliant variant none.
import { describe, expect, it } from 'vitest';

import { argocd } from '../../scripts/policy/rules/argocd.ts';
import { network, policyNoPods, serviceNoPods } from '../../scripts/policy/rules/network.ts';
import { selectorChanges, selectorsOf, selectorTemplate } from '../../scripts/policy/rules/workload-selectors.ts';
import { RULE_BY_ID } from '../../scripts/policy/rules.ts';
import type { AppContext, RawFinding } from '../../scripts/policy/types.ts';
import { deployment, ingress, rendered, service, type Obj } from './objects.ts';

const REPO = 'https://github.com/acme-media/streamfleet-gitops.git';

const ctx = (objects: readonly Obj[]): AppContext =>
  ({
    target: { name: 'app', path: 'clusters/x/streaming', project: 'streaming', destination: 'x', namespace: 'streaming' },
    objects: objects.map((o, i) => rendered(o, i + 1)),
    fleet: { git: { repoURL: REPO, targetRevision: 'main' } },
    isProd: false,
  }) as unknown as AppContext;

/** The findings of the rules under test only (the older rules of a family, e.g. network/default-deny, are not). */
const rulesOf = (findings: readonly RawFinding[]): string[] => [...new Set(findings.map((f) => f.rule).filter((r) => TESTED.has(r)))];

const appSet = (mutate: (s: Obj) => void = () => undefined): Obj => {
  const s: Obj = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'set', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ cluster: 'a' }] } }],
      syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
      template: { metadata: { name: '{{.cluster}}' }, spec: { project: 'streaming', destination: { name: '{{.cluster}}', namespace: 's' }, source: { repoURL: REPO, path: 'x' } } },
    },
  };
  mutate(s);
  return s;
};

const namespace = (options: string | undefined): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'streaming', ...(options !== undefined ? { annotations: { 'argocd.argoproj.io/sync-options': options } } : {}) },
});

const policy = (labels: Record<string, string>): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow', namespace: 'streaming' },
  spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{}] },
});

interface Case {
  readonly rule: string;
  readonly bad: () => RawFinding[];
  readonly good: () => RawFinding[];
}

const edge = (): Obj[] => [deployment('edge-cache', 'streaming'), service('edge-cache', 'streaming')];
const ing = (mutate: (i: Obj) => void = () => undefined): Obj => ingress('web', 'streaming', 'web.example.com', mutate);

const CASES: readonly Case[] = [
  {
    rule: 'network/ingress-wildcard-host',
    bad: () => network(ctx([...edge(), ingress('web', 'streaming', '*.example.com')])),
    good: () => network(ctx([...edge(), ing()])),
  },
  {
    rule: 'network/ingress-snippet',
    bad: () => network(ctx([...edge(), ing((i) => (i.metadata.annotations = { 'nginx.ingress.kubernetes.io/server-snippet': 'return 200;' }))])),
    good: () => network(ctx([...edge(), ing((i) => (i.metadata.annotations = { 'nginx.ingress.kubernetes.io/proxy-body-size': '1m' }))])),
  },
  {
    rule: 'network/ingress-backend',
    bad: () => network(ctx([deployment('edge-cache', 'streaming'), ing()])),
    good: () => network(ctx([...edge(), ing()])),
  },
  {
    rule: 'network/ingress-backend',
    bad: () => network(ctx([...edge(), ing((i) => (i.spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }))])),
    good: () => network(ctx([...edge(), ing((i) => (i.spec.rules[0].http.paths[0].backend.service.port = { number: 80 }))])),
  },
  {
    rule: 'network/service-no-pods',
    bad: () => serviceNoPods([ctx([deployment('a', 'streaming'), service('b', 'streaming')])]),
    good: () => serviceNoPods([ctx([deployment('a', 'streaming'), service('a', 'streaming')])]),
  },
  {
    rule: 'network/policy-no-pods',
    bad: () => policyNoPods([ctx([deployment('a', 'streaming'), policy({ 'app.kubernetes.io/name': 'b' })])]),
    good: () => policyNoPods([ctx([deployment('a', 'streaming'), policy({ 'app.kubernetes.io/name': 'a' })])]),
  },
  {
    rule: 'workloads/selector-template',
    bad: () => selectorTemplate(ctx([deployment('a', 'streaming', (d) => (d.spec.selector.matchLabels['extra'] = 'x'))])),
    good: () => selectorTemplate(ctx([deployment('a', 'streaming')])),
  },
  {
    rule: 'workloads/selector-changed',
    bad: () => {
      const before = selectorsOf([deployment('a', 'streaming')], 'streaming');
      return selectorChanges(ctx([deployment('a', 'streaming', (d) => (d.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'a' }))]), before, 'HEAD');
    },
    good: () => {
      const before = selectorsOf([deployment('a', 'streaming')], 'streaming');
      // Same selector, keys in another order; and a new object with no previous render.
      return selectorChanges(ctx([deployment('a', 'streaming', (d) => (d.spec.selector.matchLabels = { 'app.kubernetes.io/component': 'a', 'app.kubernetes.io/name': 'a' })), deployment('new', 'streaming')]), before, 'HEAD');
    },
  },
  {
    rule: 'argocd/preserve-resources',
    bad: () => argocd(ctx([appSet((s) => delete s.spec.syncPolicy.preserveResourcesOnDeletion)])),
    good: () => argocd(ctx([appSet()])),
  },
  {
    rule: 'argocd/appset-empty-list',
    bad: () => argocd(ctx([appSet((s) => (s.spec.generators = [{ list: { elements: [] } }]))])),
    good: () => argocd(ctx([appSet()])),
  },
  {
    rule: 'argocd/appset-external-generator',
    bad: () => argocd(ctx([appSet((s) => (s.spec.generators = [{ matrix: { generators: [{ list: { elements: [{ a: 1 }] } }, { pullRequest: { github: { owner: 'x', repo: 'y' } } }] } }]))])),
    good: () => argocd(ctx([appSet((s) => (s.spec.generators = [{ git: { repoURL: REPO.replace('.git', ''), revision: 'main', directories: [{ path: 'x/*' }] } }]))])),
  },
  {
    rule: 'argocd/appset-external-generator',
    bad: () => argocd(ctx([appSet((s) => (s.spec.generators = [{ git: { repoURL: 'https://github.com/other/repo.git', revision: 'main', files: [{ path: 'a.json' }] } }]))])),
    good: () => argocd(ctx([appSet()])),
  },
  {
    rule: 'argocd/applications-sync',
    bad: () => argocd(ctx([appSet((s) => (s.spec.syncPolicy.applicationsSync = 'sync'))])),
    good: () => argocd(ctx([appSet()])),
  },
  {
    rule: 'argocd/sync-wave',
    bad: () => argocd(ctx([appSet((s) => (s.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '1.5' }))])),
    good: () => argocd(ctx([appSet((s) => (s.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '-1' }))])),
  },
  {
    rule: 'argocd/namespace-protection',
    bad: () => argocd(ctx([namespace('Delete=false')])),
    good: () => argocd(ctx([namespace('Delete=false,Prune=confirm')])),
  },
  {
    rule: 'argocd/namespace-protection',
    bad: () => argocd(ctx([{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'x' }, spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } } }])),
    good: () => argocd(ctx([{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'x' }, spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } } }])),
  },
];

const TESTED = new Set(CASES.map((c) => c.rule));

describe('issue-18 safety rules: a violation gives exactly its finding, the compliant variant none', () => {
  it.each(CASES.map((c, i) => ({ ...c, name: `${c.rule} #${i}` })))('$name', (c) => {
    expect(RULE_BY_ID.has(c.rule), `${c.rule} is in the rule table`).toBe(true);
    expect(rulesOf(c.bad())).toEqual([c.rule]);
    expect(rulesOf(c.good())).toEqual([]);
  });
});
