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
  /** What the reader should know about the revisions, e.g. that the working tree's generated files are stale. */
  readonly notes?: readonly string[];
}

/** Whether a report shows anything at all. */
export const isEmptyDiff = (r: DiffReport): boolean => r.apps.length === 0;

/** Whether the head revision failed to build somewhere (a finding: exit 1). */
export const headFailed = (r: DiffReport): boolean => r.apps.some((a) => a.errors.some((e) => e.startsWith('head')));

export interface ClusterChanges {
  readonly cluster: string;
  readonly environment: string;
  /** Applications of the cluster with differences (added, removed or changed). */
  readonly applications: number;
  readonly added: number;
  readonly removed: number;
  /** Objects added, changed or removed, over those Applications. */
  readonly objects: number;
  readonly failed: boolean;
}

/** Per cluster, how much changes; in the report's order (deleted and prod first). */
export const clusterChanges = (r: DiffReport): ClusterChanges[] => {
  const byCluster = new Map<string, ClusterChanges>();
  for (const a of r.apps) {
    const c = byCluster.get(a.cluster) ?? { cluster: a.cluster, environment: a.environment, applications: 0, added: 0, removed: 0, objects: 0, failed: false };
    byCluster.set(a.cluster, {
      ...c,
      applications: c.applications + 1,
      added: c.added + (a.status === 'added' ? 1 : 0),
      removed: c.removed + (a.status === 'removed' ? 1 : 0),
      objects: c.objects + a.counts.added + a.counts.changed + a.counts.removed,
      failed: c.failed || a.errors.some((e) => e.startsWith('head')),
    });
  }
  return [...byCluster.values()];
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `staging-eu-west-1: 3 Applications changed (12 objects)`, with new, deleted and failed ones named. */
export const clusterLine = (c: ClusterChanges): string => {
  const extra = [
    c.added > 0 ? `${c.added} new` : '',
    c.removed > 0 ? `${c.removed} deleted` : '',
    c.failed ? 'BUILD FAILED' : '',
  ].filter((s) => s.length > 0);
  return `${c.cluster}: ${plural(c.applications, 'Application')} changed (${plural(c.objects, 'object')})${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`;
};
