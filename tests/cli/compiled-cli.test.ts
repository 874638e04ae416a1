// The compiled CLI (bin/streamfleet.mjs → bin/build-cli.mjs → one esbuild bundle) behaves exactly like the
// TypeScript sources: same output, same exit codes, and the committed data files that modules read at run time
// (chart catalogs, known fields, Argo CD's health kinds and Application shape) are found from the bundle's folder.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sourceKey } from '../../bin/build-cli.mjs';
import { main as apps } from '../../scripts/cli/apps.ts';
import { main as entry } from '../../scripts/cli/streamfleet.ts';
import { main as fleet } from '../../scripts/cli/fleet.ts';
import { main as gen } from '../../scripts/cli/gen.ts';
import type { Io } from '../../scripts/lib/io.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';

const LAUNCHER = join(import.meta.dirname, '..', '..', 'bin', 'streamfleet.mjs');

const compiled = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', env: { ...process.env, STREAMFLEET_PROGRESS: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const fromSource = async (main: (argv: string[], io?: Io) => Promise<number>, args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
};

let root: string;
let inventory: string;

beforeAll(async () => {
  // Built once here (concurrent test files may build too: each builds into its own folder and renames it).
  await ensureBuilt();
  root = await tempDir('compiled-cli');
  inventory = await copyInventory(DEFAULT_INVENTORY, root);
  expect(await gen(['--inventory', inventory, '--out', root], captureIo().io)).toBe(0);
}, 120_000);
afterAll(async () => removeDir(root));

describe('the compiled CLI', () => {
  it('is built under .cache/cli/<hash of its sources>/', async () => {
    expect(await ensureBuilt()).toContain(join('.cache', 'cli', sourceKey(), 'streamfleet.js'));
  });

  it('lists the commands and answers help like the sources', async () => {
    expect(compiled(['help'])).toEqual({ code: 0, out: (await fromSource(entry, ['help'])).out, err: '' });
    expect(compiled(['gen', '--help'])).toEqual({ ...(await fromSource(entry, ['gen', '--help'])), code: 0 });
    const usage = compiled(['validate', '--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: pnpm validate');
  });

  it('gen --check, fleet --format json and apps --format json print what the sources print', async () => {
    for (const [main, args] of [
      [gen, ['gen', '--check', '--inventory', inventory, '--out', root]],
      [fleet, ['fleet', '--format', 'json', '--inventory', inventory]],
      [apps, ['apps', '--format', 'json', '--root', root]],
    ] as const) {
      const source = await fromSource(main, args.slice(1));
      expect(compiled([...args]), args.join(' ')).toEqual(source);
    }
  }, 120_000);
});
