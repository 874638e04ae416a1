// `pnpm promote --format json`: what the promotion planned and did, for scripts. One document on stdout at the end
// of the run (human notes go to stderr). Field names are part of the CLI's contract: add fields, never rename or
// remove them without bumping `version`.
import { clusterChanges, type ClusterChanges, type DiffReport } from '../diff/report.ts';
import type { DriftItem } from './drift.ts';
import type { PromotionContext } from './messages.ts';
import type { AffectedCluster, AppRow } from './plan.ts';

export const PROMOTE_JSON_VERSION = 1;

/** Where the plan was made from. */
export interface BaseJson {
  /** `main (local)`, `origin/main`, `HEAD`. */
  readonly label: string;
  readonly sha: string;
  /** Commits of the planned base that the remote branch has not (null: unknown, e.g. no remote). */
  readonly aheadOfRemote: number | null;
  readonly behindRemote: number | null;
}

export interface PromoteJson {
  readonly version: typeof PROMOTE_JSON_VERSION;
  readonly dryRun: boolean;
  readonly from: string;
  readonly to: string;
  readonly scope: string;
  readonly branch: string;
  readonly baseBranch: string;
  readonly base: BaseJson;
  /** True when the target already runs the source's pins: nothing was changed. */
  readonly nothingToPromote: boolean;
  /** The image pins that change, per app running them. */
  readonly versions: readonly (Omit<AppRow, 'before'> & { readonly before: string | null })[];
  /** Clusters of the target environment running a changed app. */
  readonly clusters: readonly AffectedCluster[];
  /** The rendered diff per cluster (null when nothing was rendered). */
  readonly rendered: { readonly applicationsWithDifferences: number; readonly clusters: readonly ClusterChanges[] } | null;
  readonly notes: readonly string[];
  readonly drift: { readonly settings: readonly DriftItem[]; readonly versions: readonly DriftItem[]; readonly untried: readonly string[] };
  /** `pnpm validate` on the promoted commit (null when it did not run). */
  readonly validation: { readonly exitCode: number; readonly summary: string } | null;
  /** The promotion commit (in a dry run: made in the scratch worktree and discarded). */
  readonly commit: string | null;
  readonly pushed: boolean;
  readonly pullRequest: { readonly number: number; readonly url: string; readonly action: string } | null;
}

export interface Outcome {
  readonly dryRun: boolean;
  readonly base: BaseJson;
  readonly diff?: DiffReport;
  readonly validation?: { readonly exitCode: number; readonly summary: string };
  readonly commit?: string;
  readonly pushed?: boolean;
  readonly pullRequest?: { readonly number: number; readonly url: string; readonly action: string };
}

export const promoteJson = (c: PromotionContext, o: Outcome): PromoteJson => ({
  version: PROMOTE_JSON_VERSION,
  dryRun: o.dryRun,
  from: c.plan.from,
  to: c.plan.to,
  scope: c.scope,
  branch: c.branch,
  baseBranch: c.baseBranch,
  base: o.base,
  nothingToPromote: c.plan.changes.length === 0,
  versions: c.plan.rows.map((r) => ({ ...r, before: r.before ?? null })),
  clusters: c.plan.clusters,
  rendered: o.diff === undefined ? null : { applicationsWithDifferences: o.diff.apps.length, clusters: clusterChanges(o.diff) },
  notes: c.plan.notes,
  drift: c.drift,
  validation: o.validation ?? null,
  commit: o.commit ?? null,
  pushed: o.pushed ?? false,
  pullRequest: o.pullRequest ?? null,
});

export const formatPromoteJson = (c: PromotionContext, o: Outcome): string => `${JSON.stringify(promoteJson(c, o), null, 2)}\n`;
