// The IO edge every scaffolding command shares: read the current inventory (refusing a broken one), check edited
// texts with the loader (its messages, nothing written on error), write them only if nobody changed the files
// meanwhile, then regenerate — restoring the inventory when generation fails.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogEntries } from '../components/catalog.ts';
import { InventoryError } from '../inventory/errors.ts';
import { parseInventory, type InventorySource } from '../inventory/parse-inventory.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { ENVIRONMENTS_DIR, INVENTORY_DIR, SYSTEMS_DIR } from '../lib/layout.ts';
import type { CatalogEntry, Fleet } from '../model/fleet.ts';

/** `pnpm gen`'s main, passed in so that this module does not depend on the CLI layer. */
export type Regenerate = (argv: string[], io: Io) => Promise<number>;

export interface CurrentInventory {
  readonly inventoryDir: string;
  readonly catalog: CatalogEntry[];
  readonly sources: InventorySource[];
  readonly fleet: Fleet;
}

/** The inventory as it is now; scaffolding refuses to build on an inventory that is already broken. */
export const loadCurrent = async (
  root: string,
): Promise<CurrentInventory> => {
  const inventoryDir = join(root, INVENTORY_DIR);
  const catalog = catalogEntries();
  const sources = await readInventorySources(inventoryDir);
  try {
    return { inventoryDir, catalog, sources, fleet: parseInventory(sources, catalog) };
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`fix the inventory first:\n${e.message}`, ExitCode.BadInput);
    throw e;
  }
};

/** Parse the inventory with the edited texts; any issue → exit 2 with the loader's messages, nothing written. */
export const validateEdits = (
  sources: readonly InventorySource[],
  edits: ReadonlyMap<string, string>,
  catalog: readonly CatalogEntry[],
  prefix = '',
): void => {
  try {
    parseInventory(sources.map((s) => ({ ...s, text: edits.get(s.file) ?? s.text })), catalog);
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`${[prefix, e.message].filter(Boolean).join('\n')}\nnothing was written`, ExitCode.BadInput);
    throw e;
  }
};

/** Validate, write the edited inventory files (refusing if they changed meanwhile), regenerate; undo on failure. */
export const applyEdits = async (
  root: string,
  inventoryDir: string,
  sources: readonly InventorySource[],
  edits: ReadonlyMap<string, string>,
  catalog: readonly CatalogEntry[],
  io: Io,
  regenerate: Regenerate,
  genArgs: readonly string[] = [],
): Promise<number> => {
  validateEdits(sources, edits, catalog);
  // Source names are display paths; the file inside the inventory folder is its last one or two segments
  // (`environments/<env>.yaml`, `systems/<system>.yaml`).
  const inInventory = (file: string): string => {
    const parts = file.split('/');
    const folder = parts.at(-2);
    return folder === ENVIRONMENTS_DIR || folder === SYSTEMS_DIR ? join(folder, parts.at(-1)!) : parts.at(-1)!;
  };
  const targets = sources.filter((s) => edits.has(s.file)).map((s) => ({ source: s, abs: join(inventoryDir, inInventory(s.file)) }));
  for (const t of targets) {
    if ((await readFile(t.abs, 'utf8')) !== t.source.text) {
      throw new CliError(`${t.source.file} changed while this ran; run again`, ExitCode.Precondition);
    }
  }
  for (const t of targets) await writeFile(t.abs, edits.get(t.source.file)!);
  io.stdout(`edited ${targets.map((t) => t.source.file).join(', ')}\n`);
  const code = await regenerate(['--inventory', inventoryDir, '--out', root, ...genArgs], io);
  if (code !== ExitCode.Ok) {
    for (const t of targets) await writeFile(t.abs, t.source.text);
    io.stderr('generation failed; the inventory files were restored\n');
  }
  return code;
};
