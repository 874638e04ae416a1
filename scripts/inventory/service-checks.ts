// Rules about one service of a system that JSON Schema cannot express: what would be rendered but could not work
// (a probe on a port the container lacks, a database on scratch space, a KEDA trigger without its connection).
// Each rule lives in service-checks/; every issue names the field (file, line, column), what was expected and what
// was found, and all are reported at once. Rules about the completed spec (ports, probes, volumes) see the preset's
// defaults, and point at the user's field when they wrote it, else at `preset`.
import type { Report, SystemInput } from './cross-check-input.ts';
import type { ServiceSpec } from './system-schema.ts';
import { serviceContext } from './service-checks/context.ts';
import { checkCredentials } from './service-checks/credentials.ts';
import { checkDependencies } from './service-checks/dependencies.ts';
import { checkEnv } from './service-checks/env.ts';
import { checkExposure } from './service-checks/exposure.ts';
import { checkPlacement } from './service-checks/placement.ts';
import { checkPorts } from './service-checks/ports.ts';
import { checkScaling } from './service-checks/scaling.ts';
import { checkVolumes } from './service-checks/volumes.ts';
import { placedInEnvironment } from '../model/fleet.ts';

export interface ServiceCheckInput {
  readonly system: SystemInput;
  readonly name: string;
  readonly spec: ServiceSpec;
  /** Every service of the system, by name (dependencies, env references, triggers). */
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** Every environment of the inventory, by name (where the service runs, per-environment settings). */
  readonly environments: readonly string[];
  readonly report: Report;
}

/** The environments both placements admit: the same rule build-model.ts applies to per-environment settings. */
export const environmentsOf = (system: ServiceSpec['placement'], service: ServiceSpec['placement'], environments: readonly string[]): string[] =>
  environments.filter((environment) => placedInEnvironment([system, service], environment));

export function checkService(input: ServiceCheckInput): void {
  const file = input.system.value;
  if (file === undefined) return;
  const runsIn = environmentsOf(file.placement, input.spec.placement, input.environments);
  const ctx = serviceContext(input.system.source, file, input.name, input.spec, input.services, runsIn, input.report);
  checkEnv(ctx);
  checkVolumes(ctx);
  checkPorts(ctx);
  checkScaling(ctx);
  checkExposure(ctx);
  checkDependencies(ctx);
  checkCredentials(ctx);
  checkPlacement(ctx, input.environments);
}
