// Redis: job progress and API rate-limit state. Append-only persistence on a PVC, an exporter sidecar and the
// nightly RDB backup. Not rendered where the inventory points the stack at a managed Redis.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import { configMap, emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { headlessService, statefulSet, storageClassPatch } from '../stateful-set.ts';
import { stackNamespace } from '../stacks.ts';
import { backupApp, backupClusterObjects, backupObjects, backupPatches } from './backups.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { isExternal, REDIS, REDIS_PORT } from './endpoints.ts';
import { TRANSCODE_API } from './transcode-api.ts';

const NAMESPACE = stackNamespace('transcoding');
const EXPORTER_PORT = 9121;
const UID = 999;

/** Exporter metrics the monitoring stack may query (redis_exporter names). */
// Checked: oliver006/redis_exporter @ v1.67.0 : exporter/exporter.go (INFO connected_clients →
// redis_connected_clients; keyspace_hits/keyspace_misses → redis_keyspace_hits_total/_misses_total; CONFIG maxclients →
// redis_config_maxclients).
export const REDIS_METRICS = [
  'redis_up',
  'redis_connected_clients',
  'redis_config_maxclients',
  'redis_memory_used_bytes',
  'redis_keyspace_hits_total',
  'redis_keyspace_misses_total',
] as const;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '512Mi', 'ephemeral-storage': '512Mi' } },
};

const REDIS_CONF = [
  'bind 0.0.0.0',
  'port 6379',
  'dir /data',
  'appendonly yes',
  'appendfsync everysec',
  'save 900 1 300 10',
  // Job state must not be evicted silently: writes fail loudly when memory is full.
  'maxmemory-policy noeviction',
  'maxclients 10000',
  '',
].join('\n');

const base = (ctx: BaseContext): K8sObject[] => [
  appCredentials(REDIS, [CREDENTIALS.redisPassword]),
  configMap({ name: `${REDIS}-config`, namespace: NAMESPACE, stack: 'transcoding', app: REDIS, data: { 'redis.conf': REDIS_CONF } }),
  statefulSet({
    name: REDIS,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: UID,
    terminationGracePeriodSeconds: 60,
    claims: [{ name: 'data', size: '5Gi' }],
    containers: [
      {
        name: 'redis',
        image: ctx.repository('redis'),
        // The password comes from the Secret at start; redis.conf stays a plain, reviewable ConfigMap.
        command: ['/bin/sh', '-c', 'exec redis-server /etc/redis/redis.conf --requirepass "$REDISCLI_AUTH"'],
        env: [secretEnv(REDIS, 'REDISCLI_AUTH', CREDENTIALS.redisPassword)],
        ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
        // Replaying a large AOF takes a while.
        startupProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'config', mountPath: '/etc/redis', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      {
        name: 'exporter',
        image: ctx.repository('redis-exporter'),
        env: [{ name: 'REDIS_ADDR', value: `redis://127.0.0.1:${REDIS_PORT}` }, secretEnv(REDIS, 'REDIS_PASSWORD', CREDENTIALS.redisPassword)],
        ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
        readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 20 },
        resources: toK8sResources({ requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } }),
        securityContext: restrictedContainer(),
      },
    ],
    volumes: [{ name: 'config', configMap: { name: `${REDIS}-config` } }, emptyDir('tmp', '64Mi')],
  }),
  headlessService({
    app: REDIS,
    namespace: NAMESPACE,
    stack: 'transcoding',
    ports: [{ name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' }],
  }),
  service({
    name: REDIS,
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: REDIS,
    ports: [
      { name: 'redis', port: REDIS_PORT, targetPort: 'redis', protocol: 'TCP' },
      { name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics', protocol: 'TCP' },
    ],
  }),
  podDisruptionBudget({ app: REDIS, namespace: NAMESPACE, stack: 'transcoding' }),
  serviceMonitor({ app: REDIS, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' }),
  allowIngress({
    app: REDIS,
    namespace: NAMESPACE,
    rules: [
      { from: [fromApp(TRANSCODE_API), fromApp(backupApp('redis'))], ports: [REDIS_PORT] },
      { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [EXPORTER_PORT] },
    ],
  }),
  ...backupObjects('redis', ctx),
];

export const redis: Component = {
  name: REDIS,
  stack: 'transcoding',
  description: 'Redis for job progress and rate limits, with exporter and nightly backups (unless managed)',
  requires: [],
  enabled: (ctx) => !isExternal(ctx.cluster, 'redis'),
  metrics: REDIS_METRICS,
  images: [
    { image: 'redis', via: 'transformer' },
    { image: 'redis-exporter', via: 'transformer' },
    { image: 'aws-cli', via: 'transformer' },
  ],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: REDIS,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  cluster: (ctx: ClusterContext) => backupClusterObjects('redis', ctx),
  clusterPatches: (ctx: ClusterContext): JsonPatch[] => [storageClassPatch(REDIS, 1, ctx.cluster.storageClass), ...backupPatches('redis', ctx)],
};
