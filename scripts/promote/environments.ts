// Which promotions are allowed: `to` must come right after `from` in the promotion order. Skipping an
// environment is possible only with a stated reason, which is recorded in the commit and the PR.
import { didYouMean } from '../inventory/suggest.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Fleet } from '../model/fleet.ts';

export interface EnvironmentPair {
  readonly from: string;
  readonly to: string;
  /** Environments between `from` and `to` that this promotion skips (empty for a direct successor). */
  readonly skipped: readonly string[];
}

const badInput = (message: string): CliError => new CliError(message, ExitCode.BadInput);

/** Check `from` → `to` against the promotion order; throws CliError (exit 2) for every refused pair. */
export const checkEnvironmentPair = (fleet: Fleet, from: string, to: string, skipReason: string | undefined): EnvironmentPair => {
  const order = fleet.environments.map((e) => e.name);
  const chain = order.join(' → ');
  for (const name of [from, to]) {
    if (!order.includes(name)) throw badInput(`unknown environment "${name}"${didYouMean(name, order)}; the promotion order is ${chain}`);
  }
  if (from === to) throw badInput(`cannot promote ${from} to itself; the promotion order is ${chain}`);
  const i = order.indexOf(from);
  const j = order.indexOf(to);
  if (j < i) throw badInput(`cannot promote backwards from ${from} to ${to}; the promotion order is ${chain}`);
  const skipped = order.slice(i + 1, j);
  if (skipped.length > 0 && (skipReason === undefined || skipReason.trim().length === 0)) {
    throw badInput(
      `${to} is not the next environment after ${from} (that is ${order[i + 1] ?? '?'}): promoting would skip ${skipped.join(', ')}; ` +
        'if that is intended, say why with --skip-reason "…" (recorded in the commit and the pull request)',
    );
  }
  return { from, to, skipped };
};
