// Managed regions: the writer owns a marked block of a hand-written file and nothing else of it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTree, writeTree } from '../../scripts/writer/index.ts';
import { spliceRegion } from '../../scripts/writer/regions.ts';
import { removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let root: string;
const README = ['# Title', 'hand-written intro', '<!-- BEGIN GENERATED diagram -->', 'old', '<!-- END GENERATED diagram -->', 'hand-written outro', ''].join('\n');
const region = (content: string): { path: string; region: string; content: string } => ({ path: 'README.md', region: 'diagram', content });
const other = { path: 'apps/a.yaml', content: 'a: 1\n' };

beforeEach(async () => {
  root = await tempDir('regions');
  await writeFile(join(root, 'README.md'), README);
});
afterEach(async () => removeDir(root));

describe('managed regions', () => {
  it('replaces only the block, records it in the ledger, and a rerun writes nothing', async () => {
    const r = await writeTree(root, [other, region('new 1\nnew 2\n')], { force: false });
    expect(r.updated).toEqual(['README.md']);
    const text = await readFile(join(root, 'README.md'), 'utf8');
    expect(text).toBe(README.replace('old\n', 'new 1\nnew 2\n'));
    expect(await readFile(join(root, '.gen-ledger.json'), 'utf8')).toContain('"README.md#diagram"');
    const again = await writeTree(root, [other, region('new 1\nnew 2\n')], { force: false });
    expect(again.changed).toBe(0);
  });

  it('leaves hand edits outside the block alone and keeps them when the block changes', async () => {
    await writeTree(root, [other, region('v1\n')], { force: false });
    const path = join(root, 'README.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('hand-written outro', 'edited outro'));
    expect((await checkTree(root, [other, region('v1\n')])).ok).toBe(true);
    await writeTree(root, [other, region('v2\n')], { force: false });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('edited outro');
    expect(text).toContain('\nv2\n');
  });

  it('refuses a hand edit inside the block unless --force', async () => {
    await writeTree(root, [other, region('v1\n')], { force: false });
    const path = join(root, 'README.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('\nv1\n', '\nmine\n'));
    const before = await snapshotTree(root);
    await expect(writeTree(root, [other, region('v2\n')], { force: false })).rejects.toMatchObject({ exitCode: 3 });
    expect(await snapshotTree(root)).toEqual(before);
    await writeTree(root, [other, region('v2\n')], { force: true });
    expect(await readFile(path, 'utf8')).toContain('\nv2\n');
  });

  it('refuses a file whose markers are gone, and skips a file that does not exist', async () => {
    await writeFile(join(root, 'README.md'), '# no markers\n');
    await expect(writeTree(root, [other, region('x\n')], { force: false })).rejects.toMatchObject({ exitCode: 3 });
    const empty = await tempDir('regions-empty');
    try {
      const r = await writeTree(empty, [other, region('x\n')], { force: false });
      expect(r.created).toEqual(['apps/a.yaml']);
      expect(await readFile(join(empty, '.gen-ledger.json'), 'utf8')).not.toContain('README.md#');
    } finally {
      await removeDir(empty);
    }
  });

  it.each([
    ['begin marker missing', 'x\n<!-- END GENERATED d -->\n', /no managed region "d"/],
    ['two pairs', '<!-- BEGIN GENERATED d -->\n<!-- END GENERATED d -->\n<!-- BEGIN GENERATED d -->\n<!-- END GENERATED d -->\n', /more than one pair/],
    ['end before begin on one line', '<!-- BEGIN GENERATED d --> <!-- END GENERATED d -->\n', /must be followed by a line break|must start its own line/],
  ])('splice rejects: %s', (_, text, message) => {
    const r = spliceRegion(text, 'd', 'body\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(message);
  });
});
