// Bad inventory through the real CLI: every error case exits 2, names file:line:col and field, and the
// previously generated tree stays byte-for-byte as it was (including the ledger).
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/gen.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let root: string;
let inventory: string;
let pristine: Map<string, string>;

const gen = async (): Promise<{ code: number; err: string }> => {
  const c = captureIo();
  const code = await main(['--inventory', inventory, '--out', root], c.io);
  return { code, err: c.err() };
};

/** Apply `edit` to one inventory file, run gen, restore the file; returns gen's result and the tree after. */
const withEdit = async (file: string, edit: (text: string) => string): Promise<{ code: number; err: string; changed: string[] }> => {
  const path = join(inventory, file);
  const original = await readFile(path, 'utf8');
  await writeFile(path, edit(original));
  try {
    const r = await gen();
    const after = await snapshotTree(root);
    const changed = [...new Set([...after.keys(), ...pristine.keys()])].filter(
      (k) => !k.startsWith('inventory/') && after.get(k) !== pristine.get(k),
    );
    return { ...r, changed };
  } finally {
    await writeFile(path, original);
  }
};

beforeAll(async () => {
  root = await tempDir('gen-bad');
  inventory = await copyInventory(DEFAULT_INVENTORY, root);
  expect((await gen()).code).toBe(0);
  pristine = await snapshotTree(root);
});
afterAll(async () => removeDir(root));

const cases = [
  { name: 'unknown environment', file: 'clusters.yaml', edit: (t: string) => t.replace('environment: staging', 'environment: qa'), expect: /inventory\/clusters\.yaml:\d+:\d+ clusters\[1\]\.environment: / },
  { name: 'misspelled key', file: 'clusters.yaml', edit: (t: string) => t.replace('    region: eu-west-1', '    regoin: eu-west-1'), expect: /clusters\.yaml:\d+:\d+ clusters\[\d\]\.regoin: unknown field "regoin" \(did you mean "region"\?\)/ },
  { name: 'unquoted version', file: 'environments/prod.yaml', edit: (t: string) => t.replace('xiu: "0.13.0"', 'xiu: 1.10'), expect: /environments\/prod\.yaml:\d+:\d+ versions\.xiu: .*1\.10/ },
  { name: 'promotion cycle', file: 'environments/staging.yaml', edit: (t: string) => t.replace('promotesTo: prod', 'promotesTo: dev'), expect: /promotesTo: promotion order has a cycle/ },
  { name: 'YAML syntax error', file: 'fleet.yaml', edit: (t: string) => t.replace('images:', 'images: [\n'), expect: /inventory\/fleet\.yaml:\d+:\d+ / },
];

describe('pnpm gen on a bad inventory', () => {
  it.each(cases)('$name: exit 2, names file:line:col field, writes nothing', async ({ file, edit, expect: pattern }) => {
    const r = await withEdit(file, edit);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.err).toContain('nothing was written');
    expect(r.changed).toEqual([]);
  });

  it('never writes on any random corruption of an inventory file (property)', async () => {
    const files = ['fleet.yaml', 'clusters.yaml', 'environments/dev.yaml', 'environments/prod.yaml'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.string({ maxLength: 12 }),
        async (file, at, cut, insert) => {
          const r = await withEdit(file, (t) => {
            const i = at % (t.length + 1);
            return t.slice(0, i) + insert + t.slice(i + cut);
          });
          // Either the edit was harmless (a comment, a value that stays valid) and gen wrote a consistent tree,
          // or it was rejected — bad input (2), or a renamed cluster that would remove Applications (5) — and
          // nothing changed.
          expect([0, 2, 5]).toContain(r.code);
          if (r.code !== 0) expect(r.changed).toEqual([]);
          if (r.code === 0 && r.changed.length > 0) {
            // Restore the generated tree for the next run.
            expect((await gen()).code).toBe(0);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
