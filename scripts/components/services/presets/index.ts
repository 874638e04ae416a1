// Presets for well-known backing services: each completes a service's spec with a StatefulSet's worth of defaults
// (ports, command, env, a persistent `data` volume, probes, the image's uid, metrics) and adds its exporter sidecars.
// The user's fields win (merge.ts). A preset never invents credentials: one that needs them reads them from the
// service's `credentials.key`, and the inventory checks reject a preset service without it
// (presetRequiresCredentials).
import type { PresetName, ServiceSpec } from '../../../inventory/system-schema.ts';
import type { PresetResult } from '../types.ts';
import { mergeSpec } from './merge.ts';
import { minioPreset } from './minio.ts';
import { natsPreset } from './nats.ts';
import { postgresPreset } from './postgres.ts';
import type { Preset } from './preset.ts';
import { rabbitmqPreset } from './rabbitmq.ts';
import { redisPreset } from './redis.ts';

export type { CredentialProperty } from './preset.ts';

const PRESET_MODULES: Readonly<Record<PresetName, Preset>> = {
  postgres: postgresPreset,
  redis: redisPreset,
  nats: natsPreset,
  minio: minioPreset,
  rabbitmq: rabbitmqPreset,
};

/**
 * Per preset, the properties its `credentials.key` entry must hold in the platform secret store and the variables
 * they become (docs/services.md lists them): postgres username/password → POSTGRES_USER/POSTGRES_PASSWORD; redis
 * password → REDISCLI_AUTH (the server's --requirepass); minio root-user/root-password →
 * MINIO_ROOT_USER/MINIO_ROOT_PASSWORD; rabbitmq username/password → RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS;
 * nats none.
 */
export const PRESET_CREDENTIALS: Readonly<Record<PresetName, readonly { readonly property: string; readonly env: string }[]>> = {
  postgres: postgresPreset.credentials,
  redis: redisPreset.credentials,
  nats: natsPreset.credentials,
  minio: minioPreset.credentials,
  rabbitmq: rabbitmqPreset.credentials,
};

/** Whether a service of this preset needs `credentials.key` (it cannot start without them). */
export const presetRequiresCredentials = (preset: PresetName): boolean => PRESET_CREDENTIALS[preset].length > 0;

/**
 * Service `name`'s spec completed by its preset (the user's fields win, merge.ts), with the preset's sidecars and
 * metrics. A spec without a preset comes back as it is. Every call builds fresh defaults, so two services of one
 * preset never share an object.
 */
export const applyPreset = (name: string, spec: ServiceSpec): PresetResult => {
  if (spec.preset === undefined) return { spec, sidecars: () => [], metrics: [] };
  const preset = PRESET_MODULES[spec.preset];
  // structuredClone: defaults may hold values shared with the built-in components (resources, config text).
  const merged = mergeSpec(structuredClone(preset.defaults(name, spec)), spec);
  return { spec: merged, sidecars: preset.sidecars(name, merged), metrics: preset.metrics };
};
