// `--stack` and `--app` → the catalog components whose version pins are promoted (default: all).
import { STACKS } from '../inventory/schema.ts';
import { didYouMean } from '../inventory/suggest.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { CatalogEntry } from '../model/fleet.ts';

export interface Selection {
  readonly stacks: readonly string[];
  readonly apps: readonly string[];
  /** The components selected, in catalog order. */
  readonly components: readonly CatalogEntry[];
}

const unique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

export const selectComponents = (catalog: readonly CatalogEntry[], stacks: readonly string[], apps: readonly string[]): Selection => {
  // The built-in stacks and the systems (whose services are in the catalog under their system's name).
  const known = [...new Set([...STACKS, ...catalog.map((c) => c.stack)])];
  for (const s of stacks) {
    if (!known.includes(s)) {
      throw new CliError(`unknown stack "${s}"${didYouMean(s, known)}; stacks are ${known.join(', ')}`, ExitCode.BadInput);
    }
  }
  const names = catalog.map((c) => c.name);
  for (const a of apps) {
    const entry = catalog.find((c) => c.name === a);
    if (entry === undefined) throw new CliError(`unknown app "${a}"${didYouMean(a, names)}; apps are ${names.join(', ')}`, ExitCode.BadInput);
    if (stacks.length > 0 && !stacks.includes(entry.stack)) {
      throw new CliError(`app ${a} belongs to stack ${entry.stack}, not to --stack ${stacks.join(', ')}`, ExitCode.BadInput);
    }
  }
  const components = catalog.filter((c) =>
    apps.length > 0 ? apps.includes(c.name) : stacks.length > 0 ? stacks.includes(c.stack) : true,
  );
  return { stacks: unique(stacks), apps: unique(apps), components };
};

/** `all`, the stacks (`streaming+transcoding`) or the apps (`rtmp-origin`): the last part of the branch name. */
export const selectionScope = (s: Selection): string =>
  s.apps.length > 0 ? s.apps.join('+') : s.stacks.length > 0 ? s.stacks.join('+') : 'all';

/** The promotion branch: one per (from, to, scope), so a rerun finds and updates its own branch and PR. */
export const branchName = (from: string, to: string, s: Selection): string => `promote/${from}-to-${to}/${selectionScope(s)}`;
