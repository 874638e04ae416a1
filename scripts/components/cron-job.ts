// CronJob builder for maintenance jobs (backups): UTC schedules, never two runs at once, bounded retries and
// history, restricted pods. Jobs have no probes or PDBs: they run to completion.
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { appLabels } from '../lib/labels.ts';
import { restrictedPod } from './builders.ts';
import type { K8sObject } from './component.ts';

export interface CronJobSpec {
  readonly name: string;
  readonly namespace: string;
  readonly stack: string;
  /** App whose labels the pods carry (NetworkPolicies select on them); defaults to `name`. */
  readonly app?: string;
  readonly uid: number;
  /** Cron expression, evaluated in Etc/UTC. */
  readonly schedule: string;
  /** A suspended CronJob never runs on its own: a template for `kubectl create job --from=cronjob/<name>`. */
  readonly suspend?: boolean;
  readonly initContainers?: IContainer[];
  readonly containers: IContainer[];
  readonly volumes?: NonNullable<IPodSpec['volumes']>;
  readonly activeDeadlineSeconds?: number;
}

export const cronJob = (s: CronJobSpec): ICronJob & K8sObject => {
  const app = s.app ?? s.name;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: s.name, namespace: s.namespace, labels: appLabels(app, s.stack) },
    spec: {
      schedule: s.schedule,
      timeZone: 'Etc/UTC',
      // A slow run must finish before the next starts: two dumps at once double the load and race on retention.
      concurrencyPolicy: 'Forbid',
      // A run missed by more than an hour (controller down) is skipped rather than started at peak time.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: s.suspend ?? false,
      jobTemplate: {
        metadata: { labels: appLabels(app, s.stack) },
        spec: {
          activeDeadlineSeconds: s.activeDeadlineSeconds ?? 3600,
          backoffLimit: 2,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels: appLabels(app, s.stack) },
            spec: {
              automountServiceAccountToken: false,
              containers: s.containers,
              enableServiceLinks: false,
              initContainers: s.initContainers,
              restartPolicy: 'Never',
              securityContext: restrictedPod(s.uid),
              volumes: s.volumes,
            },
          },
        },
      },
    },
  };
};
