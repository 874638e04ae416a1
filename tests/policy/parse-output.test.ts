// Build output → objects: YAML errors and repeated keys, documents without an identity, effective namespaces.
import { describe, expect, it } from 'vitest';

import { parseBuildOutput } from '../../scripts/schemas/parse-output.ts';

describe('parseBuildOutput', () => {
  it('reports invalid YAML and repeated keys as schema/yaml', () => {
    expect(parseBuildOutput('a: [1\n', 'ns', 'f').findings).toMatchObject([{ rule: 'schema/yaml', file: 'f', message: expect.stringContaining('is not valid YAML') }]);
    expect(parseBuildOutput('kind: A\nkind: B\n', 'ns', 'f').findings).toMatchObject([{ rule: 'schema/yaml', message: expect.stringContaining('repeats a key') }]);
  });

  it('reports documents that are not objects or have no identity as schema/identity', () => {
    const out = parseBuildOutput('- a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\n', 'ns', 'f');
    expect(out.findings.map((f) => [f.rule, f.message])).toEqual([
      ['schema/identity', 'document 1 is not a mapping'],
      ['schema/identity', 'document 2 has no metadata.name'],
    ]);
  });

  it('gives namespaced objects the default namespace and cluster-scoped ones none', () => {
    const out = parseBuildOutput(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c, namespace: x}\n',
      'media',
      'f',
    );
    expect(out.objects.map((o) => [o.kind, o.effectiveNamespace, o.doc])).toEqual([
      ['ConfigMap', 'media', 1],
      ['Namespace', undefined, 2],
      ['Service', 'x', 3],
    ]);
  });
});
