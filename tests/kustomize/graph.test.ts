// The kustomization graph: duplicate keys with their lines, input digests that change with any input, and the
// patch-target matching Kustomize does (anchored regular expressions, label selectors).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { duplicateKeysOf, GraphReader } from '../../scripts/kustomize/kustomization-graph.ts';
import { matchesSelector, targetMatches } from '../../scripts/kustomize/silent-failures.ts';
import type { RenderedObject } from '../../scripts/policy/types.ts';
import { removeTree, writeTree } from './fixtures.ts';

describe('duplicateKeysOf', () => {
  it('finds repeated keys at any depth with their lines', () => {
    const { duplicates } = duplicateKeysOf('a: 1\nb:\n  c: 1\n  c: 2\na: 3\nlist:\n  - x: 1\n    x: 2\n');
    expect(duplicates).toEqual([
      { key: 'b.c', line: 4 },
      { key: 'a', line: 5 },
      { key: 'list[0].x', line: 8 },
    ]);
  });
});

describe('GraphReader', () => {
  let root: string;
  beforeAll(() => {
    root = writeTree({
      'app/kustomization.yaml': 'resources: [../base, extra.yaml]\ncomponents: [../comp]\npatches:\n  - path: ../patches/p.yaml\n    target: {kind: Deployment}\n',
      'app/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\n',
      'base/kustomization.yaml': 'resources: [d.yaml]\n',
      'base/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
      'comp/kustomization.yaml': 'kind: Component\nimages: [{name: nginx, newTag: "1"}]\n',
      'patches/p.yaml': '[]\n',
      'remote/kustomization.yaml': 'resources: [https://example.com/x.yaml]\n',
    });
  });
  afterAll(() => removeTree(root));

  it('walks resources and components and digests every input file', () => {
    const graph = new GraphReader(root).graph('app');
    expect(graph.nodes.map((n) => n.dir)).toEqual(['app', 'base', 'comp']);
    expect(graph.nodes[0]!.resourceFiles).toEqual(['app/extra.yaml', 'patches/p.yaml']);
    expect(graph.nodes[0]!.patches).toEqual([{ index: 0, target: { kind: 'Deployment' }, line: 4 }]);
    expect(graph.nodes[2]!.images).toEqual([{ index: 0, name: 'nginx', line: 2 }]);
    const before = graph.digest;
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    for (const file of ['base/d.yaml', 'comp/kustomization.yaml', 'patches/p.yaml']) {
      writeFileSync(join(root, file), `# changed\n${file}`);
      expect(new GraphReader(root).graph('app').digest, file).not.toBe(before);
    }
  });

  it('never caches a build that reads a URL', () => {
    expect(new GraphReader(root).graph('remote').digest).toBeUndefined();
  });
});

describe('patch target matching', () => {
  const obj = (kind: string, name: string, labels: Record<string, string> = {}): RenderedObject => ({
    apiVersion: 'apps/v1',
    kind,
    name,
    namespace: 'media',
    effectiveNamespace: 'media',
    doc: 1,
    raw: { metadata: { name, labels } },
  });

  it('matches kind and name as anchored regular expressions, group and version exactly', () => {
    expect(targetMatches({ kind: 'Deployment', name: 'web' }, obj('Deployment', 'web'))).toBe(true);
    expect(targetMatches({ name: 'we' }, obj('Deployment', 'web'))).toBe(false);
    expect(targetMatches({ name: 'web-.*' }, obj('Deployment', 'web-1'))).toBe(true);
    expect(targetMatches({ group: 'apps', version: 'v1' }, obj('Deployment', 'web'))).toBe(true);
    expect(targetMatches({ group: '' }, obj('Deployment', 'web'))).toBe(false);
  });

  it('evaluates equality-based selectors', () => {
    expect(matchesSelector('tier=edge,!canary', { tier: 'edge' })).toBe(true);
    expect(matchesSelector('tier!=edge', { tier: 'edge' })).toBe(false);
    expect(matchesSelector('tier', {})).toBe(false);
  });
});
