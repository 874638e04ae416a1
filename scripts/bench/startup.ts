// CLI startup: how long a command takes to answer when it has little to do (help, a usage error) and how long a
// short real command takes end to end, through the compiled CLI that `pnpm <command>` runs (bin/streamfleet.mjs),
// next to the same through tsx (how every command started before) and through pnpm (its own overhead, not ours).
import { spawnSync } from 'node:child_process';
import { median, round } from './stats.ts';
import { toolPath } from '../lib/tool-root.ts';

export interface StartupCase {
  readonly label: string;
  /** Arguments after the launcher. */
  readonly args: readonly string[];
  readonly expectExit: number;
  /** Answered before the command's module loads: held to STARTUP_TARGET_MS. */
  readonly fast: boolean;
}

export interface StartupResult extends StartupCase {
  readonly medianMs: number;
  readonly runs: number;
}

export const STARTUP_TARGET_MS = 300;

export const STARTUP_CASES: readonly StartupCase[] = [
  { label: '`pnpm commands` (command list)', args: ['help'], expectExit: 0, fast: true },
  { label: '`gen --help`', args: ['gen', '--help'], expectExit: 0, fast: true },
  { label: '`validate --bogus` (unknown flag)', args: ['validate', '--bogus'], expectExit: 2, fast: true },
  { label: '`new cluster` without a name (missing argument)', args: ['new', 'cluster'], expectExit: 2, fast: true },
  { label: '`validate --root missing` (loads the command, then refuses)', args: ['validate', '--root', 'missing'], expectExit: 2, fast: false },
  { label: '`fleet --format json` (reads and renders the default fleet)', args: ['fleet', '--format', 'json'], expectExit: 0, fast: false },
  { label: '`gen --check` (the default fleet, end to end)', args: ['gen', '--check'], expectExit: 0, fast: false },
];

const LAUNCHER = toolPath('bin', 'streamfleet.mjs');

const timeOnce = (command: string, args: readonly string[]): { ms: number; status: number | null } => {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: toolPath(), encoding: 'utf8', env: { ...process.env, STREAMFLEET_PROGRESS: '0' } });
  return { ms: performance.now() - started, status: r.status };
};

const medianOf = (runs: number, command: string, args: readonly string[], expectExit: number, label: string): number => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = timeOnce(command, args);
    if (r.status !== expectExit) throw new Error(`${label}: exit ${String(r.status)}, expected ${expectExit}`);
    times.push(r.ms);
  }
  return median(times);
};

/** Median wall time of each case through the compiled CLI (built first, so no case pays for a build). */
export const measureStartup = (runs = 7): StartupResult[] => {
  timeOnce(process.execPath, [LAUNCHER, 'build']);
  return STARTUP_CASES.map((c) => ({ ...c, runs, medianMs: medianOf(runs, process.execPath, [LAUNCHER, ...c.args], c.expectExit, c.label) }));
};

/** The same `gen --help` through tsx (the old way) and through pnpm (what a user types). */
export const measureReferences = (runs = 3): { tsxMs: number; pnpmMs: number; nodeMs: number } => ({
  nodeMs: medianOf(runs, process.execPath, ['-e', '0'], 0, 'node -e 0'),
  tsxMs: medianOf(runs, process.execPath, ['--import', 'tsx', toolPath('scripts', 'cli', 'gen.ts'), '--help'], 0, 'tsx gen --help'),
  pnpmMs: medianOf(runs, 'pnpm', ['-s', 'gen', '--help'], 0, 'pnpm gen --help'),
});

export const startupMarkdown = (results: readonly StartupResult[], refs: ReturnType<typeof measureReferences>): string =>
  [
    `CLI startup through \`node bin/streamfleet.mjs\` (median of ${results[0]?.runs ?? 0} runs; the bundle built beforehand):`,
    '',
    '| command | median | target |',
    '| --- | ---: | --- |',
    ...results.map((r) => `| ${r.label} | ${round(r.medianMs)} ms | ${r.fast ? `≤ ${STARTUP_TARGET_MS} ms: ${r.medianMs <= STARTUP_TARGET_MS ? 'pass' : 'FAIL'}` : '-'} |`),
    '',
    `For reference: \`node -e 0\` ${round(refs.nodeMs)} ms; \`gen --help\` through tsx (before the compiled CLI) ${round(refs.tsxMs)} ms; ` +
      `\`pnpm -s gen --help\` ${round(refs.pnpmMs)} ms (pnpm's own start is the difference).`,
    '',
  ].join('\n');
