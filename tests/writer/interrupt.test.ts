// Interrupting the real `pnpm gen` at every step of its write: SIGINT, SIGTERM and SIGHUP roll back (exit 130, 143,
// 129) or, once the new ledger is in place, let the write finish; SIGKILL leaves a journal that the next run completes
// or rolls back, saying so. Either way the tree is the old one or the new one byte for byte, never a mix, with no
// staging folder, journal or lock left, and the next `gen` ends with `gen --check` clean.
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/gen.ts';
import { ExitCode } from '../../scripts/lib/exit-codes.ts';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import { sha256Hex } from '../../scripts/writer/hash.ts';
import { parseLedger, serializeLedger, makeLedger } from '../../scripts/writer/ledger.ts';
import { captureIo, copyInventory, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';
import { startGen } from './gen-process.ts';
import { snapshot } from './helpers.ts';

let work: string;
/** The tree before the write: generated, then the inventory edited, a stale generated file added, a folder removed. */
let oldDir: string;
let OLD: Record<string, string>;
let NEW: Record<string, string>;

const genInProcess = async (root: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(['--out', root, ...argv], c.io);
  return { code, out: c.out(), err: c.err() };
};

const freshCopy = async (name: string): Promise<string> => {
  const root = join(work, name);
  await rm(root, { recursive: true, force: true });
  await cp(oldDir, root, { recursive: true });
  return root;
};

beforeAll(async () => {
  work = await tempDir('gen-interrupt');
  oldDir = join(work, 'old');
  await copyInventory(SMALL_FLEET_INVENTORY, oldDir);
  expect((await genInProcess(oldDir)).code).toBe(0);
  // An update: dev's origin replicas.
  const env = join(oldDir, 'inventory', 'environments', 'dev.yaml');
  const text = await readFile(env, 'utf8');
  expect(text).toMatch(/rtmp-origin:\n\s+replicas: 1/);
  await writeFile(env, text.replace(/(rtmp-origin:\n\s+replicas: )1/, '$12'));
  // A prune that empties a folder: a file the ledger says the generator wrote, no longer produced.
  const stale = 'base/retired/kustomization.yaml';
  await cp(join(oldDir, 'overlays/dev/streaming/player'), join(oldDir, 'base/retired'), { recursive: true });
  const ledgerPath = join(oldDir, LEDGER_FILE);
  const ledger = parseLedger(await readFile(ledgerPath, 'utf8'));
  const staleBytes = await readFile(join(oldDir, stale));
  await writeFile(ledgerPath, serializeLedger(makeLedger([...ledger.files, { path: stale, sha256: sha256Hex(staleBytes) }])));
  // A new folder moved in whole: a generated folder deleted by hand.
  await rm(join(oldDir, 'overlays/dev/streaming/ott-cas'), { recursive: true });
  OLD = await snapshot(oldDir);
  const reference = await freshCopy('reference');
  const r = await genInProcess(reference);
  expect(r.out).toMatch(/^3 files changed \(1 created, 1 updated, 1 deleted\)/);
  NEW = await snapshot(reference);
  expect(NEW).not.toEqual(OLD);
}, 60_000);
afterAll(async () => removeDir(work));

/** The tree is the old or the new one exactly (no journal, lock or staging folder either); which one. */
const whichTree = (snap: Record<string, string>): 'old' | 'new' | 'mixed' => {
  const s = JSON.stringify(snap);
  return s === JSON.stringify(OLD) ? 'old' : s === JSON.stringify(NEW) ? 'new' : 'mixed';
};

/** The next run: --check first (recovers, then says whether the tree is current), then gen, then --check clean. */
const nextRunsEndClean = async (root: string): Promise<{ recovered: 'old' | 'new' | 'mixed'; note: string }> => {
  const check = await genInProcess(root, '--check');
  const recovered = whichTree(await snapshot(root));
  expect(check.code).toBe(recovered === 'new' ? ExitCode.Ok : ExitCode.Findings);
  expect((await genInProcess(root)).code).toBe(ExitCode.Ok);
  const clean = await genInProcess(root, '--check');
  expect(clean.code, clean.out).toBe(ExitCode.Ok);
  expect(whichTree(await snapshot(root))).toBe('new');
  return { recovered, note: check.err };
};

const EXPECTED_CODE = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

type Outcome = { readonly signal: NodeJS.Signals; readonly root: string; readonly tree: 'old' | 'new' | 'mixed' | 'ran-through' };

/** One real gen per signal, all paused at `step` at once (each in its own copy), then signalled; what each left. */
const killAllAt = async (step: number, signals: readonly NodeJS.Signals[]): Promise<Outcome[]> =>
  Promise.all(
    signals.map(async (signal): Promise<Outcome> => {
      const root = await freshCopy(`s${step}-${signal}`);
      const gen = startGen(['--out', root], step);
      if (!(await gen.paused)) {
        // There is no step `step`: the write ran to the end without pausing.
        const done = await gen.exited;
        expect(done.code, done.stderr).toBe(0);
        return { signal, root, tree: 'ran-through' };
      }
      gen.child.kill(signal);
      const exit = await gen.exited;
      const label = `step ${step}, ${signal}: ${exit.stderr}`;
      if (signal === 'SIGKILL') {
        expect(exit.signal, label).toBe('SIGKILL');
        return { signal, root, tree: 'mixed' };
      }
      expect(exit.code, label).toBe(EXPECTED_CODE[signal as keyof typeof EXPECTED_CODE]);
      const tree = whichTree(await snapshot(root));
      expect(tree, label).not.toBe('mixed');
      expect(exit.stderr, label).toMatch(
        tree === 'old'
          ? /stopped by SIG\w+ while writing the generated tree\nthe previous tree was restored; nothing changed/
          : /stopped by SIG\w+ after the new tree was written completely/,
      );
      return { signal, root, tree };
    }),
  );

describe('interrupting the real gen process at every step of the write', () => {
  it('SIGINT, SIGTERM and SIGKILL at each step (and SIGHUP at the first) leave the old or the new tree, never a mix', async () => {
    const started = Date.now();
    const seen: string[] = [];
    let steps = 0;
    for (let step = 1; ; step++) {
      const outcomes = await killAllAt(step, ['SIGINT', 'SIGTERM', 'SIGKILL', ...(step === 1 ? (['SIGHUP'] as const) : [])]);
      if (outcomes.some((o) => o.tree === 'ran-through')) {
        expect(outcomes.every((o) => o.tree === 'ran-through')).toBe(true);
        break;
      }
      steps = step;
      for (const o of outcomes) {
        if (o.signal === 'SIGKILL') {
          // The kill left a journal (from step 1 on): the next run says what it did, and the tree is whole again.
          const { recovered, note } = await nextRunsEndClean(o.root);
          expect(recovered, `step ${step}`).not.toBe('mixed');
          expect(note, `step ${step}`).toMatch(/note: an interrupted "pnpm gen" \(pid \d+ on .*\) (was rolled back: the tree is as it was before that run|had written the new tree completely)/);
          expect(note).toMatch(/note: took over the lock of pid \d+ .*which is no longer running/);
          seen.push(`${step}:${o.signal}:${recovered}`);
        } else {
          // The tree was checked exactly; the next gen then brings it up to date once per step.
          if (o.signal === 'SIGINT') await nextRunsEndClean(o.root);
          seen.push(`${step}:${o.signal}:${o.tree}`);
        }
        await rm(o.root, { recursive: true, force: true });
      }
    }
    // staging, 2 backups, 1 folder removed, 1 folder and 1 file moved in, the ledger, then commit, tidy, journal.
    expect(steps).toBe(10);
    // Before the ledger rename (step 7) every signal rolls back; from it on the write completes.
    expect(seen.filter((s) => s.endsWith(':old')).map((s) => Number(s.split(':')[0])).every((n) => n <= 7)).toBe(true);
    expect(seen.filter((s) => s.endsWith(':new')).map((s) => Number(s.split(':')[0])).every((n) => n >= 8)).toBe(true);
    console.log(`interrupt test: ${steps} steps, ${seen.length} interrupted runs in ${Math.round((Date.now() - started) / 1000)} s: ${seen.join(' ')}`);
  }, 900_000);
});
