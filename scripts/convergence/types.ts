// The shapes of the first-sync simulation: what each Application would apply, what each cluster serves before
// anything syncs, and what the simulation reports.

/** One object an Application applies: enough to know whether the cluster can take it and whether its project may. */
export interface SimObject {
  /** API group ('' for core). */
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined for cluster-scoped objects. */
  readonly namespace: string | undefined;
  readonly namespaced: boolean;
  /** Argo CD sync phase: Helm hooks are mapped (pre-install → PreSync, post-install → PostSync). */
  readonly phase: 'PreSync' | 'Sync' | 'PostSync';
  readonly wave: number;
  /** Values of its `argocd.argoproj.io/sync-options` annotation. */
  readonly syncOptions: readonly string[];
  /** For a CustomResourceDefinition: the group and kind it serves. */
  readonly defines?: { readonly group: string; readonly kind: string };
  /** Rendered only when the destination already serves this API (Helm `.Capabilities.APIVersions.Has`). */
  readonly whenApi?: string;
}

/** Where an Application's object list came from, for messages. */
export type ObjectSource = 'kustomize' | 'chart' | 'root';

export interface SimApplication {
  readonly name: string;
  /** Cluster key: the destination name, or the server URL. */
  readonly cluster: string;
  readonly project: string;
  readonly destinationNamespace: string | undefined;
  readonly objects: readonly SimObject[];
  readonly source: ObjectSource;
  /** spec.syncPolicy.syncOptions. */
  readonly syncOptions: readonly string[];
  /** spec.syncPolicy.retry.limit; undefined = no retry. Negative = unlimited. */
  readonly retryLimit: number | undefined;
  readonly automated: boolean;
}

export interface SimFinding {
  readonly rule: string;
  /** `Application/prod-us-east-1-streaming`, `ApplicationSet/streaming-prod`, `ExternalSecret/argocd/cluster-x`. */
  readonly object: string;
  readonly field?: string;
  readonly message: string;
  /** The cluster the finding concerns, when one. */
  readonly cluster?: string;
}
