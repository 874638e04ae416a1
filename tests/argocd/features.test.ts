// The Argo CD feature table: every feature is found in a minimal manifest, a release just below its minimum is
// reported and the minimum itself is not, and the committed tree needs nothing the pinned v3.4.4 lacks.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

import {
  ARGOCD_FEATURES,
  compareVersions,
  featureById,
  type FeatureId,
  type FeatureUse,
  unsupportedFeatures,
  usedFeatures,
} from '../../scripts/argocd/features.ts';
import { isObject, type JsonObject } from '../../scripts/argocd/kube.ts';
import { GENERATED_ROOTS } from '../../scripts/lib/layout.ts';
import { REPO_ROOT } from '../support/fleet.ts';

const ARGO = 'argoproj.io/v1alpha1';
const app = (spec: JsonObject, metadata: JsonObject = {}): JsonObject => ({ apiVersion: ARGO, kind: 'Application', metadata: { name: 'a', namespace: 'argocd', ...metadata }, spec });
const appSet = (spec: JsonObject, metadata: JsonObject = {}): JsonObject => ({ apiVersion: ARGO, kind: 'ApplicationSet', metadata: { name: 's', namespace: 'argocd', ...metadata }, spec });
const project = (spec: JsonObject): JsonObject => ({ apiVersion: ARGO, kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec });
const deployment = (annotations: Record<string, string>): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'web', annotations }, spec: {} });
const syncOption = (option: string): JsonObject => app({ syncPolicy: { syncOptions: [option] } });
const resourceOption = (options: string): JsonObject => deployment({ 'argocd.argoproj.io/sync-options': options });
const argoCdChart = (values: JsonObject): JsonObject =>
  app({ source: { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', targetRevision: '10.1.1', helm: { valuesObject: values } } });

const SO = 'spec.syncPolicy.syncOptions[0]';
const RA = 'metadata.annotations["argocd.argoproj.io/sync-options"]';
const PARAMS = 'spec.source.helm.valuesObject.configs.params';

/** [feature, a minimal manifest using it, the object and field the use must name]. */
const CASES: readonly (readonly [FeatureId, JsonObject, string, string])[] = [
  ['app-sync-skip-dry-run-on-missing-resource', syncOption('SkipDryRunOnMissingResource=true'), 'Application/a', SO],
  ['app-sync-create-namespace', syncOption('CreateNamespace=true'), 'Application/a', SO],
  ['app-sync-server-side-apply', syncOption('ServerSideApply=true'), 'Application/a', SO],
  ['app-sync-prune-last', syncOption('PruneLast=true'), 'Application/a', SO],
  ['app-sync-replace', syncOption('Replace=true'), 'Application/a', SO],
  ['app-sync-respect-ignore-differences', syncOption('RespectIgnoreDifferences=true'), 'Application/a', SO],
  ['app-sync-apply-out-of-sync-only', syncOption('ApplyOutOfSyncOnly=true'), 'Application/a', SO],
  ['app-sync-fail-on-shared-resource', syncOption('FailOnSharedResource=true'), 'Application/a', SO],
  ['app-sync-prune-propagation-policy', syncOption('PrunePropagationPolicy=orphan'), 'Application/a', SO],
  ['app-sync-validate-false', syncOption('Validate=false'), 'Application/a', SO],
  ['app-sync-prune-false', syncOption('Prune=false'), 'Application/a', SO],
  ['app-sync-prune-confirm', syncOption('Prune=confirm'), 'Application/a', SO],
  ['app-sync-delete-false', syncOption('Delete=false'), 'Application/a', SO],
  ['app-sync-delete-confirm', syncOption('Delete=confirm'), 'Application/a', SO],
  ['resource-sync-skip-dry-run-on-missing-resource', resourceOption('SkipDryRunOnMissingResource=true'), 'Deployment/web/d', RA],
  ['resource-sync-prune-false', resourceOption('Prune=false'), 'Deployment/web/d', RA],
  ['resource-sync-prune-confirm', resourceOption('Delete=false, Prune=confirm'), 'Deployment/web/d', RA],
  ['resource-sync-delete-false', resourceOption('Delete=false,Prune=confirm'), 'Deployment/web/d', RA],
  ['resource-sync-delete-confirm', resourceOption('Delete=confirm'), 'Deployment/web/d', RA],
  ['resource-sync-server-side-apply', resourceOption('ServerSideApply=true'), 'Deployment/web/d', RA],
  ['resource-sync-prune-last', resourceOption('PruneLast=true'), 'Deployment/web/d', RA],
  ['resource-sync-replace', resourceOption('Replace=true'), 'Deployment/web/d', RA],
  ['resource-sync-validate-false', resourceOption('Validate=false'), 'Deployment/web/d', RA],
  ['resource-sync-force', resourceOption('Force=true,Replace=true'), 'Deployment/web/d', RA],
  ['compare-ignore-extraneous', deployment({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/compare-options"]'],
  ['compare-server-side-diff', app({}, { annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true' } }), 'Application/a', 'metadata.annotations["argocd.argoproj.io/compare-options"]'],
  ['compare-include-mutation-webhook', app({}, { annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true,IncludeMutationWebhook=true' } }), 'Application/a', 'metadata.annotations["argocd.argoproj.io/compare-options"]'],
  ['annotation-sync-wave', deployment({ 'argocd.argoproj.io/sync-wave': '-1' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/sync-wave"]'],
  ['hook-phase', deployment({ 'argocd.argoproj.io/hook': 'PostSync' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook"]'],
  ['hook-sync-fail', deployment({ 'argocd.argoproj.io/hook': 'SyncFail' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook"]'],
  ['hook-post-delete', deployment({ 'argocd.argoproj.io/hook': 'PostDelete' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook"]'],
  ['hook-pre-delete', deployment({ 'argocd.argoproj.io/hook': 'PreDelete' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook"]'],
  ['hook-delete-policy', deployment({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook-delete-policy"]'],
  ['hook-delete-before-creation', deployment({ 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' }), 'Deployment/web/d', 'metadata.annotations["argocd.argoproj.io/hook-delete-policy"]'],
  ['manifest-generate-paths', app({}, { annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' } }), 'Application/a', 'metadata.annotations["argocd.argoproj.io/manifest-generate-paths"]'],
  [
    'cluster-secret-label',
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } } },
    'Secret/argocd/c',
    'metadata.labels["argocd.argoproj.io/secret-type"]',
  ],
  ['app-sync-options-field', syncOption('CreateNamespace=true'), 'Application/a', 'spec.syncPolicy.syncOptions'],
  ['app-multi-source', app({ sources: [{ repoURL: 'r', path: 'p' }] }), 'Application/a', 'spec.sources'],
  ['app-source-ref', app({ sources: [{ repoURL: 'r', ref: 'values' }] }), 'Application/a', 'spec.sources[0].ref'],
  ['app-values-file-ref', app({ sources: [{ repoURL: 'c', chart: 'x', helm: { valueFiles: ['$values/x.yaml'] } }] }), 'Application/a', 'spec.sources[0].helm.valueFiles[0]'],
  ['app-helm-values-object', app({ source: { chart: 'x', helm: { valuesObject: { a: 1 } } } }), 'Application/a', 'spec.source.helm.valuesObject'],
  ['app-helm-values', app({ source: { chart: 'x', helm: { values: 'a: 1' } } }), 'Application/a', 'spec.source.helm.values'],
  ['app-helm-ignore-missing-value-files', app({ source: { chart: 'x', helm: { ignoreMissingValueFiles: true } } }), 'Application/a', 'spec.source.helm.ignoreMissingValueFiles'],
  ['app-automated-enabled', app({ syncPolicy: { automated: { enabled: false } } }), 'Application/a', 'spec.syncPolicy.automated.enabled'],
  ['app-automated-allow-empty', app({ syncPolicy: { automated: { allowEmpty: false } } }), 'Application/a', 'spec.syncPolicy.automated.allowEmpty'],
  ['app-automated-self-heal', app({ syncPolicy: { automated: { selfHeal: true } } }), 'Application/a', 'spec.syncPolicy.automated.selfHeal'],
  ['app-retry', app({ syncPolicy: { retry: { limit: 3 } } }), 'Application/a', 'spec.syncPolicy.retry'],
  ['app-retry-unlimited', app({ syncPolicy: { retry: { limit: -1 } } }), 'Application/a', 'spec.syncPolicy.retry.limit'],
  ['app-retry-refresh', app({ syncPolicy: { retry: { refresh: true } } }), 'Application/a', 'spec.syncPolicy.retry.refresh'],
  ['app-managed-namespace-metadata', app({ syncPolicy: { managedNamespaceMetadata: { labels: { a: 'b' } } } }), 'Application/a', 'spec.syncPolicy.managedNamespaceMetadata'],
  [
    'app-ignore-diff-managed-fields-managers',
    app({ ignoreDifferences: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }] }),
    'Application/a',
    'spec.ignoreDifferences[0].managedFieldsManagers',
  ],
  ['app-ignore-diff-jq-path', app({ ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }] }), 'Application/a', 'spec.ignoreDifferences[0].jqPathExpressions'],
  ['app-destination-name', app({ destination: { name: 'c1', namespace: 'web' } }), 'Application/a', 'spec.destination.name'],
  ['appset-kind', appSet({}), 'ApplicationSet/s', 'kind'],
  ['appset-go-template', appSet({ goTemplate: true }), 'ApplicationSet/s', 'spec.goTemplate'],
  ['appset-go-template-options', appSet({ goTemplateOptions: ['missingkey=error'] }), 'ApplicationSet/s', 'spec.goTemplateOptions'],
  ['appset-template-patch', appSet({ templatePatch: 'spec: {}' }), 'ApplicationSet/s', 'spec.templatePatch'],
  ['appset-applications-sync', appSet({ syncPolicy: { applicationsSync: 'create-update' } }), 'ApplicationSet/s', 'spec.syncPolicy.applicationsSync'],
  ['appset-preserve-resources-on-deletion', appSet({ syncPolicy: { preserveResourcesOnDeletion: true } }), 'ApplicationSet/s', 'spec.syncPolicy.preserveResourcesOnDeletion'],
  ['appset-rolling-sync', appSet({ strategy: { type: 'RollingSync', rollingSync: { steps: [] } } }), 'ApplicationSet/s', 'spec.strategy.type'],
  ['appset-rolling-sync-max-update', appSet({ strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [] }, { maxUpdate: '25%' }] } } }), 'ApplicationSet/s', 'spec.strategy.rollingSync.steps[1].maxUpdate'],
  ['appset-deletion-order', appSet({ strategy: { type: 'RollingSync', deletionOrder: 'Reverse' } }), 'ApplicationSet/s', 'spec.strategy.deletionOrder'],
  ['appset-ignore-application-differences', appSet({ ignoreApplicationDifferences: [{ jsonPointers: ['/spec/source/targetRevision'] }] }), 'ApplicationSet/s', 'spec.ignoreApplicationDifferences'],
  ['appset-resources-finalizer', appSet({}, { finalizers: ['resources-finalizer.argocd.argoproj.io'] }), 'ApplicationSet/s', 'metadata.finalizers[0]'],
  ['project-orphaned-resources', project({ orphanedResources: { warn: true } }), 'AppProject/p', 'spec.orphanedResources'],
  ['project-destination-name', project({ destinations: [{ server: 'https://x', namespace: 'a' }, { name: 'c1', namespace: 'web' }] }), 'AppProject/p', 'spec.destinations[1].name'],
  ['project-source-namespaces', project({ sourceNamespaces: ['team-*'] }), 'AppProject/p', 'spec.sourceNamespaces'],
  ['project-namespace-resource-whitelist', project({ namespaceResourceWhitelist: [{ group: '', kind: 'ConfigMap' }] }), 'AppProject/p', 'spec.namespaceResourceWhitelist'],
  ['param-appset-policy', argoCdChart({ configs: { params: { 'applicationsetcontroller.policy': 'create-update' } } }), 'Application/a', `${PARAMS}["applicationsetcontroller.policy"]`],
  [
    'param-appset-policy-override',
    argoCdChart({ configs: { params: { 'applicationsetcontroller.enable.policy.override': true } } }),
    'Application/a',
    `${PARAMS}["applicationsetcontroller.enable.policy.override"]`,
  ],
  [
    'param-appset-progressive-syncs',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cmd-params-cm', namespace: 'argocd' }, data: { 'applicationsetcontroller.enable.progressive.syncs': 'true' } },
    'ConfigMap/argocd/argocd-cmd-params-cm',
    'data["applicationsetcontroller.enable.progressive.syncs"]',
  ],
  ['param-appset-leader-election', argoCdChart({ applicationSet: { replicas: 2 } }), 'Application/a', 'spec.source.helm.valuesObject.applicationSet.replicas'],
];

const ids = (uses: readonly { readonly id?: string; readonly feature?: string }[]): string[] => [...new Set(uses.map((u) => u.id ?? u.feature ?? ''))].sort();

/** A release just below `min`: one patch lower, or a high patch of the previous minor when min is a .0. */
const justBefore = (min: string): string => {
  const [major = 0, minor = 0, patch = 0] = min.split('.').map(Number);
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.999`;
  return `${major - 1}.999.999`;
};

describe('feature table', () => {
  it('has unique ids, semantic minimum versions and upstream evidence for every entry', () => {
    expect(new Set(ARGOCD_FEATURES.map((f) => f.id)).size).toBe(ARGOCD_FEATURES.length);
    for (const f of ARGOCD_FEATURES) {
      expect(f.minVersion, f.id).toMatch(/^\d+\.\d+\.\d+$/);
      expect(f.evidence, f.id).toMatch(/^argoproj\/(argo-cd|gitops-engine)[@ ]/);
      expect(f.onOlder.length, f.id).toBeGreaterThan(0);
    }
  });

  it('has a detection case for every feature', () => {
    expect(new Set(CASES.map(([id]) => id))).toEqual(new Set(ARGOCD_FEATURES.map((f) => f.id)));
  });
});

describe('usedFeatures', () => {
  it.each(CASES)('finds %s', (id, manifest, object, field) => {
    expect(usedFeatures([manifest])).toContainEqual({ id, object, field });
  });

  it('matches Application-level options as whole strings, as the controller does', () => {
    const uses = usedFeatures([app({ syncPolicy: { syncOptions: [' CreateNamespace=true', 'CreateNamespace=True', 'SkipDryRunOnMissingResources=true'] } })]);
    expect(ids(uses)).toEqual(['app-sync-options-field']);
  });

  it('reads the template and the templatePatch text of an ApplicationSet', () => {
    const set = appSet({
      goTemplate: true,
      template: {
        metadata: { name: '{{.cluster}}-web', annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true' } },
        spec: { destination: { name: '{{.cluster}}' }, syncPolicy: { syncOptions: ['ServerSideApply=true'] } },
      },
      templatePatch: [
        'spec:',
        '  syncPolicy:',
        '  {{- if .autoSync }}',
        '    automated:',
        '      enabled: {{ .autoSync }}',
        '  {{- end }}',
        '    managedNamespaceMetadata:',
        '      labels:',
        '        team: "{{ .team }}"',
      ].join('\n'),
    });
    expect(usedFeatures([set])).toEqual(
      expect.arrayContaining([
        { id: 'compare-server-side-diff', object: 'ApplicationSet/s', field: 'spec.template.metadata.annotations["argocd.argoproj.io/compare-options"]' },
        { id: 'app-destination-name', object: 'ApplicationSet/s', field: 'spec.template.spec.destination.name' },
        { id: 'app-sync-server-side-apply', object: 'ApplicationSet/s', field: 'spec.template.spec.syncPolicy.syncOptions[0]' },
        { id: 'app-automated-enabled', object: 'ApplicationSet/s', field: 'spec.templatePatch.spec.syncPolicy.automated.enabled' },
        { id: 'app-managed-namespace-metadata', object: 'ApplicationSet/s', field: 'spec.templatePatch.spec.syncPolicy.managedNamespaceMetadata' },
      ]),
    );
  });

  it('falls back to the field names of a templatePatch that is not YAML even without its actions', () => {
    const set = appSet({ templatePatch: '{{ if .x }}spec: {syncPolicy: {retry: {limit: 2}, syncOptions: [Prune=confirm]}}{{ else }}spec: [{{ end }}' });
    expect(ids(usedFeatures([set]))).toEqual(['app-retry', 'app-sync-options-field', 'app-sync-prune-confirm', 'appset-kind', 'appset-template-patch']);
  });

  it('reads argocd-cmd-params-cm keys from the argo-cd chart values string too, and no params of other charts', () => {
    const fromString = app({ source: { chart: 'argo-cd', helm: { values: 'configs:\n  params:\n    applicationsetcontroller.policy: create-only\n' } } });
    expect(usedFeatures([fromString])).toContainEqual({ id: 'param-appset-policy', object: 'Application/a', field: 'spec.source.helm.values.configs.params["applicationsetcontroller.policy"]' });
    const other = app({ source: { chart: 'not-argo', helm: { valuesObject: { configs: { params: { 'applicationsetcontroller.policy': 'sync' } }, applicationSet: { replicas: 3 } } } } });
    expect(ids(usedFeatures([other]))).toEqual(['app-helm-values-object']);
  });

  it('counts the chart leader-election preset only when the key is not set explicitly', () => {
    const explicit = argoCdChart({ applicationSet: { replicas: 2 }, configs: { params: { 'applicationsetcontroller.enable.leader.election': false } } });
    expect(usedFeatures([explicit]).filter((u) => u.id === 'param-appset-leader-election').map((u) => u.field)).toEqual([`${PARAMS}["applicationsetcontroller.enable.leader.election"]`]);
    expect(ids(usedFeatures([argoCdChart({ applicationSet: { replicas: 1 } })]))).toEqual(['app-helm-values-object']);
  });

  it('reads the cluster label of an ExternalSecret target template', () => {
    const es: JsonObject = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'cluster-c1', namespace: 'argocd' },
      spec: { target: { template: { metadata: { labels: { 'argocd.argoproj.io/secret-type': 'cluster' } } } } },
    };
    expect(usedFeatures([es])).toEqual([
      { id: 'cluster-secret-label', object: 'ExternalSecret/argocd/cluster-c1', field: 'spec.target.template.metadata.labels["argocd.argoproj.io/secret-type"]' },
    ]);
  });

  it('names each use once', () => {
    const m = resourceOption('Prune=false, Prune=false');
    expect(usedFeatures([m, m])).toEqual([{ id: 'resource-sync-prune-false', object: 'Deployment/web/d', field: RA }]);
  });
});

describe('versions', () => {
  it.each([
    ['3.4.4', 'v3.4.4', 0],
    ['3.4.4', '3.4.10', -1],
    ['3.10.0', '3.9.9', 1],
    ['3.1.0-rc1', '3.1.0', -1],
    ['3.1.0-rc.2', '3.1.0-rc.10', -1],
    ['3.1.0-rc1', '3.0.23', 1],
    ['2.14.0+build', '2.14.0', 0],
  ] as const)('compare(%s, %s) = %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });

  it('rejects a version that is not semver', () => {
    expect(() => compareVersions('3.4', '3.4.0')).toThrow(/not a semantic version/);
    expect(() => unsupportedFeatures([], 'latest')).toThrow(/not a semantic version/);
  });

  it.each(ARGOCD_FEATURES.map((f) => [f.id, f.minVersion] as const))('%s: reported below %s, not from it on', (id, min) => {
    const use: FeatureUse = { id, object: 'Application/a', field: 'spec' };
    const below = unsupportedFeatures([use], justBefore(min));
    expect(below).toHaveLength(1);
    expect(below[0]).toMatchObject({ code: 'argocd-feature-unsupported', feature: id, minVersion: min, object: 'Application/a', field: 'spec' });
    expect(below[0]?.message).toContain(featureById(id).onOlder);
    expect(unsupportedFeatures([use], min)).toEqual([]);
    expect(unsupportedFeatures([use], `v${min}`)).toEqual([]);
  });

  it('counts a backport only on its own minor line', () => {
    const use: FeatureUse = { id: 'resource-sync-force', object: 'Deployment/web/d', field: RA };
    const reported = (v: string): boolean => unsupportedFeatures([use], v).length > 0;
    expect(['2.10.9', '2.10.10', '2.10.15', '2.11.0', '2.11.1', '2.9.22'].map(reported)).toEqual([true, false, false, true, false, true]);
  });
});

/** Every object of the YAML files under the generated roots of the committed tree. */
const committedObjects = async (): Promise<JsonObject[]> => {
  const objects: JsonObject[] = [];
  for (const root of GENERATED_ROOTS) {
    const files = (await readdir(join(REPO_ROOT, root), { recursive: true })).filter((f) => f.endsWith('.yaml')).sort();
    for (const file of files) {
      for (const doc of parseAllDocuments(await readFile(join(REPO_ROOT, root, file), 'utf8'))) {
        expect(doc.errors, `${root}/${file}`).toEqual([]);
        const value: unknown = doc.toJS();
        if (isObject(value)) objects.push(value);
      }
    }
  }
  return objects;
};

describe('the committed tree', () => {
  it('uses only features the pinned Argo CD v3.4.4 implements, and names those v2.13.2 lacks', async () => {
    const uses = usedFeatures(await committedObjects());
    // The detector ran over the real objects: safety settings the generator always writes are among the uses.
    expect(ids(uses)).toEqual(
      expect.arrayContaining(['annotation-sync-wave', 'app-sync-options-field', 'appset-applications-sync', 'param-appset-policy', 'project-destination-name', 'resource-sync-delete-false']),
    );
    expect(unsupportedFeatures(uses, '3.4.4')).toEqual([]);
    // Argo CD v2.13.2 (chart argo-cd-7.7.11) would ignore all three without a word: retry.refresh (v3.2.0) is pruned
    // from the CRD, Application-level SkipDryRunOnMissingResource (v3.1.0) and the Prune=confirm annotation
    // (v2.14.0) are options it does not know.
    expect(ids(unsupportedFeatures(uses, '2.13.2'))).toEqual(['app-retry-refresh', 'app-sync-skip-dry-run-on-missing-resource', 'resource-sync-prune-confirm']);
  });
});
