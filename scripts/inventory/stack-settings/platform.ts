// Inventory settings of the platform add-ons: fleet-wide defaults (fleet.yaml `platform:`), per-cluster overrides
// (clusters.yaml `platform:`) and per-environment settings (environments/<env>.yaml `platform:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const PlatformFleetSettingsSchema = Type.Object({}, { ...strict, description: 'Platform settings for the whole fleet' });

export const PlatformClusterSettingsSchema = Type.Object({}, { ...strict, description: 'Platform settings of this cluster' });

export const PlatformEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Platform settings of this environment' });

export type PlatformFleetSettings = Static<typeof PlatformFleetSettingsSchema>;
export type PlatformClusterSettings = Static<typeof PlatformClusterSettingsSchema>;
export type PlatformEnvironmentSettings = Static<typeof PlatformEnvironmentSettingsSchema>;
