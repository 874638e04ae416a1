// Validated inventory files → the canonical model. Every list and map gets a fixed order here so
// that renders (and any serialisation of the model) never depend on how the YAML was written.
import { inSchemaOrder } from './canonical.ts';
import { INVENTORY_DIR, posixJoin, SYSTEMS_DIR } from '../lib/layout.ts';
import {
  ClusterSchema,
  EnvironmentFileSchema,
  FleetFileSchema,
  STACKS,
  type ClusterEntry,
  type EnvironmentFile,
  type FleetFile,
} from './schema.ts';
import type { AppSettings } from './schema.ts';
import type { ServiceSpec, SystemFile } from './system-schema.ts';
import { placedInEnvironment, placementAdmits, type Cluster, type Environment, type Fleet, type System } from '../model/fleet.ts';

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

function toCluster(entry: ClusterEntry, systems: readonly System[]): Cluster {
  const capabilities = [...(entry.capabilities ?? [])].sort(byCodeUnits);
  const placed = { name: entry.name, environment: entry.environment, capabilities };
  const complete = {
    ...entry,
    capabilities,
    // A system is a stack of every cluster its placement admits and one of its services runs on.
    stacks: [
      ...STACKS.filter((s) => entry.stacks.includes(s)),
      ...systems
        .filter((sys) => placementAdmits(sys.placement, placed) && Object.values(sys.services).some((svc) => placementAdmits(svc.placement, placed)))
        .map((sys) => sys.name),
    ],
  };
  return inSchemaOrder(ClusterSchema, complete);
}

/**
 * A service's settings in one environment: the environment's own entry under `environments:` wins field by field over
 * the service-level values, except that replicas and autoscaling replace each other (one owns the replica count).
 */
export function serviceSettings(spec: ServiceSpec, env: string): AppSettings {
  const own = spec.environments?.[env] ?? {};
  const scaling: AppSettings =
    own.autoscaling !== undefined
      ? { autoscaling: own.autoscaling }
      : own.replicas !== undefined
        ? { replicas: own.replicas }
        : spec.autoscaling !== undefined
          ? { autoscaling: spec.autoscaling }
          : spec.replicas !== undefined
            ? { replicas: spec.replicas }
            : {};
  const resources = own.resources ?? spec.resources;
  const budget = own.disruptionBudget ?? spec.disruptionBudget;
  return { ...scaling, ...(resources ? { resources } : {}), ...(budget ? { disruptionBudget: budget } : {}) };
}

const byKey = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodeUnits(a, b)));

function toSystem(name: string, file: string, value: SystemFile): System {
  return {
    name,
    file,
    description: value.description,
    ...(value.owners ? { owners: value.owners } : {}),
    ...(value.placement ? { placement: value.placement } : {}),
    services: byKey(value.services),
  };
}

export interface ModelInput {
  readonly fleet: FleetFile;
  readonly clusters: readonly ClusterEntry[];
  /** Environment files by name. */
  readonly environments: ReadonlyMap<string, EnvironmentFile>;
  /** Environment names, first to last in promotion order. */
  readonly order: readonly string[];
  /** System files by system name, with their repo-relative path. */
  readonly systems?: ReadonlyMap<string, { readonly file: string; readonly value: SystemFile }>;
}

/** Build the model from files that passed every check. */
export function buildFleet(input: ModelInput): Fleet {
  const fleet = inSchemaOrder(FleetFileSchema, input.fleet);
  const systems = [...(input.systems ?? new Map()).entries()]
    .sort(([a], [b]) => byCodeUnits(a, b))
    // The repo-relative path, whatever folder the inventory was read from: it is written into CODEOWNERS.
    .map(([name, { value }]) => toSystem(name, posixJoin(INVENTORY_DIR, SYSTEMS_DIR, `${name}.yaml`), value));
  const environments = input.order.flatMap((name, i) => {
    const file = input.environments.get(name);
    if (file === undefined) return [];
    const env = toEnvironment(name, i, file);
    // A system's per-environment settings join the environment's apps: overlays read one place for every component.
    const services = systems.flatMap((sys) =>
      Object.entries(sys.services)
        .filter(([, svc]) => placedInEnvironment([sys.placement, svc.placement], name))
        .map(([svcName, svc]) => [svcName, serviceSettings(svc, name)] as const),
    );
    return [services.length === 0 ? env : { ...env, apps: byKey({ ...env.apps, ...Object.fromEntries(services) }) }];
  });
  return {
    name: fleet.name,
    git: fleet.git,
    images: fleet.images,
    argocd: fleet.argocd,
    ...(fleet.owners ? { owners: fleet.owners } : {}),
    ...(fleet.apps ? { apps: fleet.apps } : {}),
    systems,
    addons: fleet.addons,
    environments,
    clusters: input.clusters.map((c) => toCluster(c, systems)).sort((a, b) => byCodeUnits(a.name, b.name)),
    ...(fleet.kubernetesVersion !== undefined ? { kubernetesVersion: fleet.kubernetesVersion } : {}),
    ...(fleet.policy !== undefined ? { policy: fleet.policy } : {}),
    ...(fleet.streaming !== undefined ? { streaming: fleet.streaming } : {}),
    ...(fleet.transcoding !== undefined ? { transcoding: fleet.transcoding } : {}),
    ...(fleet.monitoring !== undefined ? { monitoring: fleet.monitoring } : {}),
    ...(fleet.platform !== undefined ? { platform: fleet.platform } : {}),
  };
}
