// `pnpm gen [--check] [--force] [--inventory DIR] [--out DIR]`
// Reads the inventory, renders the tree, and writes it through the one writer (or, with --check, only
// compares). Bad inventory → exit 2 with every problem listed and nothing written.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InventoryError } from '../inventory/errors.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { APPS_DIR, INVENTORY_DIR } from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { helpFor, usageFor } from './commands.ts';
import { checkJson, formatDryRun, writeJson } from './gen-report.ts';
import { generate } from '../pipeline/generate.ts';
import { readPreviousAppSets } from '../pipeline/read-previous-appsets.ts';
import { checkRemovalsBetween, formatAllowed, formatMoved, formatRefusal } from '../pipeline/removal-guard.ts';
import { PathConflictError } from '../render/generated-file.ts';
import { checkTree, formatCheck, formatWriteReport, writeTree } from '../writer/index.ts';
import { installSignalHandlers, pendingSignal, signalExitCode } from '../writer/interrupt.ts';
import { recoverInterruptedWrite } from '../writer/journal.ts';
import { acquireTreeLock, type TreeLock } from '../writer/lock.ts';

const USAGE = usageFor('gen');
const HELP = helpFor('gen');

type Format = 'text' | 'json';

interface GenArgs {
  readonly check: boolean;
  /** Plan only: what a write would do (and whether the removal guard would refuse it), exit 0. */
  readonly dryRun: boolean;
  readonly format: Format;
  readonly force: boolean;
  readonly allowRemoval: readonly string[];
  readonly inventory: string;
  readonly out: string;
}

const parse = (argv: string[]): GenArgs | 'help' => {
  const { values } = parseCliArgs(
    {
      args: argv,
      allowPositionals: false,
      options: {
        check: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        force: { type: 'boolean', default: false },
        'allow-removal': { type: 'string', multiple: true, default: [] },
        inventory: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (values.help) return 'help';
  if (values.check && values.force) throw new CliError(`--check and --force exclude each other\n${USAGE}`, ExitCode.BadInput);
  if (values.check && values['dry-run']) throw new CliError(`--check and --dry-run exclude each other\n${USAGE}`, ExitCode.BadInput);
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, got ${JSON.stringify(values.format)}\n${USAGE}`, ExitCode.BadInput);
  const out = resolve(values.out ?? '.');
  return { check: values.check, dryRun: values['dry-run'], format: values.format, force: values.force, allowRemoval: values['allow-removal'], out, inventory: resolve(values.inventory ?? resolve(out, INVENTORY_DIR)) };
};

const run = async (argv: string[], io: Io): Promise<number> => {
  const args = parse(argv);
  if (args === 'help') {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  // One run at a time per tree, and a write an earlier run left half-done is finished or undone before anything
  // reads the tree. --check takes the lock too: it must not read a tree another run is writing. An output folder that
  // does not exist yet has nothing to lock (and bad input must not create it); two first runs into the same new folder
  // still cannot interleave, as the writer creates its journal exclusively.
  let lock: TreeLock | undefined;
  if (existsSync(args.out)) {
    lock = acquireTreeLock(args.out, args.check ? 'pnpm gen --check' : args.dryRun ? 'pnpm gen --dry-run' : 'pnpm gen');
    for (const note of lock.notes) io.stderr(`note: ${note}\n`);
  }
  try {
    if (lock !== undefined) {
      const recovered = await recoverInterruptedWrite(args.out);
      if (recovered !== undefined) io.stderr(`note: ${recovered}\n`);
    }
    return await generateAndWrite(args, io);
  } finally {
    lock?.release();
  }
};

const generateAndWrite = async (args: GenArgs, io: Io): Promise<number> => {
  let files;
  try {
    ({ files } = await generate(args.inventory));
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`${e.message}\nnothing was written`, ExitCode.BadInput);
    if (e instanceof PathConflictError) throw new CliError(`${e.message}\nnothing was written`, ExitCode.BadInput);
    throw e;
  }
  if (args.check) {
    const result = await checkTree(args.out, files);
    io.stdout(args.format === 'json' ? `${JSON.stringify(checkJson('check', result), null, 2)}\n` : `${formatCheck(result)}\n`);
    return result.ok ? ExitCode.Ok : ExitCode.Findings;
  }
  const removals = checkRemovalsBetween(
    await readPreviousAppSets(args.out),
    files.filter((f) => f.path.startsWith(`${APPS_DIR}/`) && f.path.endsWith('.yaml')),
    args.allowRemoval,
  );
  if (removals.unknownAllowed.length > 0) {
    throw new CliError(`--allow-removal names no Application being removed: ${removals.unknownAllowed.join(', ')}\nnothing was written`, ExitCode.BadInput);
  }
  if (args.dryRun) {
    // The same comparison as --check, plus the removal guard's verdict: everything a write would do, nothing written.
    const result = await checkTree(args.out, files);
    if (args.format === 'json') {
      io.stdout(`${JSON.stringify({ ...checkJson('dry-run', result), removals: { removed: removals.removed.map((a) => a.name), refused: removals.refused.map((a) => a.name) } }, null, 2)}\n`);
    } else {
      io.stdout(`${formatDryRun(result)}\n`);
      if (removals.refused.length > 0) io.stdout(`${formatRefusal(removals)}\n`);
    }
    return ExitCode.Ok;
  }
  if (removals.refused.length > 0) throw new CliError(formatRefusal(removals), ExitCode.Precondition);
  const report = await writeTree(args.out, files, { force: args.force });
  if (args.format === 'json') {
    io.stdout(`${JSON.stringify(writeJson(report, removals), null, 2)}\n`);
  } else {
    const allowed = formatAllowed(removals);
    if (allowed) io.stdout(`${allowed}\n`);
    const moved = formatMoved(removals);
    if (moved) io.stdout(`${moved}\n`);
    io.stdout(`${formatWriteReport(report)}\n`);
  }
  // A signal that arrived once the write could no longer be undone: the new tree is complete; still say so and exit
  // with the signal's code, as the user asked the run to stop.
  const signal = pendingSignal();
  if (signal !== undefined) {
    io.stderr(`stopped by ${signal} after the new tree was written completely\n`);
    return signalExitCode(signal);
  }
  return ExitCode.Ok;
};

/** Exit code of `pnpm gen`; CliErrors (bad input, refusals) are printed to stderr, not thrown. */
export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) {
  installSignalHandlers();
  runMain(main);
}
