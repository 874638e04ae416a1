// Which program renders a kustomization here: a standalone `kustomize` binary if one is on PATH,
// else the Kustomize built into `kubectl`. Detected once per process.
import { $, which } from 'zx';

import { CliError, ExitCode } from '../lib/exit-codes.ts';

export type KustomizeEngineName = 'kustomize' | 'kubectl kustomize';

export interface KustomizeEngine {
  /** What the engine is called in reports: `kustomize` or `kubectl kustomize`. */
  readonly name: KustomizeEngineName;
  /** Absolute path of the executable that is run. */
  readonly command: string;
  /** Arguments placed before the kustomization folder: `['build']` or `['kustomize']`. */
  readonly buildArgs: readonly string[];
  /** Kustomize version, e.g. `v5.5.0`; `unknown` when the program did not say. */
  readonly version: string;
}

export interface ProbeOptions {
  /** Search this PATH instead of the process's own (tests use it to simulate a bare machine). */
  readonly path?: string;
}

const VERSION_RE = /v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?/;

/**
 * The version from `kustomize version` output: `v5.5.0` (v5) or
 * `{Version:kustomize/v4.5.7 GitCommit:… }` (v4).
 */
export const parseKustomizeVersion = (output: string): string | undefined => VERSION_RE.exec(output)?.[0];

/** The version from `kubectl version --client` output: the line `Kustomize Version: v5.5.0`. */
export const parseKubectlKustomizeVersion = (output: string): string | undefined => {
  const line = /^\s*Kustomize Version:\s*(\S+)\s*$/m.exec(output);
  return line?.[1];
};

const INSTALL_HINT =
  'no Kustomize found: install kubectl (Kustomize is built in; `kubectl kustomize` is used) ' +
  'or a standalone kustomize binary (https://kubectl.docs.kubernetes.io/installation/kustomize/) and put it on PATH';

const findOnPath = async (cmd: string, options: ProbeOptions): Promise<string | undefined> => {
  const found = await which(cmd, { nothrow: true, ...(options.path !== undefined ? { path: options.path } : {}) });
  return typeof found === 'string' ? found : undefined;
};

/** Look for an engine now, without the cache. Throws CliError (precondition) when there is none. */
export const probeEngine = async (options: ProbeOptions = {}): Promise<KustomizeEngine> => {
  const run = $({ quiet: true, nothrow: true });

  const kustomize = await findOnPath('kustomize', options);
  if (kustomize !== undefined) {
    const out = await run`${kustomize} ${['version']}`;
    if (out.ok) {
      return {
        name: 'kustomize',
        command: kustomize,
        buildArgs: ['build'],
        version: parseKustomizeVersion(out.stdout) ?? 'unknown',
      };
    }
  }

  const kubectl = await findOnPath('kubectl', options);
  if (kubectl !== undefined) {
    const out = await run`${kubectl} ${['version', '--client']}`;
    const version = parseKubectlKustomizeVersion(out.stdout);
    // kubectl older than 1.14 has no `kustomize` subcommand and prints no Kustomize version.
    if (out.ok && version !== undefined) {
      return { name: 'kubectl kustomize', command: kubectl, buildArgs: ['kustomize'], version };
    }
    throw new CliError(
      `${kubectl} does not report a built-in Kustomize (\`kubectl version --client\` printed no "Kustomize Version"); ` +
        'install kubectl >= 1.27 or a standalone kustomize binary',
      ExitCode.Precondition,
    );
  }

  throw new CliError(INSTALL_HINT, ExitCode.Precondition);
};

let cached: Promise<KustomizeEngine> | undefined;

/** The engine for this process: detected on first call, then reused. */
export const detectEngine = (): Promise<KustomizeEngine> => {
  if (cached === undefined) {
    const pending = probeEngine();
    cached = pending;
    // A failed detection is not cached, so a later call can succeed after the user fixes PATH.
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
  }
  return cached;
};

/** Forget the cached engine (tests). */
export const resetEngineCache = (): void => {
  cached = undefined;
};

/** `kubectl kustomize v5.5.0`. */
export const describeEngine = (engine: KustomizeEngine): string => `${engine.name} ${engine.version}`;
