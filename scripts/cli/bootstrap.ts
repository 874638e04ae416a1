// `pnpm bootstrap --context HUB [--dry-run]`: the one-time installation of the hub.
//  1. Argo CD from its pinned chart, with the generated values (controller settings the safety rules rely on);
//  2. external-secrets from its pinned chart, so cluster registrations can be read from the hub's store;
//  3. the `bootstrap` AppProject and the root Application. From then on Argo CD manages everything,
//     itself included, from Git.
// This is the only step that fetches from outside (the chart repositories); it is run by hand, once.
import { resolve } from 'node:path';
import { $ } from 'zx';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import {
  ARGOCD_BOOTSTRAP_DIR,
  ARGOCD_DIR,
  ARGOCD_NAMESPACE,
  ARGOCD_PROJECTS_DIR,
  ARGOCD_VALUES_FILE,
  INVENTORY_DIR,
  posixJoin,
} from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { helpFor, usageFor } from './commands.ts';
import { generate } from '../pipeline/generate.ts';
import { ARGOCD_RELEASE, BOOTSTRAP_PROJECT, ROOT_APPLICATION } from '../render/argocd-bootstrap.ts';
import type { Fleet } from '../model/fleet.ts';

const USAGE = usageFor('bootstrap');
const HELP = helpFor('bootstrap');

/** The commands, as argument vectors, in the order they must run. */
export const bootstrapCommands = (fleet: Fleet, context: string): string[][] => {
  const chart = fleet.argocd.chart;
  const eso = fleet.addons['external-secrets'];
  return [
    [
      'helm', 'upgrade', '--install', ARGOCD_RELEASE, chart.chart,
      '--repo', chart.repoURL, '--version', chart.version,
      '--namespace', ARGOCD_NAMESPACE, '--create-namespace',
      '--values', posixJoin(ARGOCD_DIR, ARGOCD_BOOTSTRAP_DIR, ARGOCD_VALUES_FILE),
      '--kube-context', context, '--wait',
    ],
    ...(eso
      ? [[
          'helm', 'upgrade', '--install', 'external-secrets', eso.chart,
          '--repo', eso.repoURL, '--version', eso.version,
          '--namespace', eso.namespace, '--create-namespace', '--set', 'installCRDs=true',
          '--kube-context', context, '--wait',
        ]]
      : []),
    [
      'kubectl', '--context', context, 'apply',
      '-f', posixJoin(ARGOCD_DIR, ARGOCD_PROJECTS_DIR, `${BOOTSTRAP_PROJECT}-appproject.yaml`),
      '-f', posixJoin(ARGOCD_DIR, ARGOCD_BOOTSTRAP_DIR, `${ROOT_APPLICATION}-application.yaml`),
    ],
  ];
};

const shellQuote = (arg: string): string => (/^[A-Za-z0-9_./:=@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

const run = async (argv: string[], io: Io): Promise<number> => {
  const { values } = parseCliArgs(
    {
      args: argv,
      options: {
        context: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        root: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  if (!values.context) {
    io.stderr(`--context is required: name the hub cluster explicitly\n${USAGE}\n`);
    return ExitCode.BadInput;
  }
  const root = resolve(values.root);
  const { fleet } = await generate(resolve(root, INVENTORY_DIR));
  const commands = bootstrapCommands(fleet, values.context);
  for (const [cmd, ...args] of commands) {
    io.stdout(`$ ${[cmd!, ...args].map(shellQuote).join(' ')}\n`);
    if (values['dry-run']) continue;
    const out = await $({ cwd: root, nothrow: true, quiet: true })`${cmd!} ${args}`;
    io.stdout(out.stdout);
    if (!out.ok) {
      io.stderr(out.stderr);
      throw new CliError(`${cmd} failed (exit ${String(out.exitCode)}); fix the cause and run the same command again — every step is idempotent`, ExitCode.RemoteFailure);
    }
  }
  if (values['dry-run']) io.stdout('(dry run: nothing was executed)\n');
  return ExitCode.Ok;
};

/** Exit code of `pnpm bootstrap`; a failing step is printed (exit 4), not thrown. */
export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
