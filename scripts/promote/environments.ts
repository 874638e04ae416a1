// Which promotions are allowed: `to` must come right after `from` in the promotion order. Skipping an
// environment is possible only with a stated reason and a named approver, both recorded in the commit and the
// PR. A skip without them is a precondition failure (exit 5), not bad input: the request is well formed, but
// the approval the promotion order asks for is missing.
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

/**
 * Check `from` → `to` against the promotion order. Unknown, same or backwards pairs are CliError exit 2; skipping
 * an environment without both a reason and an approver is exit 5.
 */
export const checkEnvironmentPair = (
  fleet: Fleet,
  from: string,
  to: string,
  skipReason: string | undefined,
  approver: string | undefined,
): EnvironmentPair => {
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
  const hasReason = skipReason !== undefined && skipReason.trim().length > 0;
  const hasApprover = approver !== undefined && approver.trim().length > 0;
  if (skipped.length > 0 && !(hasReason && hasApprover)) {
    const missing = [hasReason ? undefined : '--skip-reason "…"', hasApprover ? undefined : '--approver <github login>'].filter((m) => m !== undefined);
    throw new CliError(
      `${to} is not the next environment after ${from} (that is ${order[i + 1] ?? '?'}): promoting would skip ${skipped.join(', ')}; ` +
        `if that is intended, add ${missing.join(' and ')} (both recorded in the commit and the pull request)`,
      ExitCode.Precondition,
    );
  }
  return { from, to, skipped };
};
