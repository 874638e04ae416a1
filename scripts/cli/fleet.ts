// `pnpm fleet [--format text|markdown|mermaid|json] [--inventory DIR]`: the fleet at a glance.
import { resolve } from 'node:path';
import { componentsFor } from '../components/catalog.ts';
import { InventoryError } from '../inventory/errors.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { INVENTORY_DIR } from '../lib/layout.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { fleetMarkdown, fleetMermaid, fleetText } from '../fleet/fleet-views.ts';
import { generate } from '../pipeline/generate.ts';
import { helpFor, usageFor } from './commands.ts';
import { fleetJson } from './fleet-json.ts';

const FORMATS = ['text', 'markdown', 'mermaid', 'json'] as const;
const USAGE = usageFor('fleet');

const run = async (argv: string[], io: Io): Promise<number> => {
  const { values } = parseCliArgs(
    { args: argv, options: { format: { type: 'string', default: 'text' }, inventory: { type: 'string', default: INVENTORY_DIR }, help: { type: 'boolean', short: 'h', default: false } } },
    USAGE,
  );
  if (values.help) {
    io.stdout(helpFor('fleet'));
    return ExitCode.Ok;
  }
  if (!(FORMATS as readonly string[]).includes(values.format)) throw new CliError(`unknown format "${values.format}"\n${USAGE}`, ExitCode.BadInput);
  let fleet;
  try {
    ({ fleet } = await generate(resolve(values.inventory)));
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(e.message, ExitCode.BadInput);
    throw e;
  }
  const out = values.format === 'json' ? `${JSON.stringify(fleetJson(fleet), null, 2)}\n` : values.format === 'mermaid' ? fleetMermaid(fleet, componentsFor(fleet)) : values.format === 'markdown' ? fleetMarkdown(fleet) : fleetText(fleet);
  io.stdout(out);
  return ExitCode.Ok;
};

export const main = cliMain(run);

if (isEntryPoint(import.meta.url)) runMain(main);
