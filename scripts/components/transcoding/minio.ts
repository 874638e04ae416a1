// MinIO: S3-compatible object storage for transcoded media and database backups on clusters without a managed
// S3 (dev). Single node, single drive: a development stand-in, not a durable store.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { appLabels } from '../../lib/labels.ts';
import { emptyDir, podDisruptionBudget, restrictedContainer, restrictedPod, service, toK8sResources } from '../builders.ts';
import { allowEgress, allowIngress, fromApp } from '../network-policies.ts';
import { headlessService, statefulSet, storageClassPatch } from '../stateful-set.ts';
import { stackNamespace } from '../stacks.ts';
import { backupApp, verifyApp } from './backups.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { IN_CLUSTER_ENDPOINTS, isExternal, MINIO, MINIO_PORT } from './endpoints.ts';
import { QUEUE_CONSUMERS } from './rabbitmq.ts';

const NAMESPACE = stackNamespace('transcoding');
const UID = 1000;

// Shared with the minio preset of declared systems (services/presets/minio.ts).
/** The uid MinIO runs as: the image sets no USER (image catalog: minio/minio Dockerfile.release). */
export const MINIO_UID = UID;
export const MINIO_DATA_DIR = '/data';
/** Certificates in a writable scratch dir: the default (~/.minio/certs) is on the read-only root. */
export const MINIO_ARGS = ['server', MINIO_DATA_DIR, '--address', `:${MINIO_PORT}`, '--certs-dir', '/tmp/certs'];
/** Health endpoints on the S3 port: live once the process serves, ready once it can serve S3 requests. */
export const MINIO_LIVE_PATH = '/minio/health/live';
export const MINIO_READY_PATH = '/minio/health/ready';

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '1Gi', 'ephemeral-storage': '512Mi' } },
};

/** Creates the media and backup buckets after each sync: MinIO starts empty, and the workers cannot create buckets. */
export const MINIO_BUCKETS_JOB = 'minio-buckets';

const bucketsJob = (ctx: BaseContext): IJob & K8sObject => {
  const store = IN_CLUSTER_ENDPOINTS.objectStorage;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: MINIO_BUCKETS_JOB,
      namespace: NAMESPACE,
      labels: appLabels(MINIO_BUCKETS_JOB, 'transcoding'),
      // An Argo CD hook: run after every sync (idempotent), replaced by the next run, removed when it succeeded.
      annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' },
    },
    spec: {
      backoffLimit: 10,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: appLabels(MINIO_BUCKETS_JOB, 'transcoding') },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: 'OnFailure',
          securityContext: restrictedPod(UID),
          containers: [
            {
              name: 'mc',
              image: ctx.repository('minio-mc'),
              command: [
                '/bin/sh',
                '-c',
                [
                  'set -eu',
                  // MinIO may still be starting on the first sync: the Job's retries wait for it.
                  'mc alias set store "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null',
                  'mc mb --ignore-existing "store/$MEDIA_BUCKET" "store/$BACKUP_BUCKET"',
                ].join('\n'),
              ],
              env: [
                { name: 'BACKUP_BUCKET', value: store.backupBucket },
                { name: 'MC_CONFIG_DIR', value: '/tmp/mc' },
                { name: 'MEDIA_BUCKET', value: store.bucket },
                { name: 'S3_ENDPOINT', value: store.url },
                secretEnv(MINIO, 'S3_ACCESS_KEY', CREDENTIALS.s3AccessKey),
                secretEnv(MINIO, 'S3_SECRET_KEY', CREDENTIALS.s3SecretKey),
              ],
              resources: toK8sResources({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }),
              securityContext: restrictedContainer(),
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [emptyDir('tmp', '16Mi')],
        },
      },
    },
  };
};

const base = (ctx: BaseContext): K8sObject[] => [
  bucketsJob(ctx),
  allowEgress({ app: MINIO_BUCKETS_JOB, namespace: NAMESPACE, rules: [{ to: [fromApp(MINIO)], ports: [MINIO_PORT] }] }),
  // The root credentials are the same access key pair the apps use: acceptable for a dev stand-in only.
  appCredentials(MINIO, [CREDENTIALS.s3AccessKey, CREDENTIALS.s3SecretKey]),
  statefulSet({
    name: MINIO,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: UID,
    terminationGracePeriodSeconds: 60,
    claims: [{ name: 'data', size: '50Gi' }],
    containers: [
      {
        name: 'minio',
        image: ctx.repository('minio'),
        args: [...MINIO_ARGS],
        env: [secretEnv(MINIO, 'MINIO_ROOT_USER', CREDENTIALS.s3AccessKey), secretEnv(MINIO, 'MINIO_ROOT_PASSWORD', CREDENTIALS.s3SecretKey)],
        ports: [{ name: 's3', containerPort: MINIO_PORT, protocol: 'TCP' }],
        startupProbe: { httpGet: { path: MINIO_LIVE_PATH, port: 's3' }, periodSeconds: 5, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: MINIO_READY_PATH, port: 's3' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: MINIO_LIVE_PATH, port: 's3' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: MINIO_DATA_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [emptyDir('tmp', '64Mi')],
  }),
  headlessService({ app: MINIO, namespace: NAMESPACE, stack: 'transcoding', ports: [{ name: 's3', port: MINIO_PORT, targetPort: 's3', protocol: 'TCP' }] }),
  service({ name: MINIO, namespace: NAMESPACE, stack: 'transcoding', app: MINIO, ports: [{ name: 's3', port: MINIO_PORT, targetPort: 's3', protocol: 'TCP' }] }),
  podDisruptionBudget({ app: MINIO, namespace: NAMESPACE, stack: 'transcoding' }),
  allowIngress({
    app: MINIO,
    namespace: NAMESPACE,
    rules: [
      {
        from: [...QUEUE_CONSUMERS.map((w) => fromApp(w)), fromApp(backupApp('postgres')), fromApp(backupApp('redis')), fromApp(verifyApp('postgres')), fromApp(verifyApp('redis')), fromApp(MINIO_BUCKETS_JOB)],
        ports: [MINIO_PORT],
      },
    ],
  }),
];

export const minio: Component = {
  name: MINIO,
  stack: 'transcoding',
  description: 'MinIO object storage (clusters without a managed S3)',
  requires: [],
  enabled: (ctx) => !isExternal(ctx.cluster, 'objectStorage'),
  images: [
    { image: 'minio', via: 'transformer' },
    { image: 'minio-mc', via: 'transformer' },
  ],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: MINIO,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  clusterPatches: (ctx: ClusterContext): JsonPatch[] => [storageClassPatch(MINIO, 1, ctx.cluster.storageClass)],
};
