// The strategic merge of templatePatch against apimachinery's semantics (pkg/util/strategicpatch mergeMap at
// v0.34.0, as Argo CD v3.4.4 calls it with the typed Application): each case says what apimachinery does.
import { describe, expect, it } from 'vitest';

import { applicationShape } from '../../scripts/argocd/application-shape.ts';
import { asMarshalled, StrategicMergeError, strategicMerge, typeCheck } from '../../scripts/argocd/strategic-merge.ts';

const { shape } = applicationShape();
type J = Parameters<typeof strategicMerge>[0];

const app = (helm: Record<string, unknown>): J =>
  ({ metadata: { name: 'a', labels: { x: '1' } }, spec: { project: 'p', source: { repoURL: 'r', chart: 'c', helm }, syncPolicy: { syncOptions: ['A=1'], automated: { selfHeal: true } } } }) as J;

describe('merging', () => {
  it.each<[string, J, J, unknown]>([
    ['a new key under valuesObject is taken as it is', app({ valuesObject: { a: 1 } }), { spec: { source: { helm: { valuesObject: { tcp: { '1935': 'x' } } } } } } as J, { a: 1, tcp: { '1935': 'x' } }],
    ['a scalar under valuesObject replaces', app({ valuesObject: { a: 1 } }), { spec: { source: { helm: { valuesObject: { a: 2 } } } } } as J, { a: 2 }],
    ['null deletes a key', app({ valuesObject: { a: 1, b: 2 } }), { spec: { source: { helm: { valuesObject: { a: null } } } } } as J, { b: 2 }],
    ['nulls inside a new subtree are dropped', app({ valuesObject: { a: 1 } }), { spec: { source: { helm: { valuesObject: { n: { x: null, y: 1 } } } } } } as J, { a: 1, n: { y: 1 } }],
  ])('%s', (_name, original, patch, values) => {
    const merged = strategicMerge(original, patch, shape) as { spec: { source: { helm: { valuesObject: unknown } } } };
    expect(merged.spec.source.helm.valuesObject).toEqual(values);
  });

  it('merges maps of typed structs key by key and replaces lists', () => {
    const merged = strategicMerge(app({}), { metadata: { labels: { y: '2' } }, spec: { syncPolicy: { syncOptions: ['B=2'], automated: { prune: true } } } } as J, shape) as {
      metadata: { labels: unknown };
      spec: { syncPolicy: unknown };
    };
    expect(merged.metadata.labels).toEqual({ x: '1', y: '2' });
    expect(merged.spec.syncPolicy).toEqual({ syncOptions: ['B=2'], automated: { selfHeal: true, prune: true } });
  });

  it('replaces a value of another JSON type without looking it up', () => {
    const merged = strategicMerge(app({ valuesObject: { controller: 'x' } }), { spec: { source: { helm: { valuesObject: { controller: { a: 1 } } } } } } as J, shape) as never;
    expect(merged).toMatchObject({ spec: { source: { helm: { valuesObject: { controller: { a: 1 } } } } } });
  });

  it.each<[string, J, J, RegExp, string]>([
    [
      'a map key under valuesObject that the template also has (argo-cd#22850)',
      app({ valuesObject: { controller: { replicaCount: 2 } } }),
      { spec: { source: { helm: { valuesObject: { controller: { service: { annotations: { a: 'b' } } } } } } } } as J,
      /unable to find api field in struct RawExtension for the json field "controller"/,
      'spec.source.helm.valuesObject.controller',
    ],
    [
      'a list under valuesObject that the template also has',
      app({ valuesObject: { tolerations: [{ key: 'a' }] } }),
      { spec: { source: { helm: { valuesObject: { tolerations: [{ key: 'b' }] } } } } } as J,
      /RawExtension for the json field "tolerations"/,
      'spec.source.helm.valuesObject.tolerations',
    ],
    [
      'a map key no struct field has, on both sides',
      { spec: { project: 'p', sourc: { a: 1 } } } as J,
      { spec: { sourc: { b: 2 } } } as J,
      /unable to find api field in struct for the json field "sourc"/,
      'spec.sourc',
    ],
    ['an unknown directive', app({}), { spec: { $retainKeys: ['a'] } } as J, /directive/, 'spec.$retainKeys'],
  ])('fails: %s', (_name, original, patch, message, path) => {
    let error: unknown;
    try {
      strategicMerge(original, patch, shape);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrategicMergeError);
    expect((error as StrategicMergeError).message).toMatch(message);
    expect((error as StrategicMergeError).path).toBe(path);
  });

  it('honours $patch: replace and delete', () => {
    expect(strategicMerge(app({}), { spec: { syncPolicy: { $patch: 'replace', retry: { limit: 1 } } } } as J, shape)).toMatchObject({ spec: { syncPolicy: { retry: { limit: 1 } } } });
    expect((strategicMerge(app({}), { spec: { syncPolicy: { $patch: 'delete' } } } as J, shape) as { spec: { syncPolicy: unknown } }).spec.syncPolicy).toEqual({});
  });

  it('does not modify its inputs', () => {
    const original = app({ valuesObject: { a: 1 } });
    const patch = { spec: { source: { helm: { valuesObject: { a: null } } } } } as J;
    const copy = structuredClone([original, patch]);
    strategicMerge(original, patch, shape);
    expect([original, patch]).toEqual(copy);
  });
});

describe('decoding into the typed Application', () => {
  it.each<[string, unknown, string[]]>([
    ['a string where a bool is expected', { spec: { syncPolicy: { automated: { prune: 'true' } } } }, ['spec.syncPolicy.automated.prune']],
    ['a bool where a string is expected (YAML 1.1 `yes`)', { metadata: { labels: { tier: true } } }, ['metadata.labels.tier']],
    ['a map where a list is expected', { spec: { syncPolicy: { syncOptions: { a: 1 } } } }, ['spec.syncPolicy.syncOptions']],
    ['a fraction where an integer is expected', { spec: { syncPolicy: { retry: { limit: 1.5 } } } }, ['spec.syncPolicy.retry.limit']],
    ['anything under valuesObject', { spec: { source: { helm: { valuesObject: { x: [1, 'a', { b: true }] } } } } }, []],
    ['null anywhere', { spec: { syncPolicy: { automated: null } } }, []],
  ])('%s', (_name, value, paths) => {
    expect(typeCheck(value as never, shape).errors.map((e) => e.path)).toEqual(paths);
  });

  it('lists keys no field has (Go drops them), matching field names case-insensitively as encoding/json does', () => {
    expect(typeCheck({ spec: { syncPolicy: { automatic: { prune: true } }, Project: 'x' } } as never, shape).unknown).toEqual(['spec.syncPolicy.automatic']);
  });
});

describe('the Application as Argo CD marshals it', () => {
  it('drops omitempty zero values of scalars, maps and lists, keeps structs and opaque values', () => {
    expect(
      asMarshalled({ spec: { destination: { name: '', server: 'https://x', namespace: 'n' }, source: { helm: { valuesObject: { a: '' }, valueFiles: [] } }, syncPolicy: { automated: { prune: false } } } } as J, shape),
    ).toEqual({ spec: { destination: { server: 'https://x', namespace: 'n' }, source: { helm: { valuesObject: { a: '' } } }, syncPolicy: { automated: {} } } });
  });
});
