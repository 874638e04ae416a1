// Inventory settings of the transcoding stack: fleet-wide defaults (fleet.yaml `transcoding:`), per-cluster overrides
// (clusters.yaml `transcoding:`) and per-environment settings (environments/<env>.yaml `transcoding:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const TranscodingFleetSettingsSchema = Type.Object({}, { ...strict, description: 'Transcoding settings for the whole fleet' });

export const TranscodingClusterSettingsSchema = Type.Object({}, { ...strict, description: 'Transcoding settings of this cluster' });

export const TranscodingEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Transcoding settings of this environment' });

export type TranscodingFleetSettings = Static<typeof TranscodingFleetSettingsSchema>;
export type TranscodingClusterSettings = Static<typeof TranscodingClusterSettingsSchema>;
export type TranscodingEnvironmentSettings = Static<typeof TranscodingEnvironmentSettingsSchema>;
