import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '../../scripts/render/generated-file.ts';
import { checkTree, formatCheck, writeTree } from '../../scripts/writer/index.ts';
import { faultyFs, makeTmpDir, removeDir, snapshot, V1 } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTmpDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const V2: GeneratedFile[] = [
  ...V1.filter((f) => f.path !== 'apps/edge.yaml').map((f) =>
    f.path === 'base/streaming/origin/deployment.yaml' ? { ...f, content: 'kind: Deployment\nreplicas: 4\n' } : f,
  ),
  { path: 'apps/origin.yaml', content: 'name: origin\n' },
];

describe('checkTree', () => {
  it('is ok right after a write', async () => {
    await writeTree(dir, V1, { force: false });
    const result = await checkTree(dir, V1);
    expect(result.ok).toBe(true);
    expect(result.entries).toEqual([]);
    expect(formatCheck(result)).toBe('generated tree is up to date (4 files)');
  });

  it('reports creates, updates and deletes with a diff, and writes nothing', async () => {
    await writeTree(dir, V1, { force: false });
    const before = await snapshot(dir);
    const { fs, calls } = faultyFs();
    const result = await checkTree(dir, V2, { fs });
    expect(calls).toEqual([]);
    expect(await snapshot(dir)).toEqual(before);

    expect(result.ok).toBe(false);
    expect(result.ledgerStale).toBe(true);
    expect(result.entries).toEqual([
      { path: 'apps/edge.yaml', status: 'delete' },
      { path: 'apps/origin.yaml', status: 'create' },
      { path: 'base/streaming/origin/deployment.yaml', status: 'update' },
    ]);
    expect(result.diff).toEqual([
      '--- a/apps/edge.yaml',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-name: edge',
      '--- /dev/null',
      '+++ b/apps/origin.yaml',
      '@@ -0,0 +1 @@',
      '+name: origin',
      '--- a/base/streaming/origin/deployment.yaml',
      '+++ b/base/streaming/origin/deployment.yaml',
      '@@ -1,2 +1,2 @@',
      ' kind: Deployment',
      '-replicas: 1',
      '+replicas: 4',
    ]);
    const text = formatCheck(result);
    expect(text).toContain('  update      base/streaming/origin/deployment.yaml');
    expect(text.endsWith('run "pnpm gen" and commit the result')).toBe(true);
  });

  it('reports a missing tree as all creates', async () => {
    const result = await checkTree(join(dir, 'nothing-here'), V1);
    expect(result.ok).toBe(false);
    expect(result.entries.every((e) => e.status === 'create')).toBe(true);
    expect(await snapshot(dir)).toEqual({});
  });

  it('reports hand edits and foreign files with their reasons', async () => {
    await writeTree(dir, V1, { force: false });
    await writeFile(join(dir, 'apps/edge.yaml'), 'name: edge\n# local tweak\n');
    await writeFile(join(dir, 'apps/origin.yaml'), 'hand-written\n');
    const result = await checkTree(dir, [...V1, { path: 'apps/origin.yaml', content: 'name: origin\n' }]);
    expect(result.entries.map((e) => [e.path, e.status])).toEqual([
      ['apps/edge.yaml', 'handEdited'],
      ['apps/origin.yaml', 'foreign'],
    ]);
    expect(result.diff).toContain('-# local tweak');
    const text = formatCheck(result);
    expect(text).toContain('hand-edited apps/edge.yaml (was edited by hand since the last write)');
    expect(text).toContain('--force');
    expect(text).toContain('foreign     apps/origin.yaml');
  });

  it('flags a stale ledger even when every file matches', async () => {
    // A hand-written file identical to the output would be adopted: only the ledger changes.
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'apps/edge.yaml'), 'name: edge\n');
    const result = await checkTree(dir, [{ path: 'apps/edge.yaml', content: 'name: edge\n' }]);
    expect(result.entries).toEqual([]);
    expect(result.ledgerStale).toBe(true);
    expect(result.ok).toBe(false);
    expect(formatCheck(result)).toContain('.gen-ledger.json would be rewritten');
  });

  it('caps the diff and says what was cut', async () => {
    const big = Array.from({ length: 30 }, (_, i) => ({
      path: `apps/f${String(i).padStart(2, '0')}.yaml`,
      content: Array.from({ length: 10 }, (_, j) => `line ${j}`).join('\n') + '\n',
    }));
    const result = await checkTree(dir, big, { maxDiffLines: 50 });
    expect(result.diff).toHaveLength(50);
    // 30 files x (3 header lines + 10 lines) = 390 lines; 340 cut, in 27 files (the 4th is partly shown).
    expect(result.diffCut).toEqual({ lines: 340, files: 27 });
    expect(formatCheck(result)).toContain('... diff cut: 340 more lines in 27 files not shown');
  });
});
