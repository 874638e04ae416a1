// Run `kustomize build` (or `kubectl kustomize`) on one folder or on many, in parallel.
import { availableParallelism } from 'node:os';

import { $ } from 'zx';

import type { KustomizeEngine } from './engine.ts';
import { mapPool } from './pool.ts';

/** Default time one build may take before it is stopped. */
export const DEFAULT_BUILD_TIMEOUT_MS = 120_000;

/** A build that exited non-zero, timed out or could not be started. */
export class KustomizeBuildError extends Error {
  constructor(
    /** The kustomization folder, as it was passed to the build. */
    readonly dir: string,
    /** Kustomize's own words, klog prefixes removed (see `cleanKustomizeStderr`). */
    readonly detail: string,
    /** Exit code of the process; null when it was killed or never started. */
    readonly exitCode: number | null,
  ) {
    super(`kustomize build of ${dir} failed: ${detail}`);
    this.name = 'KustomizeBuildError';
  }
}

// klog header: `E1122 03:27:36.662896    2540 run.go:72] `.
const KLOG_PREFIX = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[^\s\]]+:\d+\]\s*/;
// kubectl's structured error line after the header: `"command failed" err="…"`.
const KLOG_COMMAND_FAILED = /^"command failed"\s+err=(".*")\s*$/;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Undo Go's `%q` quoting (`"a \"b\"\n"` → `a "b"` + newline). Returns the input unchanged if it is not quoted. */
export const unquoteGoString = (quoted: string): string => {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return quoted;
  const body = quoted.slice(1, -1);
  return body.replace(
    /\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3})|(.))/gs,
    (whole, hex2?: string, hex4?: string, hex8?: string, oct?: string, ch?: string) => {
      const code = hex2 ?? hex4 ?? hex8;
      if (code !== undefined) return String.fromCodePoint(parseInt(code, 16));
      if (oct !== undefined) return String.fromCodePoint(parseInt(oct, 8));
      return (ch !== undefined ? SIMPLE_ESCAPES[ch] : undefined) ?? whole;
    },
  );
};

/**
 * Make Kustomize's stderr read well: drop klog headers, unwrap kubectl's `"command failed" err="…"`,
 * drop the standalone binary's `Error: ` prefix and the usage text some versions print after it.
 */
export const cleanKustomizeStderr = (stderr: string): string => {
  const lines: string[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    let line = raw.replace(KLOG_PREFIX, '');
    const wrapped = KLOG_COMMAND_FAILED.exec(line);
    if (wrapped?.[1] !== undefined) line = unquoteGoString(wrapped[1]);
    line = line.replace(/^Error: /, '').trimEnd();
    if (/^Usage:\s*$/.test(line)) break;
    if (line.trim().length > 0) lines.push(line);
  }
  return lines.join('\n');
};

export interface BuildOptions {
  /** Stop a build that runs longer than this; default DEFAULT_BUILD_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** Build one kustomization folder and return the YAML stream it prints. Throws KustomizeBuildError. */
export const buildKustomization = async (
  engine: KustomizeEngine,
  dir: string,
  options: BuildOptions = {},
): Promise<string> => {
  const timeout = options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  let out;
  try {
    out = await $({ quiet: true, nothrow: true, timeout })`${engine.command} ${[...engine.buildArgs, dir]}`;
  } catch (error) {
    throw new KustomizeBuildError(dir, `could not run ${engine.command}: ${(error as Error).message}`, null);
  }
  if (out.ok) return out.stdout;
  const detail = cleanKustomizeStderr(out.stderr);
  if (out.signal !== null) {
    const why = out.signal === 'SIGTERM' ? `timed out after ${timeout} ms` : `killed by ${out.signal}`;
    throw new KustomizeBuildError(dir, detail.length > 0 ? `${why}: ${detail}` : why, null);
  }
  throw new KustomizeBuildError(dir, detail.length > 0 ? detail : `exit code ${String(out.exitCode)}, no message`, out.exitCode);
};

export type BuildResult =
  | { readonly dir: string; readonly ok: true; readonly yaml: string; readonly durationMs: number }
  | { readonly dir: string; readonly ok: false; readonly error: KustomizeBuildError; readonly durationMs: number };

export interface BuildManyOptions extends BuildOptions {
  /** Builds running at once; default `os.availableParallelism()`. */
  readonly concurrency?: number;
}

/** Build every folder, at most `concurrency` at a time; one result per folder, in input order, failures included. */
export const buildMany = (
  engine: KustomizeEngine,
  dirs: readonly string[],
  { concurrency = availableParallelism(), ...options }: BuildManyOptions = {},
): Promise<BuildResult[]> =>
  mapPool(dirs, concurrency, async (dir): Promise<BuildResult> => {
    const started = performance.now();
    try {
      const yaml = await buildKustomization(engine, dir, options);
      return { dir, ok: true, yaml, durationMs: performance.now() - started };
    } catch (error) {
      const buildError =
        error instanceof KustomizeBuildError ? error : new KustomizeBuildError(dir, String(error), null);
      return { dir, ok: false, error: buildError, durationMs: performance.now() - started };
    }
  });
