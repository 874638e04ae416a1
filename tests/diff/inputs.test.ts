// The content-hash key: which files a kustomization reads, and that the key moves exactly when they change.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { inputKey } from '../../scripts/diff/input-key.ts';
import { collectInputs, referencesOf } from '../../scripts/diff/kustomize-inputs.ts';
import { removeTree, writeTree } from '../kustomize/fixtures.ts';

const roots: string[] = [];
const tree = (files: Record<string, string>): string => {
  const root = writeTree(files, 'diff-inputs-');
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const r of roots.splice(0)) removeTree(r);
});

const TREE = {
  'base/web/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'base/web/deployment.yaml': 'kind: Deployment\n',
  'overlays/dev/web/kustomization.yaml': 'kind: Component\nimages:\n  - name: web\n    newTag: "1"\npatches:\n  - path: patch.yaml\n',
  'overlays/dev/web/patch.yaml': '- op: add\n',
  'clusters/a/media/kustomization.yaml':
    'resources:\n  - ../../../base/web\n  - ingress.yaml\ncomponents:\n  - ../../../overlays/dev/web\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - app.conf=files/app.conf\n',
  'clusters/a/media/ingress.yaml': 'kind: Ingress\n',
  'clusters/a/media/files/app.conf': 'x=1\n',
  'clusters/b/media/kustomization.yaml': 'resources:\n  - ../../../base/web\n',
  'unrelated/README.md': 'hello\n',
};

describe('collectInputs', () => {
  it('follows resources, components, patches and generator files across folders', async () => {
    const root = tree(TREE);
    const inputs = await collectInputs(root, 'clusters/a/media');
    expect(inputs.cacheable).toBe(true);
    expect(inputs.missing).toEqual([]);
    expect(inputs.files).toEqual([
      'base/web/deployment.yaml',
      'base/web/kustomization.yaml',
      'clusters/a/media/files/app.conf',
      'clusters/a/media/ingress.yaml',
      'clusters/a/media/kustomization.yaml',
      'overlays/dev/web/kustomization.yaml',
      'overlays/dev/web/patch.yaml',
    ]);
  });

  it('a remote base, a Helm chart or a path outside the tree makes the build uncacheable', async () => {
    expect(referencesOf({ resources: ['github.com/org/repo//deploy?ref=v1'] }).remote).toBe(true);
    expect(referencesOf({ resources: ['https://example.com/all.yaml'] }).remote).toBe(true);
    expect(referencesOf({ helmCharts: [{ name: 'x' }] }).remote).toBe(true);
    expect(referencesOf({ patchesStrategicMerge: ['kind: X\nmetadata: {}\n'] }).refs).toEqual([]);
    const root = tree({ 'clusters/x/s/kustomization.yaml': 'resources:\n  - ../../../../elsewhere\n' });
    expect((await collectInputs(root, 'clusters/x/s')).cacheable).toBe(false);
    expect((await inputKey(root, 'clusters/x/s', 'kustomize v5')).key).toBeUndefined();
  });

  it('a folder that does not exist at this revision is listed as missing, not thrown', async () => {
    const root = tree({ 'README.md': 'x\n' });
    expect(await collectInputs(root, 'clusters/gone/streaming')).toEqual({ files: [], missing: ['clusters/gone/streaming'], cacheable: true });
  });

  it('lists a referenced file that does not exist as missing', async () => {
    const root = tree({ 'clusters/x/s/kustomization.yaml': 'resources:\n  - gone.yaml\n' });
    expect((await collectInputs(root, 'clusters/x/s')).missing).toEqual(['clusters/x/s/gone.yaml']);
  });
});

describe('inputKey', () => {
  it('changes when a file the build reads changes, and only then', async () => {
    const root = tree(TREE);
    const key = async (): Promise<string | undefined> => (await inputKey(root, 'clusters/a/media', 'kustomize v5.5.0')).key;
    const first = await key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(root, 'unrelated', 'README.md'), 'changed\n');
    writeFileSync(join(root, 'clusters', 'b', 'media', 'kustomization.yaml'), 'resources: []\n');
    expect(await key()).toBe(first);
    writeFileSync(join(root, 'overlays', 'dev', 'web', 'patch.yaml'), '- op: replace\n');
    expect(await key()).not.toBe(first);
  });

  it('depends on the engine version and on where the tree is not', async () => {
    const a = tree(TREE);
    const b = tree(TREE);
    const k = async (root: string, engine: string): Promise<string | undefined> => (await inputKey(root, 'clusters/a/media', engine)).key;
    expect(await k(a, 'kustomize v5.5.0')).toBe(await k(b, 'kustomize v5.5.0'));
    expect(await k(a, 'kustomize v5.5.0')).not.toBe(await k(a, 'kustomize v5.6.0'));
  });
});
