// `pnpm validate [--root DIR] [--format text|json]`: build every clusters/<cluster>/<stack> kustomization
// (what each Argo CD Application syncs) and run the baseline checks on the output.
// Exit codes: 0 ok, 1 findings or build failures, 2 bad usage or root, 5 no Kustomize engine.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { CLUSTERS_DIR, KUSTOMIZATION_FILE } from '../lib/layout.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { processIo, type Io } from '../lib/io.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';
import { buildMany } from '../kustomize/build.ts';
import { type Finding, checkBuildOutput, formatFinding } from '../kustomize/checks.ts';
import { describeEngine, detectEngine } from '../kustomize/engine.ts';
import { findClusterStackTargets } from '../kustomize/find-targets.ts';

const USAGE = `usage: pnpm validate [--root DIR] [--format text|json]
  --root DIR       repository root holding ${CLUSTERS_DIR}/ (default: current directory)
  --format FORMAT  text (default) or json
  -h, --help       show this help`;

type Format = 'text' | 'json';

/** A bad flag or value: the message is followed by the usage text. */
class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.BadInput);
    this.name = 'UsageError';
  }
}

interface Options {
  readonly root: string;
  readonly format: Format;
  readonly help: boolean;
}

const parseOptions = (argv: string[]): Options => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  }
  if (values.root !== undefined && values.root.length === 0) {
    throw new UsageError('--root needs a folder');
  }
  return { root: resolve(values.root ?? process.cwd()), format, help: values.help ?? false };
};

type TargetStatus = 'ok' | 'findings' | 'build-failed';

interface TargetReport {
  readonly cluster: string;
  readonly stack: string;
  readonly path: string;
  readonly status: TargetStatus;
  readonly objects: number;
  readonly findings: Finding[];
  readonly error?: string;
}

interface Summary {
  readonly targets: number;
  readonly objects: number;
  readonly findings: number;
  readonly buildFailures: number;
  readonly ok: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const renderText = (reports: readonly TargetReport[], summary: Summary): string => {
  const lines: string[] = [];
  for (const r of reports) {
    const label = `${r.cluster}/${r.stack}`;
    if (r.status === 'build-failed') {
      lines.push(`${label}: build failed (${r.path})`);
      for (const l of (r.error ?? '').split('\n')) lines.push(`  ${l}`);
    } else if (r.status === 'findings') {
      lines.push(`${label}: ${plural(r.findings.length, 'finding')}, ${plural(r.objects, 'object')} (${r.path})`);
      for (const f of r.findings) lines.push(`  ${formatFinding(f)}`);
    } else {
      lines.push(`${label}: ok, ${plural(r.objects, 'object')}`);
    }
  }
  lines.push(
    `validate: ${summary.ok ? 'ok' : 'FAILED'}: ${plural(summary.targets, 'cluster/stack path')}, ` +
      `${plural(summary.objects, 'object')}, ${plural(summary.findings, 'finding')}, ` +
      `${plural(summary.buildFailures, 'build failure')}`,
  );
  return `${lines.join('\n')}\n`;
};

const checkRoot = (root: string): void => {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new CliError(`--root ${root} is not a folder`, ExitCode.BadInput);
};

const run = async (argv: string[], io: Io): Promise<number> => {
  const options = parseOptions(argv);
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return ExitCode.Ok;
  }
  checkRoot(options.root);
  const targets = await findClusterStackTargets(options.root);
  if (targets.length === 0) {
    throw new CliError(
      `no ${CLUSTERS_DIR}/<cluster>/<stack>/${KUSTOMIZATION_FILE} under ${options.root} (run \`pnpm gen\` first?)`,
      ExitCode.BadInput,
    );
  }

  const engine = await detectEngine();
  if (options.format === 'text') io.stdout(`kustomize: ${describeEngine(engine)}\n`);

  const results = await buildMany(
    engine,
    targets.map((t) => t.dir),
  );
  const reports = targets.map((t, i): TargetReport => {
    const result = results[i];
    const base = { cluster: t.cluster, stack: t.stack, path: t.path };
    if (result === undefined || !result.ok) {
      const error = result === undefined ? 'no build result' : result.error.detail;
      return { ...base, status: 'build-failed', objects: 0, findings: [], error };
    }
    const { objects, findings } = checkBuildOutput(result.yaml);
    return { ...base, status: findings.length > 0 ? 'findings' : 'ok', objects, findings };
  });

  const findingCount = reports.reduce((n, r) => n + r.findings.length, 0);
  const buildFailures = reports.filter((r) => r.status === 'build-failed').length;
  const summary: Summary = {
    targets: reports.length,
    objects: reports.reduce((n, r) => n + r.objects, 0),
    findings: findingCount,
    buildFailures,
    ok: findingCount === 0 && buildFailures === 0,
  };

  if (options.format === 'json') {
    const report = { engine: { name: engine.name, version: engine.version }, root: options.root, targets: reports, summary };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(renderText(reports, summary));
  }
  return summary.ok ? ExitCode.Ok : ExitCode.Findings;
};

/** Run the command; returns the exit code instead of exiting, so tests can call it. */
export const main = async (argv: string[], io: Io = processIo): Promise<number> => {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`validate: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr(`${USAGE}\n`);
      return error.exitCode;
    }
    throw error;
  }
};

if (isEntryPoint(import.meta.url)) runMain(main);
