// The backup alert: a database's backup or verify CronJob has not succeeded recently, or its last run failed. One
// rule per in-cluster database, shipped with that database's component (so only where the CronJobs exist), over
// kube-state-metrics' CronJob series, which exist for every CronJob of the cluster.
// Checked: kubernetes/kube-state-metrics @ v2.20.0 (kube-state-metrics chart 8.4.0 of kube-prometheus-stack 88.5.3,
// as scripts/monitoring/rules.ts notes) : internal/store/cronjob.go (kube_cronjob_created,
// kube_cronjob_status_last_schedule_time, kube_cronjob_status_last_successful_time — the latter only once the
// CronJob has a status.lastSuccessfulTime — all with labels namespace, cronjob; values in Unix seconds).
import type { AlertDefinition, MonitoredComponent } from '../../monitoring/rules.ts';
import { stackNamespace } from '../stacks.ts';
import { BACKED_UP_DATABASES, backupApp, MAX_BACKUP_AGE_HOURS, verifyApp, type BackedUpDatabase } from './backups.ts';

/**
 * A scheduled run that has not succeeded this long after it was scheduled has failed (or hangs): longer than the
 * longest activeDeadlineSeconds of the backup and verify jobs (3 h), so a run still inside its deadline never counts.
 */
export const BACKUP_RUN_GRACE_SECONDS = 4 * 3600;
const MAX_AGE_SECONDS = MAX_BACKUP_AGE_HOURS * 3600;

const by = 'max by (namespace, cronjob)';

/** The alert expression for one database's backup and verify CronJobs. */
export const backupStaleExpr = (db: BackedUpDatabase): string => {
  const sel = `{namespace=${JSON.stringify(stackNamespace('transcoding'))}, cronjob=~${JSON.stringify(`${backupApp(db)}|${verifyApp(db)}`)}}`;
  const success = `kube_cronjob_status_last_successful_time${sel}`;
  const scheduled = `kube_cronjob_status_last_schedule_time${sel}`;
  return [
    // Succeeded once, but not for more than a day (and the slack the verify job allows).
    `${by} (time() - ${success}) > ${MAX_AGE_SECONDS}`,
    // Never succeeded, and exists for longer than that.
    `or ${by} (time() - kube_cronjob_created${sel}) > ${MAX_AGE_SECONDS} unless on (namespace, cronjob) ${success}`,
    // The last scheduled run did not succeed (no success since it was scheduled) and is past its deadline.
    `or (${by} (${scheduled}) > on (namespace, cronjob) ${by} (${success})) and on (namespace, cronjob) (time() - ${by} (${scheduled}) > ${BACKUP_RUN_GRACE_SECONDS})`,
  ].join(' ');
};

export const BACKUP_ALERTS: readonly AlertDefinition[] = [
  {
    alert: 'DatabaseBackupStale',
    group: 'databases',
    severity: 'warning',
    summary: '{{ $labels.cronjob }} has not succeeded recently',
    description:
      'The database backup or backup-verify CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} has not succeeded for more than ' +
      MAX_BACKUP_AGE_HOURS +
      ' hours, or its last scheduled run has not succeeded ' +
      BACKUP_RUN_GRACE_SECONDS / 3600 +
      ' hours after it was scheduled: there may be no restorable backup of the last day.',
    firstSteps: [
      '`kubectl -n transcoding get jobs -l app.kubernetes.io/name={{ $labels.cronjob }}` and the logs of the failed pod (`-c dump`, `-c upload`, `-c fetch`, `-c verify`).',
      'docs/backups.md "When a backup or verify job fails": a `verify FAILED` line means the newest dump does not restore or its counts differ; do not delete it.',
    ],
    for: '10m',
    expr: backupStaleExpr('postgres'),
    perComponent: (c: MonitoredComponent): string | undefined =>
      c.stack === 'transcoding' && (BACKED_UP_DATABASES as readonly string[]).includes(c.name) ? backupStaleExpr(c.name as BackedUpDatabase) : undefined,
  },
];
