// `pnpm promote <from-env> <to-env> [--stack S]... [--app A]... [--skip-reason "…"] [--skip-source-check "…"] [--approver LOGIN]
// [--dry-run] [--format text|json] [--verbose]` (help text: commands.ts)
// Copies version pins from one environment to the next in the promotion order, regenerates and validates
// the tree, and opens (or updates) one pull request with the version table, drift and rendered diff. A dry run
// plans from the local base branch and says how it differs from the remote one a real run uses.
// Exit codes: 0 ok (also: nothing to promote), 1 validation findings, 2 bad input, 4 git remote or GitHub
// API failure, 5 precondition or conflict (dirty tree, no token, source commit not green, an environment skipped
// without reason and approver, base branch moved, another open promotion of the same pins, branch changed by
// someone else).
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { runPromote, type PromoteDeps, type PromoteOptions } from '../promote/run-promote.ts';
import { helpFor, usageFor } from './commands.ts';

/**
 * A GitHub login: alphanumerics and single inner hyphens, at most 39 characters (GitHub's sign-up rule; a
 * few old accounts predate it, hence no stricter check such as asking the API).
 */
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

const usageError = (message: string): CliError => new CliError(`${message}\n${usageFor('promote')}`, ExitCode.BadInput);

const parse = (argv: string[]): PromoteOptions | 'help' => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        stack: { type: 'string', multiple: true, default: [] },
        app: { type: 'string', multiple: true, default: [] },
        'skip-reason': { type: 'string' },
        'skip-source-check': { type: 'string' },
        approver: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        verbose: { type: 'boolean', default: false },
        base: { type: 'string' },
        remote: { type: 'string', default: 'origin' },
        repo: { type: 'string' },
        'api-url': { type: 'string' },
        root: { type: 'string' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw usageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 2) throw usageError(`expected <from-env> <to-env>, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  const [from, to] = positionals as [string, string];
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw usageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  const skipReason = values['skip-reason'];
  if (skipReason !== undefined && skipReason.trim().length === 0) throw usageError('--skip-reason needs a reason');
  const skipSourceCheck = values['skip-source-check'];
  if (skipSourceCheck !== undefined && skipSourceCheck.trim().length === 0) throw usageError('--skip-source-check needs a reason');
  const approver = values.approver;
  if (approver !== undefined && !GITHUB_LOGIN.test(approver)) throw usageError(`--approver ${JSON.stringify(approver)} is not a GitHub login`);
  if (approver !== undefined && skipReason === undefined && skipSourceCheck === undefined) {
    throw usageError('--approver records who approved an override: use it with --skip-reason or --skip-source-check');
  }
  // An override nobody approved is refused like a missing approval (exit 5), before any network call.
  if (skipSourceCheck !== undefined && approver === undefined) {
    throw new CliError('--skip-source-check needs --approver <github login>: who approved promoting a commit that is not green', ExitCode.Precondition);
  }
  return {
    from,
    to,
    stacks: values.stack,
    apps: values.app,
    skipReason,
    skipSourceCheck,
    approver,
    dryRun: values['dry-run'],
    format,
    verbose: values.verbose,
    root: resolve(values.root ?? '.'),
    remote: values.remote,
    base: values.base,
    repo: values.repo,
    apiUrl: values['api-url'],
    cacheDir: values['cache-dir'],
    noCache: values['no-cache'],
    command: ['pnpm promote', from, to, ...values.stack.map((s) => `--stack ${s}`), ...values.app.map((a) => `--app ${a}`)].join(' '),
  };
};

const defaultDeps: PromoteDeps = { env: process.env, sleep: (ms) => delay(ms), now: () => Date.now() };

/** `pnpm promote` with injectable dependencies (tests pass their own environment, clock and seams). */
export const promoteMain = (deps: PromoteDeps): ((argv: string[], io?: Io) => Promise<number>) =>
  cliMain(async (argv, io) => {
    const options = parse(argv);
    if (options === 'help') {
      io.stdout(helpFor('promote'));
      return ExitCode.Ok;
    }
    return runPromote(options, io, deps);
  }, 'promote: ');

/** Exit code of `pnpm promote`; CliErrors are printed to stderr. */
export const main = promoteMain(defaultDeps);

if (isEntryPoint(import.meta.url)) runMain(main);
