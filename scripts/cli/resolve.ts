// `pnpm resolve [--dry-run] [--root DIR]`
// After a merge, rebase or cherry-pick whose generated files conflicted: takes ours (HEAD's version) of every generated
// path the operation changed, refuses while an inventory or hand-written file is still unmerged, regenerates with
// `pnpm gen` from the merged inventory, and stages the generated paths. docs/merging.md explains when to use it.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { repoTop } from '../diff/git.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { LEDGER_FILE } from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { restoreOurs, stageGenerated } from '../merge/apply-resolve.ts';
import { planResolve, type ResolvePlan } from '../merge/plan-resolve.ts';
import { generate } from '../pipeline/generate.ts';
import { applicationsOf } from '../pipeline/removal-guard.ts';
import { isRegionKey } from '../writer/regions.ts';
import { installSignalHandlers } from '../writer/interrupt.ts';
import { parseLedger } from '../writer/ledger.ts';
import { helpFor, usageFor } from './commands.ts';
import { main as gen } from './gen.ts';

const USAGE = usageFor('resolve');

const list = (title: string, paths: readonly string[], max = 20): string[] =>
  paths.length === 0
    ? []
    : [`${title} (${paths.length}):`, ...paths.slice(0, max).map((p) => `  ${p}`), ...(paths.length > max ? [`  … and ${paths.length - max} more`] : [])];

const describePlan = (plan: ResolvePlan): string => {
  const s = plan.state;
  const what = s.operation === undefined ? 'no merge, rebase or cherry-pick in progress' : `${s.operation} in progress (theirs: ${s.theirs?.slice(0, 7) ?? '?'})`;
  return [
    `${what}; ${plan.state.unmerged.length} unmerged path${plan.state.unmerged.length === 1 ? '' : 's'}`,
    ...list('generated files put back to ours (HEAD) before regenerating', plan.restore),
    ...list('generated files HEAD does not have, removed before regenerating', plan.remove),
    ...list('conflicts this settles', plan.settles),
    ...list('hand-written files whose generated regions are put back to ours', [...plan.regionFiles.keys()]),
    ...list('Applications the other side removed on purpose (allowed again if the merged inventory drops them)', plan.theirRemovals),
    `then: pnpm gen (from the merged inventory)${plan.state.operation === undefined ? '' : ', and git add every generated path'}`,
  ].join('\n');
};

const refuseHandConflicts = (plan: ResolvePlan): void => {
  if (plan.handConflicts.length === 0) return;
  throw new CliError(
    [
      `${plan.handConflicts.length} file${plan.handConflicts.length === 1 ? ' is' : 's are'} still unmerged and not generated; only you can resolve ${plan.handConflicts.length === 1 ? 'it' : 'them'}:`,
      ...plan.handConflicts.map((c) => `  ${c.path}: ${c.reason}`),
      'then run `pnpm resolve` again (nothing was changed)',
    ].join('\n'),
    ExitCode.Precondition,
  );
};

/** --allow-removal for the other side's deliberate removals that the merged inventory no longer renders either. */
const allowances = async (root: string, plan: ResolvePlan): Promise<string[]> => {
  if (plan.theirRemovals.length === 0) return [];
  const { files } = await generate(join(root, 'inventory'));
  const produced = applicationsOf(files.filter((f) => f.path.startsWith('apps/') && f.path.endsWith('.yaml')));
  return plan.theirRemovals.filter((name) => !produced.has(name));
};

const run = async (argv: string[], io: Io): Promise<number> => {
  const { values } = parseCliArgs(
    {
      args: argv,
      allowPositionals: false,
      options: {
        'dry-run': { type: 'boolean', default: false },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout(helpFor('resolve'));
    return ExitCode.Ok;
  }
  const root = await repoTop(resolve(values.root ?? '.'));
  if (root === undefined) {
    throw new CliError(`${resolve(values.root ?? '.')}: not in a git repository; \`pnpm resolve\` settles a git merge (use \`pnpm gen\` outside git)`, ExitCode.Precondition);
  }
  const plan = await planResolve(root);
  io.stdout(`${describePlan(plan)}\n`);
  refuseHandConflicts(plan);
  if (values['dry-run']) {
    io.stdout('dry run: nothing changed\n');
    return ExitCode.Ok;
  }
  const allow = await allowances(root, plan);
  await restoreOurs(root, plan);
  const code = await gen(['--out', root, ...allow.flatMap((a) => ['--allow-removal', a])], io);
  if (code !== ExitCode.Ok) {
    io.stderr(`pnpm gen failed (exit ${code}); generated files are ours (HEAD) again, the merged inventory is untouched: fix what it says and run \`pnpm resolve\` again\n`);
    return code;
  }
  if (plan.state.operation === undefined) {
    io.stdout('regenerated; review with `git status` and commit\n');
    return ExitCode.Ok;
  }
  const ledger = parseLedger(await readFile(join(root, LEDGER_FILE), 'utf8'));
  const staged = await stageGenerated(root, plan, ledger.files.map((e) => e.path).filter((p) => !isRegionKey(p)));
  const next = plan.state.operation === 'merge' ? 'git commit' : `git ${plan.state.operation} --continue`;
  io.stdout(`staged ${staged} generated paths; when \`git status\` shows no unmerged path, run \`${next}\`\n`);
  return ExitCode.Ok;
};

/** Exit code of `pnpm resolve`; CliErrors (refusals, gen's own) are printed to stderr, not thrown. */
export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) {
  installSignalHandlers(); // gen's writer finishes or undoes a write a signal interrupts, as under `pnpm gen`
  runMain(main);
}
