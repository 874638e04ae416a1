// The shapes the preview produces: one record per Application Argo CD would have, the ApplicationSets that made
// them, and findings. Plain data, so the CLI can print it as a table or as JSON and tests can compare it.
import type { JsonObject } from './kube.ts';

export type FindingCode =
  /** The objects of argocd/ could not be built or parsed. */
  | 'root-build-failed'
  | 'root-not-found'
  | 'duplicate-name'
  | 'invalid-name'
  | 'templated-project'
  | 'template-patch-project'
  | 'go-template-disabled'
  | 'missingkey-not-error'
  | 'template-option'
  | 'applications-sync'
  | 'allow-empty'
  | 'unknown-project'
  | 'default-project'
  | 'destination-invalid'
  | 'destination-not-permitted'
  | 'source-repo-not-permitted'
  | 'source-path-missing'
  | 'generator-offline'
  | 'generator-unsupported'
  | 'template-unsupported'
  | 'template-error'
  | 'template-patch-error'
  | 'template-patch-unknown-field'
  | 'template-patch-yaml11'
  | 'rolling-sync-unselected'
  | 'rolling-sync-operator'
  | 'invalid-sync-wave'
  | 'invalid-object'
  | 'build-failed';

export interface Finding {
  readonly code: FindingCode;
  /** The object to blame: `ApplicationSet/web-prod`, `Application/dev-web`, `AppProject/web`. */
  readonly object: string;
  /** The field inside that object, when one field is to blame: `spec.template.spec.project`. */
  readonly field?: string;
  readonly message: string;
}

export interface SourceSummary {
  readonly repoURL: string;
  readonly path?: string;
  readonly chart?: string;
  readonly targetRevision?: string;
  /** Multi-source `ref` name (a values-only source). */
  readonly ref?: string;
  /** True when repoURL is the repository of the root Application, i.e. this repository. */
  readonly inRepo: boolean;
}

export interface DestinationSummary {
  readonly name?: string;
  readonly server?: string;
  readonly namespace?: string;
}

export interface SyncSummary {
  /** `auto`: automated sync; `manual`: none; `rolling`: an ApplicationSet RollingSync step syncs it. */
  readonly mode: 'auto' | 'manual' | 'rolling';
  readonly prune: boolean;
  readonly selfHeal: boolean;
  /** 1-based RollingSync step; absent when not selected by any step (or no RollingSync). */
  readonly step?: number;
  readonly steps?: number;
}

export interface ApplicationRecord {
  readonly name: string;
  /** Namespace the Application object lives in (an ApplicationSet's apps always land in its own namespace). */
  readonly namespace: string;
  readonly project: string;
  readonly destination: DestinationSummary;
  readonly sources: readonly SourceSummary[];
  /** The wave that orders this Application under the root: its ApplicationSet's wave, or its own for plain ones. */
  readonly wave: number;
  /** `argocd.argoproj.io/sync-wave` of the Application itself (default 0). */
  readonly ownWave: number;
  /** Wave of the ApplicationSet that generates it. */
  readonly applicationSetWave?: number;
  readonly sync: SyncSummary;
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the ApplicationSet that generates it; absent for Applications applied directly by the root. */
  readonly applicationSet?: string;
  /** Index of the generator and of the element in it that produced this Application. */
  readonly generator?: { readonly index: number; readonly element: number };
  /** The Application object as Argo CD would create it. */
  readonly manifest: JsonObject;
}

export interface ApplicationSetRecord {
  readonly name: string;
  readonly namespace: string;
  readonly wave: number;
  /** Generator kinds in order: `list`, `git`, … */
  readonly generators: readonly string[];
  readonly strategy: string;
  readonly applicationsSync?: string;
  /** False when some of its Applications could not be computed offline (see findings). */
  readonly evaluated: boolean;
  readonly applications: number;
}

export interface RootRecord {
  readonly name: string;
  readonly namespace: string;
  readonly repoURL: string;
  readonly targetRevision?: string;
  readonly path: string;
}

export interface BuildRecord {
  /** Repository-relative folder. */
  readonly path: string;
  readonly applications: readonly string[];
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly objects?: number;
  readonly durationMs?: number;
  /** Kustomize's message for a failure, or why the folder was not built. */
  readonly detail?: string;
}

export interface ExpandResult {
  readonly root?: RootRecord;
  /** Sorted by (wave, name, namespace). */
  readonly applications: readonly ApplicationRecord[];
  readonly applicationSets: readonly ApplicationSetRecord[];
  readonly projects: readonly string[];
  readonly findings: readonly Finding[];
  /** Present when the Applications' folders were built (`--build`). */
  readonly builds?: readonly BuildRecord[];
  /** The Kustomize that built argocd/, when a real build was done. */
  readonly engine?: { readonly name: string; readonly version: string };
}
