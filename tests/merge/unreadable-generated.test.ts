// A generated file or ledger that cannot be read (git conflict markers, broken YAML) stops `pnpm gen` with exit 5,
// the file, the line and the fix, never a parser's stack trace; and the merge driver's ledger merge, path by path.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as gen } from '../../scripts/cli/gen.ts';
import { firstConflictMarker } from '../../scripts/lib/conflict-markers.ts';
import { mergeLedgers } from '../../scripts/merge/merge-ledger.ts';
import { makeLedger } from '../../scripts/writer/ledger.ts';
import { captureIo, copyInventory, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';

let root: string;
beforeAll(async () => {
  root = await tempDir('unreadable-generated');
  await copyInventory(SMALL_FLEET_INVENTORY, root);
  expect(await gen(['--out', root], captureIo().io)).toBe(0);
});
afterAll(async () => removeDir(root));

const conflicted = (text: string, at: string): string =>
  text.replace(at, `<<<<<<< HEAD\n${at}=======\n${at.replace(/\w+/, 'other')}>>>>>>> feature\n`);

/** gen on the tree with `path` replaced by `edit(content)`; the file is put back afterwards. */
const genWith = async (path: string, edit: (text: string) => string): Promise<{ code: number; err: string }> => {
  const abs = join(root, path);
  const before = await readFile(abs, 'utf8');
  await writeFile(abs, edit(before));
  try {
    const c = captureIo();
    const code = await gen(['--out', root], c.io);
    return { code, err: c.err() };
  } finally {
    await writeFile(abs, before);
  }
};

describe('unreadable generated files', () => {
  it('names a conflicted ApplicationSet, a broken one and a conflicted generated file, exit 5, no stack trace', async () => {
    const appset = 'apps/streaming-applicationset.yaml';
    const markers = await genWith(appset, (t) => conflicted(t, t.split('\n').slice(3, 4).join('') + '\n'));
    expect(markers).toMatchObject({ code: 5 });
    expect(markers.err).toMatch(/^apps\/streaming-applicationset\.yaml:4: has unresolved merge conflicts .*pnpm resolve/);

    const broken = await genWith(appset, (t) => t.replace(/\n {2}generators:/, '\n  generators: [unclosed\n  x:'));
    expect(broken.code).toBe(5);
    expect(broken.err).toMatch(/^apps\/streaming-applicationset\.yaml:\d+: this generated ApplicationSet cannot be read \(not valid YAML: /);
    expect(broken.err).toContain('git checkout HEAD -- apps/streaming-applicationset.yaml');

    const file = 'clusters/dev-a/streaming/kustomization.yaml';
    const other = await genWith(file, (t) => conflicted(t, t.split('\n').slice(1, 2).join('') + '\n'));
    expect(other.code).toBe(5);
    expect(other.err).toContain(`  ${file}:2\n`);
    for (const r of [markers, broken, other]) expect(r.err).not.toMatch(/YAMLException|\n\s+at /);
  });

  it('finds markers as git does, but not a Markdown heading underline', () => {
    expect(firstConflictMarker('a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n')).toBe(2);
    expect(firstConflictMarker('Title\n=======\n')).toBeUndefined();
    expect(firstConflictMarker('<<<<<<<< eight\n')).toBeUndefined();
  });
});

describe('the merge driver\'s ledger merge', () => {
  const h = (c: string): string => c.repeat(64);
  const ledger = (entries: Record<string, string>): ReturnType<typeof makeLedger> => makeLedger(Object.entries(entries).map(([path, sha256]) => ({ path, sha256 })));

  it('takes the side that changed a path, ours when both did, and drops a region both changed', () => {
    const base = ledger({ same: h('0'), theirsChanged: h('0'), oursChanged: h('0'), both: h('0'), theirsDeleted: h('0'), 'README.md#r': h('0') });
    const ours = ledger({ same: h('0'), theirsChanged: h('0'), oursChanged: h('1'), both: h('1'), theirsDeleted: h('0'), oursAdded: h('1'), 'README.md#r': h('1') });
    const theirs = ledger({ same: h('0'), theirsChanged: h('2'), oursChanged: h('0'), both: h('2'), theirsAdded: h('2'), 'README.md#r': h('2') });
    expect(Object.fromEntries(mergeLedgers(base, ours, theirs).files.map((e) => [e.path, e.sha256]))).toEqual({
      same: h('0'),
      theirsChanged: h('2'),
      oursChanged: h('1'),
      both: h('1'),
      oursAdded: h('1'),
      theirsAdded: h('2'),
    });
  });
});
