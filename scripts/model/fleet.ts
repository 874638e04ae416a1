// The validated model: what the inventory loader returns and every render function reads.
// Lists are in a canonical order (environments by promotion order, clusters by name) so that
// renders never depend on the order of the YAML input.
import type {
  Addon,
  AppSettings,
  ArgoCdSettings,
  InventoryApp,
  Owners,
  Capability,
  Destination,
  FleetPolicy,
  LoadBalancerFlavour,
  StackName,
  SyncPolicy,
} from '../inventory/schema.ts';
import { STACKS } from '../inventory/schema.ts';
import type { Placement, ServiceSpec } from '../inventory/system-schema.ts';
import type { MonitoringClusterSettings, MonitoringEnvironmentSettings, MonitoringFleetSettings } from '../inventory/stack-settings/monitoring.ts';
import type { PlatformClusterSettings, PlatformEnvironmentSettings, PlatformFleetSettings } from '../inventory/stack-settings/platform.ts';
import type { StreamingClusterSettings, StreamingEnvironmentSettings, StreamingFleetSettings } from '../inventory/stack-settings/streaming.ts';
import type { TranscodingClusterSettings, TranscodingEnvironmentSettings, TranscodingFleetSettings } from '../inventory/stack-settings/transcoding.ts';

export interface Environment {
  readonly name: string;
  /** Position in the promotion order, 0 = first (dev). */
  readonly order: number;
  readonly promotesTo: string | undefined;
  readonly syncPolicy: SyncPolicy;
  /** cert-manager ClusterIssuer that signs this environment's TLS certificates. */
  readonly clusterIssuer: string;
  /** Per-app settings keyed by app name; apps without an entry use their component defaults. */
  readonly apps: Readonly<Record<string, AppSettings>>;
  /** RollingSync step size when progressive sync is on; undefined = all at once. */
  readonly progressiveSync?: { readonly maxUpdate: number | string } | undefined;
  /** Image tag pins keyed by image name. */
  readonly versions: Readonly<Record<string, string>>;
  /** Per-stack settings of this environment, when the file has them (defaults live in the components). */
  readonly streaming?: StreamingEnvironmentSettings;
  readonly transcoding?: TranscodingEnvironmentSettings;
  readonly monitoring?: MonitoringEnvironmentSettings;
  readonly platform?: PlatformEnvironmentSettings;
}

export interface Cluster {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly destination: Destination;
  readonly domain: string;
  readonly storageClass: string;
  readonly loadBalancer: LoadBalancerFlavour;
  /** Sorted. */
  readonly capabilities: readonly Capability[];
  /** Built-in stacks in STACKS order, then the systems placed on the cluster by name. */
  readonly stacks: readonly StackName[];
  /** API groups served before any Application syncs, besides Kubernetes' own (inventory `baseline`). */
  readonly baseline?: readonly string[];
  /** Per-stack settings of this cluster, when clusters.yaml has them (override the fleet's). */
  readonly streaming?: StreamingClusterSettings;
  readonly transcoding?: TranscodingClusterSettings;
  readonly monitoring?: MonitoringClusterSettings;
  readonly platform?: PlatformClusterSettings;
}

export interface Fleet {
  readonly name: string;
  readonly git: { readonly repoURL: string; readonly targetRevision: string };
  readonly images: Readonly<Record<string, { readonly repository: string }>>;
  readonly argocd: ArgoCdSettings;
  /** HTTP services declared in the inventory, keyed by app name. */
  readonly apps?: Readonly<Record<string, InventoryApp>> | undefined;
  /** Systems declared in `inventory/systems/<name>.yaml`, sorted by name: each is a stack of its own. */
  readonly systems: readonly System[];
  /** Code owners; undefined = no CODEOWNERS file. */
  readonly owners?: Owners | undefined;
  /** Platform add-ons keyed by name (sorted). */
  readonly addons: Readonly<Record<string, Addon>>;
  /** In promotion order. */
  readonly environments: readonly Environment[];
  /** Sorted by name. */
  readonly clusters: readonly Cluster[];
  /** Kubernetes minor version the clusters run (`1.32`), when the inventory pins one. */
  readonly kubernetesVersion?: string;
  /** Settings of the `pnpm validate` policy checks (allowed registries, exemptions), when given. */
  readonly policy?: FleetPolicy;
  /** Fleet-wide per-stack settings, when fleet.yaml has them (defaults live in the components). */
  readonly streaming?: StreamingFleetSettings;
  readonly transcoding?: TranscodingFleetSettings;
  readonly monitoring?: MonitoringFleetSettings;
  readonly platform?: PlatformFleetSettings;
}

