// Effective monitoring settings of a cluster: cluster > environment > fleet > these defaults.
import type { Severity } from './rules.ts';
import type { Cluster, Environment, Fleet } from '../model/fleet.ts';

export const MONITORING_DEFAULTS = {
  retention: '15d',
  storageSize: '50Gi',
  tracesRetention: '72h',
  slackChannel: '#alerts',
  alertmanagerSecretKey: 'monitoring/alertmanager',
  grafanaSecretKey: 'monitoring/grafana',
} as const;

export interface ClusterMonitoringSettings {
  readonly retention: string;
  readonly storageSize: string;
  readonly tracesRetention: string;
}

export const clusterMonitoringSettings = (fleet: Fleet, environment: Environment, cluster: Cluster): ClusterMonitoringSettings => {
  const pick = (k: keyof ClusterMonitoringSettings): string =>
    cluster.monitoring?.[k] ?? environment.monitoring?.[k] ?? fleet.monitoring?.[k] ?? MONITORING_DEFAULTS[k];
  return { retention: pick('retention'), storageSize: pick('storageSize'), tracesRetention: pick('tracesRetention') };
};

/** The e-mail receiver, resolved: severities defaulted. */
export interface EmailReceiver {
  readonly to: string;
  readonly from: string;
  readonly smarthost: string;
  /** Absent = the relay takes mail without authentication (no password is read). */
  readonly authUsername?: string;
  readonly severities: readonly Severity[];
}

export const EMAIL_DEFAULT_SEVERITIES: readonly Severity[] = ['critical', 'warning'];

export interface FleetMonitoringSettings {
  readonly slackChannel: string;
  readonly alertmanagerSecretKey: string;
  readonly grafanaSecretKey: string;
  /** Absent = no e-mail receiver. */
  readonly email?: EmailReceiver;
}

export const fleetMonitoringSettings = (fleet: Fleet): FleetMonitoringSettings => ({
  slackChannel: fleet.monitoring?.slackChannel ?? MONITORING_DEFAULTS.slackChannel,
  alertmanagerSecretKey: fleet.monitoring?.alertmanagerSecretKey ?? MONITORING_DEFAULTS.alertmanagerSecretKey,
  grafanaSecretKey: fleet.monitoring?.grafanaSecretKey ?? MONITORING_DEFAULTS.grafanaSecretKey,
  ...(fleet.monitoring?.email ? { email: { ...fleet.monitoring.email, severities: fleet.monitoring.email.severities ?? EMAIL_DEFAULT_SEVERITIES } } : {}),
});
