// One service of a system compiled into a Component of the model the built-in stacks use, so it gets the same
// overlays (replicas, HPA or KEDA, resources, PDB patches), policy, monitors, network policies, diff and promotion.
// Base: workload, Services, env ExternalSecret, config, claims, PDB, monitor, NetworkPolicies. Per cluster: the public
// route and the load balancer (hosts and annotations are the cluster's); cluster patches: storage classes.
import { serviceImages } from '../../inventory/preset-images.ts';
import type { Capability } from '../../inventory/schema.ts';
import { placementAdmits } from '../../model/fleet.ts';
import { podDisruptionBudget } from '../builders.ts';
import type { BaseContext, ClusterContext, Component, ImageRef, K8sObject } from '../component.ts';
import { envSecretObjects } from './env.ts';
import { clusterService, loadBalancerService, publicRouteObjects } from './exposure.ts';
import { metricsMonitor } from './monitoring.ts';
import { networkPolicies } from './network.ts';
import { serviceScaler } from './scaler.ts';
import { serviceOf, type SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';
import { storageClassPatches } from './volumes.ts';
import { DEFAULT_RESOURCES, mainImage, serviceAccountObjects, workloadKind, workloadObjects, workloadRef } from './workload.ts';

/** Replicas of a service whose spec and preset say none. */
export const DEFAULT_REPLICAS = 2;

/** Fleet images the service runs (the loader's view of the same spec, so pins and containers agree). */
const imagesOf = (input: ServiceInput): ImageRef[] => {
  mainImage(input); // a service with neither image nor preset is the loader's issue; reaching here is a bug
  return serviceImages(input.spec).map((image) => ({ image, via: 'transformer' as const }));
};

/** Capabilities the system's and the service's placements ask for: the component is only rendered where they are. */
const requiredCapabilities = (input: ServiceInput): Capability[] =>
  [...new Set([...(input.system.placement?.capabilities ?? []), ...(input.spec.placement?.capabilities ?? [])])].sort();

export const serviceComponent = (view: SystemView, name: string): Component => {
  const input = serviceOf(view, name);
  const { system, spec } = input;
  const workload = workloadRef(input);
  const kind = workloadKind(spec);
  const placement = [system.placement, spec.placement] as const;

  const base = (ctx: BaseContext): K8sObject[] => [
    ...workloadObjects(view, input, ctx),
    ...clusterService(view, input, ctx),
    ...envSecretObjects(view, input),
    // maxUnavailable 1; an environment's disruptionBudget is a patch of this object (render-overlays.ts).
    podDisruptionBudget({ app: name, namespace: view.namespace, stack: system.name }),
    ...metricsMonitor(view, input),
    ...networkPolicies(view, input, ctx),
  ];

  const scaler = serviceScaler(input, workload);
  return {
    name,
    stack: system.name,
    description: spec.description ?? `${spec.preset ?? 'Service'} ${name} of system ${system.name} (declared in ${system.file})`,
    requires: requiredCapabilities(input),
    enabled: (ctx: ClusterContext) => placement.every((p) => placementAdmits(p, ctx.cluster)),
    placement,
    metrics: input.preset?.metrics ?? [],
    images: imagesOf(input),
    workload,
    defaults: { replicas: spec.replicas ?? DEFAULT_REPLICAS, resources: spec.resources ?? DEFAULT_RESOURCES },
    base,
    cluster: (ctx: ClusterContext) => [...serviceAccountObjects(view, input, ctx), ...publicRouteObjects(view, input, ctx), ...loadBalancerService(view, input, ctx)],
    clusterPatches: (ctx: ClusterContext) => storageClassPatches(input, kind, ctx.cluster.storageClass),
    ...(scaler ? { scaler } : {}),
  };
};
