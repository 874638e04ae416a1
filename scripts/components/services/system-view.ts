// One system as the compiler sees it: every service after its preset, and the facts one service needs about the
// others (their addresses, their Service ports, who calls whom). Built once per system so a service's NetworkPolicy
// and its dependents' env values read the same answers.
import type { ServicePort, ServiceSpec } from '../../inventory/system-schema.ts';
import type { System } from '../../model/fleet.ts';
import { stackNamespace } from '../stacks.ts';
import { applyPreset } from './presets/index.ts';
import type { ServiceInput } from './types.ts';

export interface SystemView {
  readonly system: System;
  /** The system's namespace (= its name = its stack). */
  readonly namespace: string;
  /** Every service after its preset, by name (sorted). */
  readonly services: ReadonlyMap<string, ServiceInput>;
}

/** Every service of the system, completed by its preset when it names one. */
export const systemView = (system: System): SystemView => {
  const names = Object.keys(system.services).sort();
  const services = new Map<string, ServiceInput>(
    names.map((name) => {
      const spec = system.services[name]!;
      if (spec.preset === undefined) return [name, { system, name, spec }];
      const preset = applyPreset(name, spec);
      return [name, { system, name, spec: preset.spec, preset }];
    }),
  );
  return { system, namespace: stackNamespace(system.name), services };
};

/** The completed spec of a service of the system; the inventory checks make an unknown name unreachable. */
export const serviceOf = (view: SystemView, name: string): ServiceInput => {
  const input = view.services.get(name);
  if (input === undefined) throw new Error(`${view.system.file}: "${name}" is not a service of system ${view.system.name}`);
  return input;
};

/** The port a Service of this spec listens on for a container port: the declared servicePort, else the same number. */
export const servicePortNumber = (p: ServicePort): number => p.servicePort ?? p.port;

/** A named port of a service's own spec (not its sidecars'). */
export const portNamed = (spec: ServiceSpec, port: string): ServicePort | undefined => spec.ports?.find((p) => p.name === port);

/** The in-cluster DNS name of a service's Service. */
export const serviceHost = (service: string, namespace: string): string => `${service}.${namespace}.svc.cluster.local`;

/**
 * The services a service calls: those it names in `dependsOn` and those whose address an env var reads
 * (`fromService` makes the referenced service a dependency). Sorted, unique.
 */
export const dependenciesOf = (spec: ServiceSpec): string[] =>
  [...new Set([...(spec.dependsOn ?? []), ...(spec.env ?? []).flatMap((e) => (e.fromService ? [e.fromService.service] : []))])].sort();

/** The services of the system that call `name` (its dependents), sorted. */
export const dependentsOf = (view: SystemView, name: string): string[] =>
  [...view.services.values()].filter((s) => s.name !== name && dependenciesOf(s.spec).includes(name)).map((s) => s.name);
