// Inventory settings of the streaming stack: fleet-wide defaults (fleet.yaml `streaming:`), per-cluster overrides
// (clusters.yaml `streaming:`) and per-environment settings (environments/<env>.yaml `streaming:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const StreamingFleetSettingsSchema = Type.Object({}, { ...strict, description: 'Streaming settings for the whole fleet' });

export const StreamingClusterSettingsSchema = Type.Object({}, { ...strict, description: 'Streaming settings of this cluster' });

export const StreamingEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Streaming settings of this environment' });

export type StreamingFleetSettings = Static<typeof StreamingFleetSettingsSchema>;
export type StreamingClusterSettings = Static<typeof StreamingClusterSettingsSchema>;
export type StreamingEnvironmentSettings = Static<typeof StreamingEnvironmentSettingsSchema>;
