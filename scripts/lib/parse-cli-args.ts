// Every CLI parses flags the same way: strict (an unknown flag is an error), and a parse error is bad usage
// (exit 2) followed by the command's usage text.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, ExitCode } from './exit-codes.ts';

export const parseCliArgs = <T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> => {
  try {
    return parseArgs(config); // strict by default: unknown flags are errors
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}\n${usage}`, ExitCode.BadInput);
  }
};
