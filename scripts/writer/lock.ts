// One run at a time per output tree. A stalled `pnpm gen` that resumes after a newer run must not write over that
// run's output, and a reader must not see a tree half-way through a write. The lock is a file created exclusively
// (O_EXCL, flag 'wx') holding who took it; a second run stops with exit 5 and names the holder. A lock whose process
// is gone (same host, pid no longer running: a SIGKILL, a crash) is stale and is taken over with a note.
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as nodePath from 'node:path';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { LOCK_FILE, toAbsolute } from './output-path.ts';
import { errnoCode } from './writer-fs.ts';

interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command: string;
}

export interface TreeLock {
  /** Notes for the user (a stale lock taken over). */
  readonly notes: readonly string[];
  release(): void;
}

/** An unreadable lock (a run killed between creating and filling it) younger than this may still be filling. */
const UNREADABLE_GRACE_MS = 10_000;

/** Whether `pid` runs on this host: signal 0 checks without sending anything (EPERM: it runs, as another user). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
};

const parseHolder = (text: string): LockHolder | undefined => {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.started === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
};

const describeHolder = (h: LockHolder): string => `pid ${h.pid} on ${h.host}, started ${h.started} (${h.command})`;

/**
 * Take the lock of the tree at `outDir` (which must exist), or throw CliError exit 5 naming the holder. The lock is
 * also released when the process exits (a signal, process.exit), so only SIGKILL leaves it behind, stale.
 */
export const acquireTreeLock = (outDir: string, command: string): TreeLock => {
  const abs = toAbsolute(nodePath.resolve(outDir), LOCK_FILE);
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command } satisfies LockHolder)}\n`;
  const notes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(abs, mine, { flag: 'wx' });
      break;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST' || attempt > 2) throw err;
    }
    let text: string;
    let mtimeMs: number;
    try {
      text = fs.readFileSync(abs, 'utf8');
      mtimeMs = fs.statSync(abs).mtimeMs;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') continue; // released meanwhile
      throw err;
    }
    const holder = parseHolder(text);
    let stale: string | undefined;
    if (holder === undefined) {
      if (Date.now() - mtimeMs < UNREADABLE_GRACE_MS) {
        throw new CliError(`${abs}: another run is taking the lock of this tree; try again in a few seconds`, ExitCode.Precondition);
      }
      stale = `an unreadable lock from ${new Date(mtimeMs).toISOString()}`;
    } else if (holder.host === hostname() && !isRunning(holder.pid)) {
      stale = `the lock of ${describeHolder(holder)}, which is no longer running`;
    } else {
      const here = holder.host === hostname();
      throw new CliError(
        `another run holds the lock of this tree: ${describeHolder(holder)}\n` +
          (here
            ? `wait for it to finish (the lock is ${abs})`
            : `it runs on another host; wait for it, or if it is no longer running there, delete ${abs}`),
        ExitCode.Precondition,
      );
    }
    // Remove the stale lock only if it is still the one judged stale (another run may have taken it over already).
    try {
      if (fs.readFileSync(abs, 'utf8') === text) fs.rmSync(abs);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    notes.push(`took over ${stale} (${abs})`);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (fs.readFileSync(abs, 'utf8') === mine) fs.rmSync(abs);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on('exit', release);
  return { notes, release };
};
