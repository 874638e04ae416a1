// The contracts between the parts of the service compiler: presets complete a spec, the compiler turns a complete
// spec into a Component of the one component model the built-in stacks use.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ServiceSpec } from '../../inventory/system-schema.ts';
import type { System } from '../../model/fleet.ts';

/** What a preset adds to a service: its defaults, and what the spec has no words for (exporter sidecars). */
export interface PresetResult {
  /**
   * The spec with the preset's defaults filled in. The user's fields win: scalars and lists replace the preset's,
   * except `volumes` (replaced by name), `probes` (replaced one by one) and `env` (replaced by name).
   */
  readonly spec: ServiceSpec;
  /** Sidecar containers (exporters), hardened, their images resolved through `repository` (fleet image name → repository). */
  readonly sidecars: (repository: (image: string) => string) => IContainer[];
  /** Metric names the metrics port exposes: alert rules and dashboards may query only these. */
  readonly metrics: readonly string[];
}

/** One service ready to compile: its system, its name, and its spec after the preset (if any). */
export interface ServiceInput {
  readonly system: System;
  readonly name: string;
  /** After the preset's defaults. */
  readonly spec: ServiceSpec;
  /** The preset's additions; absent for a plain service. */
  readonly preset?: PresetResult;
}
