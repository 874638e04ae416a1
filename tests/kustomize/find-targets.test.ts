import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import { removeTree, writeTree } from './fixtures.ts';

const roots: string[] = [];
afterAll(() => roots.forEach(removeTree));

describe('findClusterStackTargets', () => {
  it('lists clusters/<cluster>/<stack> folders with a kustomization.yaml, sorted', async () => {
    const root = writeTree({
      'clusters/zeta/media/kustomization.yaml': 'resources: []\n',
      'clusters/alpha/media/kustomization.yaml': 'resources: []\n',
      'clusters/alpha/edge/kustomization.yaml': 'resources: []\n',
      'clusters/alpha/empty/README.md': 'no kustomization here\n',
      'clusters/alpha/kustomization.yaml': 'resources: []\n',
      'clusters/README.md': '\n',
      'base/media/web/kustomization.yaml': 'resources: []\n',
    });
    roots.push(root);
    const targets = await findClusterStackTargets(root);
    expect(targets.map((t) => t.path)).toEqual(['clusters/alpha/edge', 'clusters/alpha/media', 'clusters/zeta/media']);
    expect(targets[0]).toEqual({
      cluster: 'alpha',
      stack: 'edge',
      path: 'clusters/alpha/edge',
      dir: join(root, 'clusters', 'alpha', 'edge'),
    });
  });

  it('returns [] when there is no clusters folder', async () => {
    const root = writeTree({ 'README.md': '\n' });
    roots.push(root);
    expect(await findClusterStackTargets(root)).toEqual([]);
  });
});
