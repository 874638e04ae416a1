// The shapes every check shares: rendered objects, the Application they belong to, and findings.
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { JsonObject } from './json.ts';

/**
 * BLOCK: fails validate everywhere. PROD: fails validate in prod (checked only there). WARN: reported, never fails.
 */
export type Severity = 'BLOCK' | 'PROD' | 'WARN';

/** One object of an Application's build output. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** metadata.namespace as written; undefined for cluster-scoped objects and objects that take the default. */
  readonly namespace: string | undefined;
  /** The namespace the object lands in: its own, else the Application's destination namespace (namespaced kinds). */
  readonly effectiveNamespace: string | undefined;
  /** 1-based document number in the build output. */
  readonly doc: number;
  readonly raw: JsonObject;
}

/** An Application (or the root's argocd/ folder) and what its path renders to. */
export interface AppTarget {
  /** Argo CD Application name (`prod-eu-west-1-streaming`, `root`). */
  readonly name: string;
  /** Repository-relative folder it syncs. */
  readonly path: string;
  readonly project: string;
  /** Destination cluster: name, or server URL. */
  readonly destination: string;
  readonly namespace: string;
  readonly cluster?: Cluster;
  readonly environment?: Environment;
  readonly stack?: string;
}

export interface AppContext {
  readonly target: AppTarget;
  readonly objects: readonly RenderedObject[];
  readonly fleet: Fleet;
  /** True when the Application deploys to the prod environment (PROD rules apply). */
  readonly isProd: boolean;
}

/** What a rule reports; the runner adds severity, file and exemptions. */
export interface RawFinding {
  readonly rule: string;
  /** The object to blame; a string for findings about a file or the Application itself. */
  readonly object?: RenderedObject;
  /** Field inside the object: `spec.template.spec.containers[0].image`. */
  readonly field?: string;
  readonly message: string;
  /** File to blame when there is no object (a kustomization); repository-relative. */
  readonly file?: string;
  readonly line?: number;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** Whether this finding fails validate (BLOCK, or PROD in prod, and not exempted). */
  readonly blocking: boolean;
  readonly application: string;
  readonly cluster?: string;
  readonly stack?: string;
  /** Repository-relative file that defines the object (or holds the problem). */
  readonly file: string;
  readonly line?: number;
  /** `Deployment streaming/edge-cache`; absent for file-level findings. */
  readonly object?: string;
  readonly field?: string;
  readonly message: string;
  /** Reason from the inventory when an exemption applies (the finding then does not block). */
  readonly exempted?: string;
}

export type AppRule = (ctx: AppContext) => RawFinding[];
/** Rules that compare Applications (fleet-wide uniqueness, cross-stack references on one cluster). */
export type FleetRule = (apps: readonly AppContext[]) => Array<RawFinding & { readonly app: AppContext }>;

/** The cluster an Application deploys to: its inventory cluster, else its destination (the root's `in-cluster`). */
export const clusterKey = (target: AppTarget): string => target.cluster?.name ?? target.destination;
