// Inventory settings of the monitoring stack: fleet-wide defaults (fleet.yaml `monitoring:`), per-cluster overrides
// (clusters.yaml `monitoring:`) and per-environment settings (environments/<env>.yaml `monitoring:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const MonitoringFleetSettingsSchema = Type.Object({}, { ...strict, description: 'Monitoring settings for the whole fleet' });

export const MonitoringClusterSettingsSchema = Type.Object({}, { ...strict, description: 'Monitoring settings of this cluster' });

export const MonitoringEnvironmentSettingsSchema = Type.Object({}, { ...strict, description: 'Monitoring settings of this environment' });

export type MonitoringFleetSettings = Static<typeof MonitoringFleetSettingsSchema>;
export type MonitoringClusterSettings = Static<typeof MonitoringClusterSettingsSchema>;
export type MonitoringEnvironmentSettings = Static<typeof MonitoringEnvironmentSettingsSchema>;
