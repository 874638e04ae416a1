// clusters/<cluster>/<stack>/: the folder an Argo CD Application syncs. Thin: it composes the base units
// and the environment's app Components, adds the cluster's public hosts, and patches cluster facts
// (storage class, load-balancer annotations) with JSON6902 patches. Cluster labels go on every object.
import type { Component, K8sObject } from '../components/component.ts';
import { capabilityUnitsOn } from '../components/placement.ts';
import type { StackName } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION } from '../lib/labels.ts';
import { basePath, CLUSTER_RESOURCES_FILE, clusterStackPath, NAMESPACE_UNIT, overlayPath, posixJoin } from '../lib/layout.ts';
import type { Cluster, Environment } from '../model/fleet.ts';
import type { BaseContext } from '../components/component.ts';
import type { GeneratedFile } from './generated-file.ts';
import { kustomizationFile, relativeDir } from './kustomize-files.ts';
import { imagePins } from './render-overlays.ts';
import { compareKeys, yamlStreamFile } from './serialize.ts';

/** Kinds whose pod templates name images; only these can need a pin. */
const WORKLOAD_KINDS = new Set(['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'StatefulSet']);

/** Objects in a stable order: by kind, then namespace, then name. */
const byIdentity = (a: K8sObject, b: K8sObject): number =>
  compareKeys(a.kind, b.kind) || compareKeys(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareKeys(a.metadata.name, b.metadata.name);

export const renderClusterStack = (
  ctx: BaseContext,
  cluster: Cluster,
  environment: Environment,
  stack: StackName,
  components: readonly Component[],
  /** The cluster's own objects (hosts), rendered once by the plan. */
  own: readonly K8sObject[],
): GeneratedFile[] => {
  const dir = clusterStackPath(cluster.name, stack);
  const clusterCtx = { ...ctx, cluster, environment };
  const patches = components.flatMap((c) => c.clusterPatches?.(clusterCtx) ?? []);
  const resources: GeneratedFile[] =
    own.length > 0 ? [{ path: posixJoin(dir, CLUSTER_RESOURCES_FILE), content: yamlStreamFile([...own].sort(byIdentity)) }] : [];
  // The cluster's own objects get the environment's pins of the images they run (e.g. the on-demand k6 CronJob);
  // the apps' objects get theirs from their overlays.
  const ownText = JSON.stringify(own.filter((o) => WORKLOAD_KINDS.has(o.kind)));
  const images = [...new Map(components.flatMap((c) => imagePins(ctx, environment, c)).map((i) => [i.name, i])).values()]
    .filter((i) => ownText.includes(`"${i.name}"`))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [
    ...resources,
    kustomizationFile(dir, 'Kustomization', {
      resources: [
        relativeDir(dir, basePath(stack, NAMESPACE_UNIT)),
        ...components.map((c) => relativeDir(dir, overlayPath(environment.name, stack, c.name))),
        ...capabilityUnitsOn(cluster, components).map((u) => relativeDir(dir, basePath(stack, u.unit))),
        ...(resources.length > 0 ? [CLUSTER_RESOURCES_FILE] : []),
      ],
      images,
      labels: [
        {
          includeSelectors: false,
          pairs: {
            [LABEL_CLUSTER]: cluster.name,
            [LABEL_ENVIRONMENT]: environment.name,
            [LABEL_REGION]: cluster.region,
          },
        },
      ],
      patches,
    }),
  ];
};
