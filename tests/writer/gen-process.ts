// The real `pnpm gen` as a child process (node + tsx's loader, no wrapper process, so a signal reaches gen itself),
// with a seam to stop it at a chosen step of the write (STREAMFLEET_WRITER_PAUSE_AT, scripts/writer/interrupt.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/fleet.ts';

const GEN = join(REPO_ROOT, 'scripts', 'cli', 'gen.ts');

export interface GenExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GenProcess {
  readonly child: ChildProcess;
  /** Resolves true once the writer announced it is paused at the step, false if the process ended first. */
  readonly paused: Promise<boolean>;
  readonly exited: Promise<GenExit>;
}

export const startGen = (args: readonly string[], pauseAt?: number): GenProcess => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.STREAMFLEET_WRITER_PAUSE_AT;
  if (pauseAt !== undefined) env.STREAMFLEET_WRITER_PAUSE_AT = String(pauseAt);
  const child = spawn(process.execPath, ['--import', 'tsx', GEN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onPause: (paused: boolean) => void = () => undefined;
  const paused = new Promise<boolean>((resolve) => (onPause = resolve));
  child.stdout!.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (pauseAt !== undefined && stderr.includes(`writer: paused before step ${pauseAt}:`)) onPause(true);
  });
  const exited = new Promise<GenExit>((resolve) =>
    child.on('close', (code, signal) => {
      onPause(false);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, paused, exited };
};
