// The source gate: a promotion copies the pins of the base branch's commit, so that commit must be green on
// GitHub before anything is promoted: its combined commit status and its check runs.
// Green = at least one status or check run, every status context `success`, every (latest) check run
// `completed` with conclusion success, neutral or skipped. Pending, failing or no checks at all are not green
// (exit 5); an override needs a reason and an approver, both recorded in the commit and the PR.
// Checked: octokit/plugin-rest-endpoint-methods.js @ v17.0.0 : src/generated/endpoints.ts
//   (repos.getCombinedStatusForRef = GET /repos/{owner}/{repo}/commits/{ref}/status,
//    checks.listForRef = GET /repos/{owner}/{repo}/commits/{ref}/check-runs)
import type { Octokit } from '@octokit/rest';

import { shortSha } from '../diff/git.ts';
import type { RepoSlug } from './repo-slug.ts';

export interface StatusContext {
  readonly context: string;
  /** error, failure, pending or success. */
  readonly state: string;
}

export interface CheckRun {
  readonly name: string;
  /** queued, in_progress, completed, waiting, requested or pending. */
  readonly status: string;
  /** success, failure, neutral, cancelled, skipped, timed_out, action_required, stale; null until completed. */
  readonly conclusion: string | null;
}

export interface SourceChecks {
  readonly sha: string;
  readonly statuses: readonly StatusContext[];
  readonly checkRuns: readonly CheckRun[];
}

export type SourceVerdict =
  | { readonly green: true; readonly summary: string }
  | { readonly green: false; readonly state: 'pending' | 'failure' | 'none'; readonly reasons: readonly string[] };

const PASSING_CONCLUSIONS: ReadonlySet<string> = new Set(['success', 'neutral', 'skipped']);

/** Pure: is this set of statuses and check runs green, and if not, why. */
export const judgeSource = (c: SourceChecks): SourceVerdict => {
  if (c.statuses.length === 0 && c.checkRuns.length === 0) {
    return { green: false, state: 'none', reasons: [`no commit statuses and no check runs on ${shortSha(c.sha)}: CI has not reported on it`] };
  }
  const failing: string[] = [];
  const pending: string[] = [];
  for (const s of c.statuses) {
    if (s.state === 'success') continue;
    (s.state === 'pending' ? pending : failing).push(`status ${s.context}: ${s.state}`);
  }
  for (const r of c.checkRuns) {
    if (r.status !== 'completed') pending.push(`check run ${r.name}: ${r.status}`);
    else if (r.conclusion === null || !PASSING_CONCLUSIONS.has(r.conclusion)) failing.push(`check run ${r.name}: ${r.conclusion ?? 'no conclusion'}`);
  }
  if (failing.length > 0) return { green: false, state: 'failure', reasons: [...failing, ...pending] };
  if (pending.length > 0) return { green: false, state: 'pending', reasons: pending };
  const parts = [
    c.statuses.length > 0 ? `${c.statuses.length} status${c.statuses.length === 1 ? '' : 'es'}` : undefined,
    c.checkRuns.length > 0 ? `${c.checkRuns.length} check run${c.checkRuns.length === 1 ? '' : 's'}` : undefined,
  ].filter((p) => p !== undefined);
  return { green: true, summary: `${parts.join(' and ')} green on ${shortSha(c.sha)}` };
};

/** Read the combined status and the latest check runs of `sha` (paginated). Throws Octokit's errors. */
export const readSourceChecks = async (octokit: Octokit, slug: RepoSlug, sha: string): Promise<SourceChecks> => {
  const { owner, repo } = slug;
  // The combined status lists the latest status per context; 100 is the page maximum.
  const statuses: StatusContext[] = [];
  for (let page = 1; ; page++) {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: 100, page });
    statuses.push(...data.statuses.map((s) => ({ context: s.context, state: s.state })));
    if (data.statuses.length < 100 || statuses.length >= data.total_count) break;
  }
  // filter: latest (GitHub's default) keeps only the most recent run of each check name: a re-run that passed
  // replaces the failure it re-ran.
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, { owner, repo, ref: sha, filter: 'latest', per_page: 100 });
  const checkRuns = runs.map((r) => ({ name: r.name, status: r.status, conclusion: r.conclusion }));
  return { sha, statuses, checkRuns };
};
