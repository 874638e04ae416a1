import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { loadInventory, readInventorySources } from '../../scripts/inventory/read-inventory.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';

describe('readInventorySources', () => {
  let dir = '';
  beforeAll(async () => {
    // Outside the working directory, so file names are reported as given.
    dir = await mkdtemp(join(tmpdir(), 'inventory-test-'));
    await mkdir(join(dir, 'environments', 'nested.yaml'), { recursive: true }); // a folder, not a file
    await writeFile(join(dir, 'fleet.yaml'), await readFile('inventory/fleet.yaml', 'utf8'));
    await writeFile(join(dir, 'environments', 'b.yaml'), 'syncPolicy: {}\n');
    await writeFile(join(dir, 'environments', 'a.yaml'), 'syncPolicy: {}\n');
    await writeFile(join(dir, 'environments', 'README.md'), '# not inventory\n');
    await writeFile(join(dir, 'environments', 'c.yml'), 'syncPolicy: {}\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads fleet, clusters and sorted environment files, skipping missing files and non-YAML', async () => {
    const sources = await readInventorySources(dir);
    const posixDir = dir.split('\\').join('/');
    expect(sources.map((s) => s.file)).toEqual([
      `${posixDir}/fleet.yaml`,
      `${posixDir}/environments/a.yaml`,
      `${posixDir}/environments/b.yaml`,
      `${posixDir}/environments/c.yml`, // read so that the parser can report it
    ]);
  });

  it('names files with the given repo-relative prefix', async () => {
    const sources = await readInventorySources(dir, 'inventory');
    expect(sources.map((s) => s.file)).toEqual([
      'inventory/fleet.yaml',
      'inventory/environments/a.yaml',
      'inventory/environments/b.yaml',
      'inventory/environments/c.yml',
    ]);
  });

  it('lets the parser report the missing clusters file', async () => {
    const err = await loadInventory(dir, TEST_CATALOG).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InventoryError);
    const posixDir = dir.split('\\').join('/');
    expect((err as InventoryError).issues).toContainEqual(
      expect.objectContaining({ file: `${posixDir}/clusters.yaml`, line: 0, col: 0, field: '(file)' }),
    );
  });

  it('returns nothing for a folder that does not exist', async () => {
    expect(await readInventorySources(join(dir, 'nope'))).toEqual([]);
  });
});