/** A system: its own stack (namespace, AppProject, ApplicationSets) of services declared in the inventory. */
export interface System {
  /** The file name: also its stack's and namespace's name. */
  readonly name: string;
  /** Its file as the repository names it (`inventory/systems/<name>.yaml`), for CODEOWNERS and descriptions. */
  readonly file: string;
  readonly description: string;
  readonly owners?: readonly string[];
  readonly placement?: Placement;
  /** Keyed by service name, sorted. */
  readonly services: Readonly<Record<string, ServiceSpec>>;
}

/** The cluster facts a placement reads. */
export type PlacedCluster = Pick<Cluster, 'name' | 'environment' | 'capabilities'>;

/** Whether a placement admits a cluster: every field given must match. */
export const placementAdmits = (p: Placement | undefined, c: PlacedCluster): boolean =>
  p === undefined ||
  ((p.environments === undefined || p.environments.includes(c.environment)) &&
    (p.clusters === undefined || p.clusters.includes(c.name)) &&
    (p.capabilities === undefined || p.capabilities.every((cap) => c.capabilities.includes(cap))));

/**
 * Whether a system's service runs in an environment as far as the placements' `environments` say (its clusters and
 * capabilities narrow further, per cluster): where its per-environment settings apply.
 */
export const placedInEnvironment = (placements: readonly (Placement | undefined)[], environment: string): boolean =>
  placements.every((p) => p?.environments === undefined || p.environments.includes(environment));

/** What the loader needs to know about the component catalog to cross-check the inventory. */
export interface CatalogEntry {
  readonly name: string;
  readonly stack: StackName;
  /** Image names (keys of the fleet's `images`) this app runs. */
  readonly images: readonly string[];
  /** The app is rendered only on clusters that have all of these capabilities. */
  readonly requires: readonly Capability[];
  /** Whether the app's workload can be scaled (Deployments/StatefulSets; not DaemonSets). */
  readonly scalable: boolean;
  /** Set when the app paces its own scale-in: why `autoscaling.scaleDown` may not be set for it. */
  readonly fixedScaleDown?: string;
  /** Services of a system: the clusters it runs on (system and service placement); its stack is the system. */
  readonly placement?: readonly (Placement | undefined)[];
  /** Whether `autoscaling.targetQueueLength` means something for it (a queue consumer with its own scaler). */
  readonly queueScaled?: boolean;
}

/** Every stack of the fleet: the built-in ones in their order, then the systems by name. */
export const allStacks = (fleet: Pick<Fleet, 'systems'>): StackName[] => [...STACKS, ...fleet.systems.map((s) => s.name)];

/** The Argo CD Application name for a cluster's stack; must stay a DNS-1123 label (≤ 63 chars). */
export const applicationName = (cluster: string, stack: string): string => `${cluster}-${stack}`;

/** The apps of a stack that a cluster runs, given its capabilities (and, for a system's services, their placement). */
export const appsForCluster = (
  catalog: readonly CatalogEntry[],
  cluster: PlacedCluster,
  stack: StackName,
): CatalogEntry[] =>
  catalog.filter(
    (c) =>
      c.stack === stack &&
      c.requires.every((cap) => cluster.capabilities.includes(cap)) &&
      (c.placement === undefined || c.placement.every((p) => placementAdmits(p, cluster))),
  );

/** Every catalog entry a cluster runs: its built-in stacks' apps, and the services of systems placed on it. */
export const catalogOnCluster = (catalog: readonly CatalogEntry[], cluster: PlacedCluster & { readonly stacks: readonly string[] }): CatalogEntry[] =>
  catalog.filter(
    (c) =>
      (c.placement !== undefined || cluster.stacks.includes(c.stack)) &&
      c.requires.every((cap) => cluster.capabilities.includes(cap)) &&
      (c.placement === undefined || c.placement.every((p) => placementAdmits(p, cluster))),
  );
