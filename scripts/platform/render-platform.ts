// clusters/<cluster>/platform/: the cluster-scoped configuration the add-on charts cannot know (ClusterIssuers,
// the ClusterSecretStore), one Kustomize folder per cluster, synced by the addon-platform-config ApplicationSet.
import type { K8sObject } from '../components/component.ts';
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, LABEL_REGION } from '../lib/labels.ts';
import { platformConfigPath } from '../lib/layout.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { kustomizationFile, objectFiles } from '../render/kustomize-files.ts';
import { clusterIssuerMismatches, clusterIssuerObjects } from './cluster-issuers.ts';
import { clusterSecretStore } from './secret-store.ts';

/** The loader guarantees every cluster's environment exists. */
const environmentOf = (fleet: Fleet, cluster: Cluster): Environment => fleet.environments.find((e) => e.name === cluster.environment)!;

/** Every platform config object of one cluster, sorted by kind then name. */
export const platformConfigObjects = (fleet: Fleet, cluster: Cluster): K8sObject[] =>
  [...clusterIssuerObjects(fleet, cluster, environmentOf(fleet, cluster)), clusterSecretStore(fleet, cluster)].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name),
  );

/** Thrown when the inventory asks for something the platform render cannot produce; lists every problem. */
export class PlatformConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`platform configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformConfigError';
  }
}

/** Render every cluster's platform folder; collects all problems (issuer names, store settings) and throws once. */
export const renderPlatformConfig = (fleet: Fleet): GeneratedFile[] => {
  const problems = [...clusterIssuerMismatches(fleet)];
  const files: GeneratedFile[] = [];
  for (const cluster of fleet.clusters) {
    let objects: K8sObject[];
    try {
      objects = platformConfigObjects(fleet, cluster);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    const dir = platformConfigPath(cluster.name);
    const own = objectFiles(dir, objects);
    files.push(
      ...own,
      kustomizationFile(dir, 'Kustomization', {
        resources: own.map((f) => f.path.slice(dir.length + 1)).sort(),
        // The same cluster labels as the stacks' folders, so fleet-wide selectors find these objects too.
        labels: [{ includeSelectors: false, pairs: { [LABEL_CLUSTER]: cluster.name, [LABEL_ENVIRONMENT]: cluster.environment, [LABEL_REGION]: cluster.region } }],
      }),
    );
  }
  if (problems.length > 0) throw new PlatformConfigError(problems);
  return files;
};
