// ApplicationSet expansion on handmade objects (no Kustomize): list generators, templatePatch, generators that
// need live data, RollingSync, and one fixture per check that must be caught.
import { describe, expect, it } from 'vitest';

import { expandObjects } from '../../scripts/argocd/expand.ts';
import { applyTemplatePatch } from '../../scripts/argocd/template-patch.ts';
import type { ExpandResult, FindingCode } from '../../scripts/argocd/types.ts';
import { appSet, bootstrapProject, cleanFleet, elements, folders, type Obj, project, REPO, rootApp, webProject } from './fixtures.ts';

const expand = (objects: Obj[], options = folders()): ExpandResult => expandObjects(objects, options);
const codes = (r: ExpandResult): FindingCode[] => r.findings.map((f) => f.code);
const app = (r: ExpandResult, name: string): ExpandResult['applications'][number] => {
  const found = r.applications.find((a) => a.name === name);
  if (!found) throw new Error(`no Application ${name} in ${r.applications.map((a) => a.name).join(', ')}`);
  return found;
};

describe('list generator', () => {
  it('makes one Application per element, rendered and placed in the ApplicationSet namespace', () => {
    const r = expand(cleanFleet());
    expect(r.findings).toEqual([]);
    expect(r.applications.map((a) => a.name)).toEqual(['c1-web', 'c2-web', 'root']);
    const c1 = app(r, 'c1-web');
    expect(c1).toMatchObject({
      namespace: 'argocd',
      project: 'web',
      destination: { name: 'c1', namespace: 'web' },
      sources: [{ repoURL: REPO, path: 'clusters/c1/web', targetRevision: 'main', inRepo: true }],
      wave: 0,
      sync: { mode: 'auto', prune: true, selfHeal: true },
      labels: { 'example.com/cluster': 'c1', 'example.com/env': 'prod' },
      applicationSet: 'web',
      generator: { index: 0, element: 0 },
    });
    // `server: ""` renders to an empty string, which Argo CD treats as unset.
    expect(c1.destination.server).toBeUndefined();
    // preserveResourcesOnDeletion: no resources finalizer.
    expect((c1.manifest.metadata as Obj).finalizers).toBeUndefined();
    expect(r.applicationSets).toEqual([
      { name: 'web', namespace: 'argocd', wave: 0, generators: ['list'], strategy: 'AllAtOnce', applicationsSync: 'create-update', evaluated: true, applications: 2 },
    ]);
    expect(r.root).toEqual({ name: 'root', namespace: 'argocd', repoURL: REPO, targetRevision: 'main', path: 'argocd' });
  });

  it('renders map keys and every nested string; sorts by (wave, name) with the set wave ordering its apps', () => {
    const set = appSet('web', (spec, meta) => {
      meta.annotations = { 'argocd.argoproj.io/sync-wave': '-2' };
      spec.template.metadata.labels = { 'team.example.com/{{.cluster}}': 'owner' };
      spec.template.spec.source = { repoURL: REPO, targetRevision: 'main', path: '{{.path}}', kustomize: { commonAnnotations: { region: 'r-{{.cluster}}' } } };
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect(r.findings).toEqual([]);
    expect(r.applications.map((a) => [a.name, a.wave, a.ownWave])).toEqual([['c1-web', -2, 0], ['c2-web', -2, 0], ['root', 0, 0]]);
    expect(app(r, 'c2-web').labels).toEqual({ 'team.example.com/c2': 'owner' });
    expect(JSON.stringify(app(r, 'c2-web').manifest)).toContain('"region":"r-c2"');
  });

  it('adds the resources finalizer unless the set preserves resources on deletion', () => {
    const set = appSet('web', (spec) => {
      spec.syncPolicy = { applicationsSync: 'create-only' };
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect((app(r, 'c1-web').manifest.metadata as Obj).finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('reads a literal elementsYaml and refuses a templated one', () => {
    const literal = appSet('web', (spec) => {
      spec.generators = [{ list: { elementsYaml: '- cluster: c1\n  path: clusters/c1/web\n  env: dev\n' } }];
    });
    expect(expand([rootApp(), bootstrapProject(), webProject(), literal]).applications.map((a) => a.name)).toEqual(['c1-web', 'root']);
    const templated = appSet('web', (spec) => {
      spec.generators = [{ list: { elementsYaml: '{{ .clusters | toJson }}' } }];
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), templated]);
    expect(codes(r)).toEqual(['generator-unsupported']);
    expect(r.applicationSets[0]?.evaluated).toBe(false);
  });
});

describe('templatePatch', () => {
  const conditionalAutomated = appSet('web', (spec) => {
    spec.generators = [{ list: { elements: [{ ...elements('c1')[0], autoSync: true }, { ...elements('c2')[0], autoSync: false }] } }];
    spec.template.spec.syncPolicy = { syncOptions: ['PruneLast=true'], retry: { limit: 5 } };
    spec.templatePatch = [
      '{{- if .autoSync }}',
      'spec:',
      '  syncPolicy:',
      '    automated:',
      '      prune: true',
      '      selfHeal: true',
      '{{- end }}',
      '',
    ].join('\n');
  });

  it('applies a conditional automated block per element and keeps the rest of the template', () => {
    const r = expand([rootApp(), bootstrapProject(), webProject(), conditionalAutomated]);
    expect(r.findings).toEqual([]);
    expect(app(r, 'c1-web').sync).toEqual({ mode: 'auto', prune: true, selfHeal: true });
    expect(app(r, 'c2-web').sync).toEqual({ mode: 'manual', prune: false, selfHeal: false });
    expect((app(r, 'c1-web').manifest.spec as Obj).syncPolicy).toEqual({ syncOptions: ['PruneLast=true'], retry: { limit: 5 }, automated: { prune: true, selfHeal: true } });
  });

  it('merges a patch into the typed Application: maps key by key, lists replaced, null deletes', () => {
    const { application } = applyTemplatePatch(
      { metadata: { name: 'a', labels: { tier: '1', zone: '2' } }, spec: { project: 'p', syncPolicy: { syncOptions: ['A=1', 'B=2'] } } },
      'metadata:\n  labels:\n    zone: null\n    team: "3"\nspec:\n  syncPolicy:\n    syncOptions: [C=3]\n',
    );
    expect(application).toEqual({ metadata: { name: 'a', labels: { tier: '1', team: '3' } }, spec: { project: 'p', syncPolicy: { syncOptions: ['C=3'] } } });
  });

  it('reads a key `y` as the boolean true, as go-yaml v2 does (sigs.k8s.io/yaml): the label is "true", not "y"', () => {
    const { application, yaml11Differences } = applyTemplatePatch({ metadata: { name: 'a' }, spec: { project: 'p' } }, 'metadata:\n  labels:\n    y: "1"\n');
    expect(application.metadata).toEqual({ name: 'a', labels: { true: '1' } });
    expect(yaml11Differences).toEqual(['metadata.labels.true: YAML 1.1 reads "1", YAML 1.2 undefined', 'metadata.labels.y: YAML 1.1 reads undefined, YAML 1.2 "1"']);
  });

  it('fails a patch that merges into helm.valuesObject where the template has the same map (argo-cd#22850)', () => {
    const set = appSet('web', (spec) => {
      ((spec.template as Obj).spec as Obj).source = { repoURL: 'https://charts.example.com', chart: 'web', targetRevision: '1.0.0', helm: { valuesObject: { controller: { replicas: 2 } } } };
      spec.templatePatch = 'spec:\n  source:\n    helm:\n      valuesObject:\n        controller:\n          tcp: "{{ .cluster }}"\n';
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect(codes(r)).toEqual(['template-patch-error', 'template-patch-error', 'template-error']);
    expect(r.findings[0]?.message).toMatch(/unable to find api field in struct RawExtension for the json field "controller".*at spec\.source\.helm\.valuesObject\.controller/s);
  });

  it('reads the patch as YAML 1.1 and reports values YAML 1.2 reads differently', () => {
    const set = appSet('web', (spec) => {
      spec.templatePatch = 'metadata:\n  annotations:\n    ready: "yes"\n  labels:\n    tier: on\n';
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    // `on` is the boolean true in YAML 1.1: a label must be a string, so Argo CD refuses the patch.
    expect(codes(r)).toContain('template-patch-error');
    expect(r.findings.find((f) => f.code === 'template-patch-error')?.message).toMatch(/metadata\.labels\.tier: cannot unmarshal bool into Go value of type string/);
  });

  it('cannot change the project: Argo CD restores it, and the attempt is reported', () => {
    const set = appSet('web', (spec) => {
      spec.templatePatch = 'spec:\n  project: "{{ .cluster }}"\n';
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect(app(r, 'c1-web').project).toBe('web');
    expect(codes(r)).toEqual(['template-patch-project']);
  });

  it('reports a patch that renders to invalid YAML', () => {
    const set = appSet('web', (spec) => {
      spec.templatePatch = 'spec: [unclosed\n';
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect(codes(r)).toContain('template-patch-error');
    expect(r.applications.map((a) => a.name)).toEqual(['root']);
  });
});

describe('generators that need live data', () => {
  it.each([
    ['git', { git: { repoURL: REPO, revision: 'main', directories: [{ path: 'clusters/*' }] } }],
    ['clusters', { clusters: {} }],
    ['matrix', { matrix: { generators: [{ clusters: {} }, { list: { elements: [] } }] } }],
    ['merge', { merge: { mergeKeys: ['cluster'], generators: [] } }],
    ['scmProvider', { scmProvider: { github: { organization: 'acme' } } }],
    ['pullRequest', { pullRequest: { github: { owner: 'acme', repo: 'gitops' } } }],
    ['clusterDecisionResource', { clusterDecisionResource: { configMapRef: 'ocm' } }],
    ['plugin', { plugin: { configMapRef: { name: 'p' } } }],
  ])('%s is reported as not evaluable offline, and list generators beside it still expand', (kind, generator) => {
    const set = appSet('web', (spec) => {
      spec.generators = [generator, { list: { elements: elements('c1') } }];
    });
    const r = expand([rootApp(), bootstrapProject(), webProject(), set]);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'generator-offline', object: 'ApplicationSet/web', field: 'spec.generators[0]' })]);
    expect(r.findings[0]?.message).toContain(kind);
    expect(r.applications.map((a) => a.name)).toEqual(['c1-web', 'root']);
    expect(r.applicationSets[0]).toMatchObject({ generators: [kind, 'list'], evaluated: false });
  });

  it('an unknown generator is reported too', () => {
    const r = expand([rootApp(), bootstrapProject(), webProject(), appSet('web', (spec) => void (spec.generators = [{ nonsense: {} }]))]);
    expect(codes(r)).toEqual(['generator-unsupported']);
  });
});

describe('RollingSync', () => {
  const rolling = (steps: Obj[]): Obj =>
    appSet('web', (spec) => {
      spec.generators = [{ list: { elements: [...elements('c1'), { ...elements('c2')[0], env: 'dev' }] } }];
      spec.strategy = { type: 'RollingSync', rollingSync: { steps } };
    });

  it('turns auto-sync off and assigns each Application its step', () => {
    const r = expand([rootApp(), bootstrapProject(), webProject(), rolling([
      { matchExpressions: [{ key: 'example.com/env', operator: 'In', values: ['dev'] }] },
      { matchExpressions: [{ key: 'example.com/env', operator: 'NotIn', values: ['dev'] }] },
    ])]);
    expect(r.findings).toEqual([]);
    expect(app(r, 'c2-web').sync).toEqual({ mode: 'rolling', prune: true, selfHeal: false, step: 1, steps: 2 });
    expect(app(r, 'c1-web').sync).toEqual({ mode: 'rolling', prune: true, selfHeal: false, step: 2, steps: 2 });
  });

  it('reports an Application no step selects, and operators Argo CD ignores', () => {
    const r = expand([rootApp(), bootstrapProject(), webProject(), rolling([
      { matchExpressions: [{ key: 'example.com/env', operator: 'In', values: ['dev'] }] },
      { matchExpressions: [{ key: 'example.com/env', operator: 'Exists' }] },
    ])]);
    expect(app(r, 'c1-web').sync.mode).toBe('manual');
    expect(codes(r).sort()).toEqual(['rolling-sync-operator', 'rolling-sync-unselected']);
  });
});

/** Each check, caught on a fixture that violates it. */
describe('checks', () => {
  const withSet = (edit: Parameters<typeof appSet>[1], name = 'web'): Obj[] => [rootApp(), bootstrapProject(), webProject(), appSet(name, edit)];
  const longName = `${'x'.repeat(61)}-{{.cluster}}`; // 64 characters once rendered

  it.each<[string, Obj[], FindingCode, RegExp?]>([
    ['duplicate names across sets', [...cleanFleet(), appSet('web-copy')], 'duplicate-name', /2 Applications are named argocd\/c1-web/],
    ['duplicate names within a set', withSet((s) => void (s.generators = [{ list: { elements: [...elements('c1'), ...elements('c1')] } }])), 'duplicate-name'],
    ['templated project', withSet((s) => void (s.template.spec.project = '{{.cluster}}')), 'templated-project'],
    ['goTemplate off', withSet((s) => void delete s.goTemplate), 'go-template-disabled'],
    ['missingkey=error missing', withSet((s) => void (s.goTemplateOptions = [])), 'missingkey-not-error'],
    ['applicationsSync unset', withSet((s) => void (s.syncPolicy = {})), 'applications-sync', /default "sync"/],
    ['applicationsSync sync', withSet((s) => void (s.syncPolicy = { applicationsSync: 'sync' })), 'applications-sync'],
    ['applicationsSync create-delete', withSet((s) => void (s.syncPolicy = { applicationsSync: 'create-delete' })), 'applications-sync'],
    ['allowEmpty in the template', withSet((s) => void (s.template.spec.syncPolicy = { automated: { allowEmpty: true } })), 'allow-empty'],
    ['allowEmpty in the templatePatch', withSet((s) => void (s.templatePatch = 'spec:\n  syncPolicy:\n    automated:\n      allowEmpty: true\n')), 'allow-empty'],
    ['allowEmpty on a plain Application', [...cleanFleet().slice(1), { ...rootApp(), spec: { ...(rootApp().spec as Obj), syncPolicy: { automated: { allowEmpty: true } } } }], 'allow-empty'],
    ['name not DNS-1123', withSet((s) => void (s.template.metadata.name = '{{.cluster}}_Web')), 'invalid-name', /DNS-1123/],
    ['name over 63 characters', withSet((s) => void (s.template.metadata.name = longName)), 'invalid-name', /63/],
    ['project not in the root objects', withSet((s) => void (s.template.spec.project = 'nope')), 'unknown-project'],
    ['default project', withSet((s) => void (s.template.spec.project = 'default')), 'default-project'],
    ['destination namespace not permitted', withSet((s) => void (s.template.spec.destination = { name: '{{.cluster}}', namespace: 'kube-system' })), 'destination-not-permitted'],
    ['destination cluster not permitted', withSet((s) => void (s.generators = [{ list: { elements: elements('c3') } }])), 'destination-not-permitted'],
    ['destination by server where the project lists names', withSet((s) => void (s.template.spec.destination = { server: 'https://c1.example.com', namespace: 'web' })), 'destination-not-permitted'],
    ['destination with both name and server', withSet((s) => void (s.template.spec.destination = { name: '{{.cluster}}', server: 'https://x', namespace: 'web' })), 'destination-invalid'],
    ['source path missing', withSet((s) => void (s.generators = [{ list: { elements: [{ cluster: 'c1', path: 'clusters/c1/nope', env: 'prod' }] } }])), 'source-path-missing'],
    ['source path outside the repository', withSet((s) => void (s.generators = [{ list: { elements: [{ cluster: 'c1', path: '../elsewhere', env: 'prod' }] } }])), 'source-path-missing', /leaves/],
    ['repository not permitted by the project', withSet((s) => void (s.template.spec.source = { repoURL: 'https://github.com/evil/repo.git', path: 'x' })), 'source-repo-not-permitted'],
    ['unsupported template construct', withSet((s) => void (s.template.metadata.name = '{{ toYaml .cluster }}-web')), 'template-unsupported', /function call "toYaml"/],
    ['missing parameter', withSet((s) => void (s.template.metadata.name = '{{ .clustr }}-web')), 'template-error', /no entry for key "clustr"/],
    ['invalid sync wave', withSet((_s, m) => void (m.annotations = { 'argocd.argoproj.io/sync-wave': 'first' })), 'invalid-sync-wave'],
    ['no root Application', [bootstrapProject(), webProject(), appSet()], 'root-not-found'],
  ])('%s', (_name, objects, code, message) => {
    const r = expand(objects);
    expect(codes(r)).toContain(code);
    if (message) expect(r.findings.find((f) => f.code === code)?.message).toMatch(message);
  });

  it('names the ApplicationSet and field path of an unsupported construct and generates nothing from it', () => {
    const r = expand(withSet((s) => void (s.template.spec.destination = { name: '{{ .cluster | toYaml }}', namespace: 'web' })));
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'template-unsupported', object: 'ApplicationSet/web', field: 'spec.template.spec.destination.name' }),
    ]);
    expect(r.findings[0]?.message).toContain('function call "toYaml"');
    expect(r.applications.map((a) => a.name)).toEqual(['root']);
  });

  it('a render error in one element means no Applications from that set (the controller stops)', () => {
    const r = expand(withSet((s) => void (s.generators = [{ list: { elements: [...elements('c1'), { cluster: 'c2' }] } }])));
    expect(r.findings.filter((f) => f.code === 'template-error').map((f) => f.message)).toEqual([
      expect.stringMatching(/^element 1 of generator 0: .*no entry for key "env"/),
      expect.stringMatching(/generates no Applications/),
    ]);
    expect(r.applications.map((a) => a.name)).toEqual(['root']);
  });

  it('honours "*" in project destinations and repositories, and the in-cluster name', () => {
    const wildcard = project('web', [{ name: '*', namespace: 'web' }], ['*']);
    const inCluster = appSet('local', (s) => {
      s.generators = [{ list: { elements: [{ cluster: 'hub', path: 'clusters/c1/web', env: 'prod' }] } }];
      s.template.spec.project = 'bootstrap';
      s.template.spec.destination = { name: 'in-cluster', namespace: 'argocd' };
    });
    const r = expand([rootApp(), bootstrapProject(), wildcard, appSet('web', (s) => void (s.generators = [{ list: { elements: elements('c3') } }])), inCluster]);
    expect(r.findings).toEqual([]);
  });

  it('a deny entry wins over an allow entry', () => {
    const denying = project('web', [{ name: '*', namespace: 'web' }, { name: '!c2', namespace: '*' }]);
    const r = expand([rootApp(), bootstrapProject(), denying, appSet()]);
    expect(r.findings.map((f) => [f.code, f.object])).toEqual([['destination-not-permitted', 'Application/c2-web']]);
  });
});
