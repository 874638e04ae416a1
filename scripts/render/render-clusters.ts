// clusters/<cluster>/<stack>/: the folder an Argo CD Application syncs. Thin: it composes the base units
// and the environment's app Components, adds the cluster's public hosts, and patches cluster facts
// (storage class, load-balancer annotations) with JSON6902 patches. Cluster labels go on every object.
import type { Component, K8sObject } from '../components/component.ts';
import type { StackName } from '../inventory/schema.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION } from '../lib/labels.ts';
import { basePath, clusterStackPath, NAMESPACE_UNIT, overlayPath } from '../lib/layout.ts';
import type { Cluster, Environment } from '../model/fleet.ts';
import type { BaseContext } from '../components/component.ts';
import type { GeneratedFile } from './generated-file.ts';
import { kustomizationFile, objectFileName, objectFiles, relativeDir } from './kustomize-files.ts';

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
  return [
    ...objectFiles(dir, own),
    kustomizationFile(dir, 'Kustomization', {
      resources: [
        relativeDir(dir, basePath(stack, NAMESPACE_UNIT)),
        ...components.map((c) => relativeDir(dir, basePath(stack, c.name))),
        ...own.map(objectFileName).sort(),
      ],
      components: components.map((c) => relativeDir(dir, overlayPath(environment.name, stack, c.name))),
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
