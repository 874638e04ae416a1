// `pnpm apps [--root DIR] [--format text|json] [--build]`: the offline preview of what Argo CD will create.
// Builds argocd/ with the real Kustomize, expands every ApplicationSet (list generators, Go templates, templatePatch)
// and prints the Applications sorted by sync wave and name, then the findings.
// Exit codes: 0 ok, 1 findings, 2 bad usage or root, 5 no Kustomize engine.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { formatJson, formatText } from '../argocd/format.ts';
import { listApplications } from '../argocd/list-applications.ts';
import { CliError, ExitCode, UsageError } from '../lib/exit-codes.ts';
import { processIo, progress, type Io } from '../lib/io.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';
import { helpFor, usageFor } from './commands.ts';

export { listApplications } from '../argocd/list-applications.ts';
export type { ExpandResult } from '../argocd/types.ts';

const USAGE = usageFor('apps');
const HELP = helpFor('apps');

interface AppsArgs {
  readonly root: string;
  readonly format: 'text' | 'json';
  readonly build: boolean;
  readonly help: boolean;
}

const parse = (argv: string[]): AppsArgs => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        root: { type: 'string' },
        format: { type: 'string' },
        build: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  if (values.root !== undefined && values.root.length === 0) throw new UsageError('--root needs a folder');
  return { root: resolve(values.root ?? process.cwd()), format, build: values.build, help: values.help };
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
  const args = parse(argv);
  if (args.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  checkRoot(args.root);
  // --build runs Kustomize once per Application: tens of seconds on a large fleet.
  if (args.build) progress(io, 'expanding the ApplicationSets and building every Application with Kustomize…');
  const result = await listApplications(args.root, { build: args.build });
  if (args.build) progress(io, `built ${result.applications.length} Applications`);
  io.stdout(args.format === 'json' ? formatJson(result) : formatText(result));
  return result.findings.length === 0 ? ExitCode.Ok : ExitCode.Findings;
};

/** Exit code of `pnpm apps`; CliErrors (usage, bad root, no Kustomize) are printed to stderr, not thrown. */
export const main = async (argv: string[], io: Io = processIo): Promise<number> => {
  try {
    return await run(argv, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`apps: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr(`${USAGE}\n`);
    return error.exitCode;
  }
};

if (isEntryPoint(import.meta.url)) runMain(main);
