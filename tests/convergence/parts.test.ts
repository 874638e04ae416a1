// The simulation's building blocks against what they model: Kubernetes' built-in groups, Argo CD's health checks,
// hook phases, AppProject permissions (app_project_types.go IsGroupKindNamePermitted), chart footprints.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { hasHealthCheck } from '../../scripts/argocd/health.ts';
import { kindPermitted } from '../../scripts/argocd/project-match.ts';
import { runtimeDrift } from '../../scripts/convergence/app-checks.ts';
import { KUBERNETES_GROUPS } from '../../scripts/convergence/served.ts';
import { phaseOf } from '../../scripts/convergence/sim-objects.ts';
import type { SimApplication } from '../../scripts/convergence/types.ts';
import { BUNDLED_CATALOGS } from '../../scripts/platform/chart-catalog/bundled.ts';
import { chartCatalogNames } from '../../scripts/platform/chart-catalog/index.ts';
import { catalogOf, chartFootprint } from '../../scripts/platform/chart-footprint.ts';
import { REPO_ROOT } from '../support/fleet.ts';

describe('served API groups', () => {
  it('are the groups of kubernetes-models (the Kubernetes OpenAPI), minus `extensions`, which 1.22 stopped serving', () => {
    const dir = join(REPO_ROOT, 'node_modules', 'kubernetes-models');
    const groups = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
      .map((e) => (e.name === 'v1' ? '' : e.name))
      .filter((g) => g !== 'extensions')
      .sort();
    expect([...KUBERNETES_GROUPS].sort()).toEqual(groups);
  });
});

describe('Argo CD health checks (v3.4.4)', () => {
  it.each([
    ['argoproj.io', 'ApplicationSet', true],
    ['external-secrets.io', 'ExternalSecret', true],
    ['cert-manager.io', 'Certificate', true],
    ['apps', 'Deployment', true],
    ['', 'Service', true],
    ['batch', 'Job', true],
    ['pkg.crossplane.io', 'Provider', true],
    ['argoproj.io', 'Application', false],
    ['argoproj.io', 'AppProject', false],
    ['', 'ConfigMap', false],
    ['monitoring.coreos.com', 'ServiceMonitor', false],
  ] as const)('%s/%s: %s', (group, kind, expected) => {
    expect(hasHealthCheck(group, kind)).toBe(expected);
  });
  it('counts a health customization of argocd-cm', () => {
    expect(hasHealthCheck('argoproj.io', 'Application', new Set(['argoproj.io/Application']))).toBe(true);
  });
});

describe('sync phase of an object', () => {
  it.each([
    [undefined, undefined, 'Sync'],
    ['PreSync', undefined, 'PreSync'],
    [undefined, 'pre-install,pre-upgrade', 'PreSync'],
    [undefined, 'post-install', 'PostSync'],
    ['Sync', 'pre-install', 'Sync'],
    [undefined, 'test', 'Sync'],
  ] as const)('argocd %s helm %s: %s', (argo, helm, phase) => {
    expect(phaseOf(argo, helm)).toBe(phase);
  });
});

describe('AppProject kind permissions', () => {
  const o = (group: string, kind: string, namespaced: boolean): { group: string; kind: string; name: string; namespaced: boolean } => ({ group, kind, name: 'x', namespaced });
  it.each([
    ['no namespace whitelist allows every namespaced kind', {}, o('batch', 'Job', true), true],
    ['an empty namespace whitelist allows none', { namespaceResourceWhitelist: [] }, o('batch', 'Job', true), false],
    ['a listed kind', { namespaceResourceWhitelist: [{ group: 'batch', kind: 'Job' }] }, o('batch', 'Job', true), true],
    ['a glob', { namespaceResourceWhitelist: [{ group: '*', kind: 'Job' }] }, o('batch', 'Job', true), true],
    ['a blacklisted kind', { namespaceResourceBlacklist: [{ group: 'batch', kind: 'Job' }] }, o('batch', 'Job', true), false],
    ['no cluster whitelist allows no cluster-scoped kind', {}, o('', 'Namespace', false), false],
    ['a listed cluster kind', { clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] }, o('', 'Namespace', false), true],
    ['a cluster kind limited to another name', { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'other' }] }, o('', 'Namespace', false), false],
  ] as const)('%s', (_name, spec, object, expected) => {
    expect(kindPermitted({ spec }, object)).toBe(expected);
  });
});

describe('runtime drift', () => {
  const app: SimApplication = {
    name: 'c1-istiod',
    cluster: 'c1',
    project: 'platform',
    destinationNamespace: 'istio-system',
    objects: [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'v', namespace: undefined, namespaced: false, phase: 'Sync', wave: 0, syncOptions: [] }],
    source: 'chart',
    syncOptions: [],
    retryLimit: -1,
    automated: true,
  };
  const mutation = { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', field: '.webhooks[]?.failurePolicy', why: 'istiod' };
  it('is reported unless an ignoreDifferences entry names the field', () => {
    expect(runtimeDrift(app, { spec: {} }, [mutation]).map((f) => f.rule)).toEqual(['argocd/runtime-drift']);
    const ignored = { spec: { ignoreDifferences: [{ group: mutation.group, kind: mutation.kind, jqPathExpressions: [mutation.field] }] } };
    expect(runtimeDrift(app, ignored, [mutation])).toEqual([]);
  });
});

describe('chart footprints', () => {
  it('bundles every committed catalog', () => {
    expect(BUNDLED_CATALOGS.map((c) => c.name)).toEqual(chartCatalogNames());
  });
  it('include the argo-cd chart\'s PreSync hook Job and leave out hooks Argo CD never runs', () => {
    const argo = chartFootprint(catalogOf({ repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' }));
    expect(argo.namespaced).toContainEqual({ group: 'batch', kind: 'Job' });
    expect(argo.namespaces).toEqual(['argocd']);
    const gpu = BUNDLED_CATALOGS.find((c) => c.name === 'gpu-operator')!;
    const neverRun = gpu.kinds.flatMap((k) => k.objects.filter((x) => x.argocdHookPhases !== undefined && x.argocdHookPhases.length === 0).map((x) => x.name));
    expect(neverRun.length).toBeGreaterThan(0);
  });
  it('name the namespaces a chart writes outside its release namespace (cert-manager\'s leader election in kube-system)', () => {
    expect(chartFootprint(BUNDLED_CATALOGS.find((c) => c.name === 'cert-manager')).namespaces).toEqual(['cert-manager', 'kube-system']);
  });
});
