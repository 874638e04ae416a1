// tools/chart-render against a fixture chart of ours: subchart, alias, tags, condition, import-values, globals,
// a null-deleted default, include/tpl, .Files, .Capabilities, hooks (known, test, unknown), crds/ and
// template-rendered CRDs, scopes. Builds the Go tool (cached by source hash); a missing Go toolchain fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ChartRenderError, chartRenderBinary, renderChart, type ChartRender, type RenderOptions, type RenderedObject } from '../../scripts/charts/chart-render-tool.ts';

const CHART = resolve(import.meta.dirname, '..', 'fixtures', 'charts', 'parent');

let binary = '';
let dir = '';
const valuesFile = (name: string, values: unknown): string => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
};
const render = (options: Partial<RenderOptions> = {}): ChartRender =>
  renderChart({ chartDir: CHART, releaseName: 'rel', namespace: 'ns', kubeVersion: '1.32.0', ...options }, binary);
const find = (r: ChartRender, kind: string, name: string): RenderedObject | undefined => r.objects.find((o) => o.kind === kind && o.name === name);
const section = (r: ChartRender, kind: string, name: string, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), find(r, kind, name)?.manifest);

beforeAll(() => {
  // Throws with the apt package names when Go or its libraries are missing: the suite fails, it never skips.
  binary = chartRenderBinary();
  dir = mkdtempSync(join(tmpdir(), 'chart-render-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chart-render on the fixture chart (defaults, built-in APIs only)', () => {
  let r: ChartRender;
  beforeAll(() => {
    r = render();
  });

  it('reports the chart and the release', () => {
    expect(r.chart).toMatchObject({ name: 'parent', version: '1.2.3', appVersion: '4.5.6', kubeVersion: '>= 1.30.0-0' });
    expect(r.release).toEqual({ name: 'rel', namespace: 'ns' });
    expect(r.kubeVersion).toBe('v1.32.0');
    expect(r.helmVersion).toBe('v3.19.4');
  });

  it.each([
    ['CustomResourceDefinition', 'widgets.example.com', '', 'Cluster', 'parent/crds/widgets.yaml'],
    ['CustomResourceDefinition', 'gadgets.example.com', '', 'Cluster', 'parent/templates/crd-gadgets.yaml'],
    ['ConfigMap', 'rel-parent', 'ns', 'Namespaced', 'parent/templates/configmap.yaml'],
    ['Deployment', 'rel-child', 'ns', 'Namespaced', 'parent/charts/child/templates/deployment.yaml'],
    ['Job', 'rel-parent-init', 'ns', 'Namespaced', 'parent/templates/hook-job.yaml'],
    ['Pod', 'rel-parent-test', 'ns', 'Namespaced', 'parent/templates/test-pod.yaml'],
    ['PodDisruptionBudget', 'rel-parent', 'ns', 'Namespaced', 'parent/templates/pdb.yaml'],
    ['ClusterRole', 'rel-parent', '', 'Cluster', 'parent/templates/rbac.yaml'],
    ['Role', 'rel-parent', 'elsewhere', 'Namespaced', 'parent/templates/rbac.yaml'],
    // Scope from the CRD in templates/ (Cluster) and from the one in crds/ (Namespaced).
    ['Gadget', 'rel-parent', '', 'Cluster', 'parent/templates/objects.yaml'],
    ['Widget', 'rel-parent', 'ns', 'Namespaced', 'parent/templates/objects.yaml'],
    ['Thing', 'unknown-scope', 'ns', 'Unknown', 'parent/templates/objects.yaml'],
  ])('renders %s %s (namespace %j, %s) from %s', (kind, name, namespace, scope, source) => {
    expect(find(r, kind, name)).toMatchObject({ namespace, scope, source });
  });

  it.each([
    ['the aliased subchart its tag disables', 'Deployment', 'rel-second'],
    ['the document with the unknown crd-install hook', 'ConfigMap', 'legacy'],
    ['the ServiceMonitor whose API is not served', 'ServiceMonitor', 'rel-parent'],
  ])('leaves out %s', (_what, kind, name) => {
    expect(find(r, kind, name)).toBeUndefined();
  });

  it('lists exactly those objects (NOTES.txt and partials are not manifests)', () => {
    expect(r.objects).toHaveLength(12);
    expect(r.warnings.some((w) => w.includes('"crd-install"'))).toBe(true);
  });

  it('reads hook and sync annotations', () => {
    expect(find(r, 'Job', 'rel-parent-init')).toMatchObject({ helmHook: ['pre-install', 'pre-upgrade'], helmHookWeight: '-5', helmHookDeletePolicy: 'before-hook-creation' });
    expect(find(r, 'Pod', 'rel-parent-test')?.helmHook).toEqual(['test']);
    expect(find(r, 'ConfigMap', 'rel-parent')?.helmHook).toBeUndefined();
  });

  it('lists CRDs with their served versions only', () => {
    expect(r.crds.map((c) => [c.group, c.kind, c.scope, c.servedVersions, Boolean(c.fromCrdsDir)])).toEqual([
      ['example.com', 'Widget', 'Namespaced', ['v1'], true],
      ['example.com', 'Gadget', 'Cluster', ['v1'], false],
    ]);
  });

  it('records each .Capabilities.APIVersions.Has query with its answer', () => {
    expect(r.capabilityQueries.map((q) => [q.api, q.result, q.template])).toEqual([
      ['monitoring.coreos.com/v1', false, 'parent/templates/servicemonitor.yaml'],
      // Helm's client-go scheme knows policy/v1beta1, so `helm template` answers true whatever the cluster serves;
      // a group/version/Kind string is true only when passed with --api-versions.
      ['policy/v1/PodDisruptionBudget', false, 'parent/templates/pdb.yaml'],
      ['policy/v1beta1', true, 'parent/templates/pdb.yaml'],
    ]);
    expect(find(r, 'PodDisruptionBudget', 'rel-parent')?.apiVersion).toBe('policy/v1beta1');
  });

  it('reports dependencies: the absent one is disabled, so it may be missing', () => {
    expect(r.dependencies.map((d) => [d.alias ?? d.name, d.enabled, d.present])).toEqual([
      ['child', true, true],
      ['second', false, true],
      ['absent', false, false],
    ]);
  });
});

describe('chart-render engine semantics', () => {
  it('renders include, tpl, .Files, .Capabilities, .Release, .Template, .Chart, lookup, import-values and missing keys like Helm', () => {
    expect(section(render({ withManifests: true }), 'ConfigMap', 'rel-parent', 'data')).toEqual({
      greeting: 'hello rel',
      file: 'from a file',
      kube: 'v1.32.0',
      kubeMinor: '32',
      gitVersion: 'v1.32.0',
      revision: '1',
      isInstall: 'true',
      service: 'Helm',
      template: 'parent/templates/configmap.yaml',
      basePath: 'parent/templates',
      importedColor: 'blue',
      optional: 'keep-me',
      missing: '',
      lookup: '{}',
      chartVersion: '1.2.3',
      isRoot: 'true',
    });
  });

  it('gives subcharts the globals and their own .Chart; the parent\'s define of a shared name wins', () => {
    expect(section(render({ withManifests: true }), 'Deployment', 'rel-child', 'metadata', 'labels')).toEqual({ team: 'media', shared: 'from-parent', isRoot: 'false' });
  });

  it('merges later values files over earlier ones, deletes a default with null, enables a tagged alias', () => {
    const r = render({
      withManifests: true,
      valuesFiles: [valuesFile('first', { optionalSetting: 'x', tags: { extras: false } }), valuesFile('second', { optionalSetting: null, tags: { extras: true } })],
    });
    expect(section(r, 'ConfigMap', 'rel-parent', 'data')).not.toHaveProperty('optional');
    expect(find(r, 'Deployment', 'rel-second')).toMatchObject({ source: 'parent/charts/second/templates/deployment.yaml' });
  });

  it('renders what a served API enables, with its sync wave', () => {
    const r = render({ apiVersions: ['monitoring.coreos.com/v1', 'policy/v1/PodDisruptionBudget'] });
    expect(find(r, 'ServiceMonitor', 'rel-parent')).toMatchObject({ scope: 'Unknown', syncWave: '5' });
    expect(find(r, 'PodDisruptionBudget', 'rel-parent')?.apiVersion).toBe('policy/v1');
    expect(r.capabilityQueries.filter((q) => q.result).map((q) => q.api)).toEqual(['monitoring.coreos.com/v1', 'policy/v1/PodDisruptionBudget']);
  });

  it('takes the cluster scope of kinds defined elsewhere from --cluster-scoped', () => {
    expect(find(render({ clusterScoped: ['other.example.org/Thing'] }), 'Thing', 'unknown-scope')).toMatchObject({ scope: 'Cluster', namespace: '' });
  });

  it.each([
    ['a kube version below Chart.yaml kubeVersion', { kubeVersion: '1.29.4' }, 'chart requires kubeVersion: >= 1.30.0-0 which is incompatible with Kubernetes v1.29.4'],
    ['a fail call', { values: { failMe: true } }, 'failMe is set'],
    ['an enabled dependency missing under charts/', { values: { absent: { enabled: true } } }, 'enabled dependencies missing under charts/: absent 1.0.0'],
  ])('fails on %s', (_what, change: { kubeVersion?: string; values?: unknown }, message) => {
    const options: Partial<RenderOptions> = {
      ...(change.kubeVersion !== undefined ? { kubeVersion: change.kubeVersion } : {}),
      ...(change.values !== undefined ? { valuesFiles: [valuesFile('fail', change.values)] } : {}),
    };
    expect(() => render(options)).toThrow(ChartRenderError);
    expect(() => render(options)).toThrow(message);
  });
});
