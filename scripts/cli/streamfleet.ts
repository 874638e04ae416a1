// The one entry point: `pnpm <command>` runs `node bin/streamfleet.mjs <command>`, which loads the compiled bundle of
// this module. It lists the commands, answers `--help` from the registry (commands.ts) without loading the command,
// and loads only the module of the command that runs.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { processIo, type Io } from '../lib/io.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';
import { closest } from '../inventory/suggest.ts';
import { COMMANDS, commandList, commandNamed, flagsOf, helpText, scanArguments, usageFor } from './commands.ts';

const HELP_FLAGS = new Set(['-h', '--help']);

/** `--help` anywhere before a `--` separator asks for help. */
const asksForHelp = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => HELP_FLAGS.has(a));
};

export const main = async (argv: string[], io: Io = processIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(commandList());
    return ExitCode.BadInput;
  }
  if (name === 'help' || HELP_FLAGS.has(name)) {
    const topic = rest[0] === undefined ? undefined : commandNamed(rest[0]);
    if (rest[0] !== undefined && topic === undefined) return unknownCommand(rest[0], io);
    io.stdout(topic === undefined ? commandList() : helpText(topic));
    return ExitCode.Ok;
  }
  const spec = commandNamed(name);
  if (spec === undefined) return unknownCommand(name, io);
  if (asksForHelp(rest)) {
    io.stdout(helpText(spec));
    return ExitCode.Ok;
  }
  // An unknown flag is refused here, from the registry, before the command's module graph loads: a typo answers in
  // the time of a `--help`, not of a command start (pnpm bench measures both).
  const scan = scanArguments(spec, rest);
  if (scan.unknown !== undefined) {
    const near = closest(scan.unknown, [...flagsOf(spec).keys()]);
    io.stderr(`${spec.name}: unknown option "${scan.unknown}"${near === undefined ? '' : `; did you mean "${near}"?`}\n${usageFor(spec.name)}\n`);
    return ExitCode.BadInput;
  }
  if (spec.requires !== undefined && scan.positionals < spec.requires.count) {
    io.stderr(`${spec.name}: expected ${spec.requires.what}\n${usageFor(spec.name)}\n`);
    return ExitCode.BadInput;
  }
  const command = await spec.load();
  try {
    return await command.main(rest);
  } catch (e) {
    // The commands catch their own CliErrors (cliMain); one thrown past them still gets its code, not a crash.
    if (e instanceof CliError) {
      io.stderr(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
};

const unknownCommand = (name: string, io: Io): number => {
  const near = closest(name, COMMANDS.map((c) => c.name));
  io.stderr(`unknown command "${name}"${near === undefined ? '' : `; did you mean "${near}"?`}\n\n${commandList()}`);
  return ExitCode.BadInput;
};

/** Called by bin/streamfleet.mjs with the process arguments after the script. */
export const run = (argv: string[]): void => runMain(() => main(argv));

// `pnpm dev <command>`: the same CLI from the TypeScript sources, through tsx.
if (isEntryPoint(import.meta.url)) run(process.argv.slice(2));
