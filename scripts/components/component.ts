// The component model: an app is data (name, stack, images, defaults, workload) plus two small pure
// renderers — one for its complete base resources and, optionally, one for cluster-specific objects
// (public hosts). Env overlays and cluster overlays are derived from this data by the generic renderers.
import type { Autoscaling, Capability, Resources, StackName } from '../inventory/schema.ts';
import type { Placement } from '../inventory/system-schema.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { ScalingPace } from './scaling.ts';

/** Any Kubernetes object; typed builders (kubernetes-models interfaces) produce these. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The object whose replicas and resources the environment settings control. */
export interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** JSON pointer of the main container's `resources` inside the workload. */
  readonly resourcesPath: string;
  /**
   * How a replica count is applied: Kustomize's `replicas` transformer (Deployment, StatefulSet) or a
   * JSON6902 patch of `/spec/replicas` (custom resources the transformer does not know).
   */
  readonly replicasVia: 'transformer' | 'patch';
}

/**
 * Where an image pin is applied: Kustomize's `images` transformer for containers, or a JSON6902 patch of a
 * custom resource field (e.g. Prometheus `spec.image`), optionally mirroring the tag into a version field.
 */
export type ImageRef =
  | { readonly image: string; readonly via: 'transformer' }
  | { readonly image: string; readonly via: 'patch'; readonly imagePath: string; readonly versionPath?: string };

export interface BaseContext {
  readonly fleet: Fleet;
  /** Image repository (no tag) for an image name of the fleet. */
  readonly repository: (image: string) => string;
  /**
   * Every component the fleet renders (built-in and inventory-declared). Components that describe others —
   * monitors, alert rules, dashboards, network allows — derive them from here instead of importing the catalog.
   */
  readonly components: readonly Component[];
}

export interface ClusterContext extends BaseContext {
  readonly cluster: Cluster;
  readonly environment: Environment;
}

export interface Component {
  readonly name: string;
  readonly stack: StackName;
  readonly description: string;
  readonly requires: readonly Capability[];
  /**
   * Whether the component runs on a cluster that has its required capabilities, decided by inventory
   * settings (e.g. Postgres is not rendered where the inventory points the stack at a managed database).
   * Absent = always. Must be pure and cheap: it runs for every cluster.
   */
  readonly enabled?: (ctx: ClusterContext) => boolean;
  /**
   * A system service's placement (the system's, then the service's): the loader's view of where it runs, for checks
   * that see no cluster context (version pins, promotion). `enabled` applies the same placement when rendering.
   */
  readonly placement?: readonly (Placement | undefined)[];
  /**
   * Metric names the component exposes on its metrics port (without `_bucket`/`_sum`/`_count` suffixes of
   * histograms). Alert rules and dashboards may only query metrics some component or known exporter exposes.
   */
  readonly metrics?: readonly string[];
  readonly images: readonly ImageRef[];
  readonly workload: WorkloadRef;
  readonly defaults: { readonly replicas: number; readonly resources: Resources };
  /**
   * Extended resources (e.g. `nvidia.com/gpu`) always set with requests equal to limits; kept apart from
   * `resources` so an environment overriding cpu/memory can never drop them.
   */
  readonly extendedResources?: Readonly<Record<string, string>>;
  /** Complete, environment- and cluster-independent resources (no image tags, no replicas). */
  readonly base: (ctx: BaseContext) => K8sObject[];
  /**
   * Objects the component adds on every cluster that has a capability, the same on each (the mesh's mTLS,
   * authorization and traffic policies). Rendered once into `base/<stack>/<component>/<capability>/`, which the
   * kustomization of each such cluster includes, instead of once per cluster.
   */
  readonly withCapability?: { readonly [C in Capability]?: (ctx: BaseContext) => K8sObject[] };
  /** Objects that only make sense per cluster (hosts, certificates). */
  readonly cluster?: (ctx: ClusterContext) => K8sObject[];
  /**
   * Cluster-specific JSON6902 patches of base objects (storage class, load-balancer annotations).
   * Cheap for Kustomize, unlike strategic-merge patches.
   */
  readonly clusterPatches?: (ctx: ClusterContext) => JsonPatch[];
  /**
   * The objects that scale the workload when an environment sets `autoscaling` for it. Absent = a
   * HorizontalPodAutoscaler v2 on CPU/memory; queue consumers return a KEDA ScaledObject instead.
   * Rendered into the environment overlay, which then sets no replica count.
   */
  readonly scaler?: (autoscaling: Autoscaling, ctx: BaseContext, environment: Environment) => K8sObject[];
  /** The component's default autoscaling pace (HPA behavior) when the environment sets none; absent = DEFAULT_PACE. */
  readonly scalingPace?: ScalingPace;
  /** Why the environment may not set `autoscaling.scaleDown` (the component paces its own scale-in). */
  readonly fixedScaleDown?: string;
}

export interface JsonPatchOp {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

export interface JsonPatch {
  readonly target: { readonly kind: string; readonly name: string; readonly group?: string; readonly version?: string };
  readonly ops: readonly JsonPatchOp[];
}
