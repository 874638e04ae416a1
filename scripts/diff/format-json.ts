// `pnpm diff --format json`: the DiffReport in a stable shape for scripts. Field names are part of the CLI's
// contract (docs/reference); add fields, never rename or remove them without bumping `version`.
import { clusterChanges, headFailed, type ClusterChanges, type DiffReport, type RevisionRef } from './report.ts';

/** Version of the JSON shape below. */
export const DIFF_JSON_VERSION = 1;

export interface DiffJson {
  readonly version: typeof DIFF_JSON_VERSION;
  /** `sha` is null for the working tree (regenerated, not a commit). */
  readonly base: { readonly label: string; readonly sha: string | null };
  readonly head: { readonly label: string; readonly sha: string | null };
  readonly notes: readonly string[];
  readonly summary: {
    readonly applicationsWithDifferences: number;
    readonly unchanged: number;
    readonly skipped: number;
    readonly built: number;
    readonly cacheHits: number;
    readonly durationMs: number;
    /** True when the head fails to build somewhere (exit 1). */
    readonly headFailed: boolean;
  };
  readonly clusters: readonly ClusterChanges[];
  readonly applications: readonly {
    readonly name: string;
    readonly kind: 'kustomize' | 'chart';
    readonly cluster: string;
    readonly stack: string;
    readonly environment: string;
    readonly status: 'added' | 'removed' | 'changed';
    readonly counts: { readonly added: number; readonly changed: number; readonly removed: number };
    readonly applicationChanges: readonly string[];
    readonly errors: readonly string[];
    readonly objects: readonly {
      readonly change: 'added' | 'removed' | 'changed';
      readonly kind: string;
      readonly label: string;
      /** Unified diff hunks (changed objects only). */
      readonly diff: readonly string[];
    }[];
  }[];
}

const ref = (r: RevisionRef): DiffJson['base'] => ({ label: r.label, sha: r.sha === '' ? null : r.sha });

export const diffJson = (r: DiffReport): DiffJson => ({
  version: DIFF_JSON_VERSION,
  base: ref(r.base),
  head: ref(r.head),
  notes: r.notes ?? [],
  summary: {
    applicationsWithDifferences: r.apps.length,
    unchanged: r.unchanged,
    skipped: r.stats.skipped,
    built: r.stats.built,
    cacheHits: r.stats.cacheHits,
    durationMs: Math.round(r.stats.durationMs),
    headFailed: headFailed(r),
  },
  clusters: clusterChanges(r),
  applications: r.apps.map((a) => ({
    name: a.name,
    kind: a.kind,
    cluster: a.cluster,
    stack: a.stack,
    environment: a.environment,
    status: a.status,
    counts: a.counts,
    applicationChanges: a.appChanges,
    errors: a.errors,
    objects: a.objects.map((o) => ({ change: o.change, kind: o.kind, label: o.label, diff: o.diff })),
  })),
});

export const formatJson = (r: DiffReport): string => `${JSON.stringify(diffJson(r), null, 2)}\n`;
