// Inventory settings of the monitoring stack: fleet-wide defaults (fleet.yaml `monitoring:`), per-cluster overrides
// (clusters.yaml `monitoring:`) and per-environment settings (environments/<env>.yaml `monitoring:`). Every field is
// optional: the component code holds the defaults, so a small inventory stays small.
// Precedence (most specific wins): cluster > environment > fleet > code default (scripts/monitoring/settings.ts).
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

const Retention = Type.String({
  pattern: '^[0-9]+(ms|s|m|h|d|w|y)$',
  description: 'How long Prometheus keeps samples (Prometheus duration, e.g. 15d). Default 15d.',
});
const StorageSize = Type.String({
  pattern: '^[0-9]+(Mi|Gi|Ti)$',
  description: 'Size of the Prometheus volume claim (e.g. 50Gi). Default 50Gi.',
});
const TracesRetention = Type.String({
  pattern: '^[0-9]+(m|h)$',
  description: 'How long Tempo keeps traces (Go duration in hours or minutes, e.g. 72h). Default 72h.',
});

/** Fields every level may set; the more specific level overrides. */
const storageFields = {
  retention: Type.Optional(Retention),
  storageSize: Type.Optional(StorageSize),
  tracesRetention: Type.Optional(TracesRetention),
};

export const MonitoringFleetSettingsSchema = Type.Object(
  {
    ...storageFields,
    slackChannel: Type.Optional(
      Type.String({ pattern: '^#[a-z0-9_-]+$', description: 'Slack channel warnings are posted to. Default #alerts.' }),
    ),
    alertmanagerSecretKey: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Key (path) in the cluster secret store holding the Alertmanager receiver credentials (properties pagerduty-routing-key, slack-webhook-url). Default monitoring/alertmanager.',
      }),
    ),
    grafanaSecretKey: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Key (path) in the cluster secret store holding the Grafana admin credentials (properties admin-user, admin-password). Default monitoring/grafana.',
      }),
    ),
  },
  { ...strict, description: 'Monitoring settings for the whole fleet' },
);

export const MonitoringClusterSettingsSchema = Type.Object(storageFields, { ...strict, description: 'Monitoring settings of this cluster (override the environment and fleet)' });

export const MonitoringEnvironmentSettingsSchema = Type.Object(storageFields, { ...strict, description: 'Monitoring settings of this environment (override the fleet)' });

export type MonitoringFleetSettings = Static<typeof MonitoringFleetSettingsSchema>;
export type MonitoringClusterSettings = Static<typeof MonitoringClusterSettingsSchema>;
export type MonitoringEnvironmentSettings = Static<typeof MonitoringEnvironmentSettingsSchema>;
