// Two runs never interleave: while one real `gen` holds the tree's lock (paused in the middle of its write), a second
// real `gen` (or `gen --check`) exits 5 naming the holder; a lock whose process is gone is taken over with a note.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/gen.ts';
import { CliError, ExitCode } from '../../scripts/lib/exit-codes.ts';
import { acquireTreeLock } from '../../scripts/writer/lock.ts';
import { LOCK_FILE } from '../../scripts/writer/output-path.ts';
import { captureIo, copyInventory, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';
import { startGen } from './gen-process.ts';
import { snapshot } from './helpers.ts';

let root: string;
beforeAll(async () => {
  root = await tempDir('gen-lock');
  await copyInventory(SMALL_FLEET_INVENTORY, root);
  const c = captureIo();
  expect(await main(['--out', root], c.io)).toBe(0);
  const env = join(root, 'inventory', 'environments', 'dev.yaml');
  await writeFile(env, (await readFile(env, 'utf8')).replace(/(rtmp-origin:\n\s+replicas: )1/, '$12'));
}, 60_000);
afterAll(async () => removeDir(root));

/** A pid that is certainly not running: a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

const lockError = (command = 'test'): CliError => {
  try {
    acquireTreeLock(root, command).release();
  } catch (e) {
    return e as CliError;
  }
  throw new Error('the lock was taken');
};

describe('the tree lock', () => {
  it('a second real gen (and gen --check) exits 5 naming the first, paused mid-write; once it ends the next run writes', async () => {
    const first = startGen(['--out', root], 2);
    expect(await first.paused).toBe(true);
    const holder = JSON.parse(await readFile(join(root, LOCK_FILE), 'utf8')) as { pid: number; host: string; started: string; command: string };
    expect(holder).toMatchObject({ pid: first.child.pid, host: hostname(), command: 'pnpm gen' });
    const during = await snapshot(root);
    for (const args of [[], ['--check']]) {
      const second = await startGen(['--out', root, ...args]).exited;
      expect(second.code, second.stderr).toBe(ExitCode.Precondition);
      expect(second.stderr).toContain(`another run holds the lock of this tree: pid ${first.child.pid} on ${hostname()}, started ${holder.started} (pnpm gen)`);
      // The second run touched nothing: not the half-written tree, not the journal, not the lock.
      expect(await snapshot(root)).toEqual(during);
    }
    // End the first run: SIGINT rolls its write back and frees the lock; a new run then writes.
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(ExitCode.Interrupted);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
    const third = await startGen(['--out', root]).exited;
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/^1 file changed \(1 updated\)/);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  }, 120_000);

  it.each([
    ['a live process on this host', () => ({ pid: process.pid, host: hostname() }), /another run holds the lock of this tree: pid \d+ on .*\nwait for it to finish/],
    ['a process on another host', () => ({ pid: deadPid(), host: 'build-7.example' }), /on build-7\.example.*\nit runs on another host; wait for it, or if it is no longer running there, delete .*\.gen-lock/],
  ])('refuses (exit 5) a lock held by %s', async (_name, who, expected) => {
    await writeFile(join(root, LOCK_FILE), JSON.stringify({ ...who(), started: '2026-01-01T00:00:00.000Z', command: 'pnpm gen' }));
    try {
      const err = lockError();
      expect(err).toBeInstanceOf(CliError);
      expect(err.exitCode).toBe(ExitCode.Precondition);
      expect(err.message).toMatch(expected);
    } finally {
      await removeDir(join(root, LOCK_FILE));
    }
  });

  it('refuses a lock that is being written (unreadable, fresh) and takes over an unreadable old one', async () => {
    const abs = join(root, LOCK_FILE);
    await writeFile(abs, '');
    expect(lockError().message).toMatch(/another run is taking the lock of this tree/);
    const old = new Date(Date.now() - 60_000);
    await utimes(abs, old, old);
    const lock = acquireTreeLock(root, 'test');
    expect(lock.notes.join('\n')).toMatch(/^took over an unreadable lock from /);
    lock.release();
    expect(existsSync(abs)).toBe(false);
  });

  it('takes over the lock of a process that is gone (gen says so) and releases its own', async () => {
    const pid = deadPid();
    await writeFile(join(root, LOCK_FILE), JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'pnpm gen' }));
    const c = captureIo();
    expect(await main(['--out', root, '--check'], c.io)).toBe(0);
    expect(c.err()).toContain(`note: took over the lock of pid ${pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z (pnpm gen), which is no longer running`);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });
});
