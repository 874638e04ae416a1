// What `pnpm diff` found: per Application (cluster × stack), the objects added, changed and removed.
import type { ObjectChange } from './compare-objects.ts';

export interface RevisionRef {
  /** What the user asked for (`HEAD~1`, `main`, `working tree`). */
  readonly label: string;
  readonly sha: string;
}

export type AppStatus = 'added' | 'removed' | 'changed';

export interface AppDiff {
  readonly name: string;
  readonly kind: 'kustomize' | 'chart';
  readonly cluster: string;
  readonly stack: string;
  readonly environment: string;
  /** Position of the environment in the promotion order (prod highest); -1 when unknown. */
  readonly envRank: number;
  /** True for the last environment of the promotion order (prod). */
  readonly isLastEnvironment: boolean;
  /** `added`: a new Application; `removed`: an Application no longer generated; else `changed`. */
  readonly status: AppStatus;
  /** Changes of the Application itself, e.g. `source: cert-manager@v1 → cert-manager@v2`. */
  readonly appChanges: readonly string[];
  readonly objects: readonly ObjectChange[];
  readonly counts: { readonly added: number; readonly changed: number; readonly removed: number };
  /** Build failures, e.g. `head: …`; a failure at head is a finding. */
  readonly errors: readonly string[];
}

export interface DiffStats {
  /** Applications whose inputs are identical at both revisions: neither rendered nor compared. */
  readonly skipped: number;
  readonly built: number;
  readonly cacheHits: number;
  readonly durationMs: number;
}

export interface DiffReport {
  readonly base: RevisionRef;
  readonly head: RevisionRef;
  /** Applications with differences: removed first (prod first), then added, then changed. */
  readonly apps: readonly AppDiff[];
  /** Applications present at both revisions without any difference. */
  readonly unchanged: number;
  readonly stats: DiffStats;
}

/** Whether a report shows anything at all. */
export const isEmptyDiff = (r: DiffReport): boolean => r.apps.length === 0;

/** Whether the head revision failed to build somewhere (a finding: exit 1). */
export const headFailed = (r: DiffReport): boolean => r.apps.some((a) => a.errors.some((e) => e.startsWith('head')));
