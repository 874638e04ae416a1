// What every preset module provides, and the helpers they share. Sidecars read credentials from the Secret the
// compiler materialises the main container's env `secret` values into (env.ts envSecretName, keyed by variable name):
// a container cannot read another container's environment.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { EnvVar, ServiceSpec, Volume } from '../../../inventory/system-schema.ts';
import { envSecretName } from '../env.ts';

/** One property of the preset's credentials entry in the platform secret store, and the variable it becomes. */
export interface CredentialProperty {
  /** Property of the JSON value stored under the service's `credentials.key`. */
  readonly property: string;
  /** Environment variable of the main container that receives it. */
  readonly env: string;
}

export interface Preset {
  /** What the store entry under `credentials.key` must hold; empty when the image needs no credentials. */
  readonly credentials: readonly CredentialProperty[];
  /** The preset's spec for service `service` (its name; the user's spec is merged over it afterwards). */
  readonly defaults: (service: string, spec: ServiceSpec) => ServiceSpec;
  /** Sidecars of service `service`, built from its merged spec. */
  readonly sidecars: (service: string, spec: ServiceSpec) => (repository: (image: string) => string) => IContainer[];
  /** Metric names the preset's metrics port exposes. */
  readonly metrics: readonly string[];
}

/** The default size of a preset's persistent `data` volume (a user `data` volume replaces it). */
export const DEFAULT_DATA_SIZE = '10Gi';

/** The persistent `data` volume every preset keeps its state on. */
export const dataVolume = (mountPath: string): Volume => ({ name: 'data', mountPath, persistent: { size: DEFAULT_DATA_SIZE } });

/** The main container's env entries for the preset's credentials (none without `credentials`: never invented). */
export const credentialEnv = (properties: readonly CredentialProperty[], spec: ServiceSpec): EnvVar[] => {
  const key = spec.credentials?.key;
  if (key === undefined) return [];
  return properties.map((p) => ({ name: p.env, secret: { key, property: p.property } }));
};

/**
 * A sidecar variable `name` holding the value the main container receives as `mainEnv`, or undefined when the
 * merged spec does not take `mainEnv` from the secret store (a sidecar then gets nothing it could leak or break).
 */
export const sidecarSecretEnv = (service: string, spec: ServiceSpec, name: string, mainEnv: string): IEnvVar | undefined => {
  const source = spec.env?.find((e) => e.name === mainEnv);
  if (source?.secret === undefined) return undefined;
  return { name, valueFrom: { secretKeyRef: { name: envSecretName(service), key: mainEnv } } };
};
