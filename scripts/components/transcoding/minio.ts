// MinIO: S3-compatible object storage for transcoded media and database backups on clusters without a managed
// S3 (dev). Single node, single drive: a development stand-in, not a durable store.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import { emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { allowIngress, fromApp } from '../network-policies.ts';
import { headlessService, statefulSet, storageClassPatch } from '../stateful-set.ts';
import { stackNamespace } from '../stacks.ts';
import { backupApp } from './backups.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { isExternal, MINIO, MINIO_PORT } from './endpoints.ts';
import { QUEUE_CONSUMERS } from './rabbitmq.ts';

const NAMESPACE = stackNamespace('transcoding');
const UID = 1000;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '1Gi', 'ephemeral-storage': '512Mi' } },
};

const base = (ctx: BaseContext): K8sObject[] => [
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
        // Certificates in a writable scratch dir: the default (~/.minio/certs) is on the read-only root.
        args: ['server', '/data', '--address', `:${MINIO_PORT}`, '--certs-dir', '/tmp/certs'],
        env: [secretEnv(MINIO, 'MINIO_ROOT_USER', CREDENTIALS.s3AccessKey), secretEnv(MINIO, 'MINIO_ROOT_PASSWORD', CREDENTIALS.s3SecretKey)],
        ports: [{ name: 's3', containerPort: MINIO_PORT, protocol: 'TCP' }],
        startupProbe: { httpGet: { path: '/minio/health/live', port: 's3' }, periodSeconds: 5, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: '/minio/health/ready', port: 's3' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/minio/health/live', port: 's3' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
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
    rules: [{ from: [...QUEUE_CONSUMERS.map((w) => fromApp(w)), fromApp(backupApp('postgres')), fromApp(backupApp('redis'))], ports: [MINIO_PORT] }],
  }),
];

export const minio: Component = {
  name: MINIO,
  stack: 'transcoding',
  description: 'MinIO object storage (clusters without a managed S3)',
  requires: [],
  enabled: (ctx) => !isExternal(ctx.cluster, 'objectStorage'),
  images: [{ image: 'minio', via: 'transformer' }],
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
