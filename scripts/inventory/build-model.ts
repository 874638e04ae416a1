// Validated inventory files → the canonical model. Every list and map gets a fixed order here so
// that renders (and any serialisation of the model) never depend on how the YAML was written.
import { inSchemaOrder } from './canonical.ts';
import {
  ClusterSchema,
  EnvironmentFileSchema,
  FleetFileSchema,
  STACKS,
  type ClusterEntry,
  type EnvironmentFile,
  type FleetFile,
} from './schema.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function toEnvironment(name: string, order: number, file: EnvironmentFile): Environment {
  // The file's fields flow through as they are, so a field added to the schema and the model
  // needs no edit here; only defaults are filled in.
  const complete: EnvironmentFile = { ...file, promotesTo: file.promotesTo, apps: file.apps ?? {} };
  // The format version is the loader's business; the model (and every render) is the same whatever format was read.
  const canonical: Omit<EnvironmentFile, 'schemaVersion'> & { schemaVersion?: number } = { ...inSchemaOrder(EnvironmentFileSchema, complete) };
  delete canonical.schemaVersion;
  return { name, order, ...canonical, promotesTo: canonical.promotesTo, apps: canonical.apps ?? {} };
}

function toCluster(entry: ClusterEntry): Cluster {
  const complete = {
    ...entry,
    capabilities: [...(entry.capabilities ?? [])].sort(byCodeUnits),
    stacks: STACKS.filter((s) => entry.stacks.includes(s)),
  };
  return inSchemaOrder(ClusterSchema, complete);
}

export interface ModelInput {
  readonly fleet: FleetFile;
  readonly clusters: readonly ClusterEntry[];
  /** Environment files by name. */
  readonly environments: ReadonlyMap<string, EnvironmentFile>;
  /** Environment names, first to last in promotion order. */
  readonly order: readonly string[];
}

/** Build the model from files that passed every check. */
export function buildFleet(input: ModelInput): Fleet {
  const fleet = inSchemaOrder(FleetFileSchema, input.fleet);
  const environments = input.order.flatMap((name, i) => {
    const file = input.environments.get(name);
    return file === undefined ? [] : [toEnvironment(name, i, file)];
  });
  return {
    name: fleet.name,
    git: fleet.git,
    images: fleet.images,
    argocd: fleet.argocd,
    ...(fleet.owners ? { owners: fleet.owners } : {}),
    ...(fleet.apps ? { apps: fleet.apps } : {}),
    addons: fleet.addons,
    environments,
    clusters: input.clusters.map(toCluster).sort((a, b) => byCodeUnits(a.name, b.name)),
    ...(fleet.kubernetesVersion !== undefined ? { kubernetesVersion: fleet.kubernetesVersion } : {}),
    ...(fleet.policy !== undefined ? { policy: fleet.policy } : {}),
    ...(fleet.streaming !== undefined ? { streaming: fleet.streaming } : {}),
    ...(fleet.transcoding !== undefined ? { transcoding: fleet.transcoding } : {}),
    ...(fleet.monitoring !== undefined ? { monitoring: fleet.monitoring } : {}),
    ...(fleet.platform !== undefined ? { platform: fleet.platform } : {}),
  };
}
