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

/**
 * The e-mail receiver (fleet-wide; absent = no e-mail). Addresses and the relay are configuration, not secrets: the
 * AlertmanagerConfig CRD takes `to`, `from`, `smarthost` and `authUsername` as plain strings and only the password as
 * a Secret reference (Checked: prometheus-operator @ v0.93.0 : pkg/apis/monitoring/v1alpha1/alertmanager_config_types.go
 * EmailConfig). The password is property `smtp-auth-password` of the `alertmanagerSecretKey` store entry.
 */
const Address = '[^@\\s,]+@[^@\\s,]+';
const EmailReceiver = Type.Object(
  {
    to: Type.String({
      pattern: `^${Address}(, ?${Address})*$`,
      description: 'Recipient address(es), comma-separated (e.g. the on-call list).',
    }),
    from: Type.String({ pattern: `^${Address}$`, description: 'Sender address of the notifications.' }),
    smarthost: Type.String({
      pattern: '^[A-Za-z0-9.-]+:[0-9]+$',
      description: 'SMTP relay as host:port (e.g. a relay on 587 with STARTTLS; Alertmanager requires TLS by default).',
    }),
    authUsername: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'SMTP user. When set, the password is read from property smtp-auth-password of the alertmanagerSecretKey store entry (never from Git). Absent = no SMTP authentication.',
      }),
    ),
    severities: Type.Optional(
      Type.Array(Type.Union([Type.Literal('critical'), Type.Literal('warning')]), {
        minItems: 1,
        uniqueItems: true,
        description: 'Severities e-mailed (in addition to PagerDuty/Slack). Default [critical, warning].',
      }),
    ),
  },
  { ...strict, description: 'E-mail receiver of Alertmanager; absent = no e-mail' },
);

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
      Type.String({ pattern: '^#[a-z0-9_-]+$', description: 'Slack channel every alert (critical and warning) is posted to. Default #alerts.' }),
    ),
    alertmanagerSecretKey: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Key (path) in the cluster secret store holding the Alertmanager receiver credentials (properties pagerduty-routing-key, slack-webhook-url, and smtp-auth-password when email.authUsername is set). Default monitoring/alertmanager.',
      }),
    ),
    email: Type.Optional(EmailReceiver),
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
export type EmailReceiverSettings = Static<typeof EmailReceiver>;
