// Redis: job progress and API rate-limit state. Append-only persistence on a PVC, an exporter sidecar and the
// nightly RDB backup. Not rendered where the inventory points the stack at a managed Redis.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
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

/** redis.conf, shared with the redis preset of declared systems (services/presets/redis.ts). */
export const REDIS_CONF = [
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

// Image facts shared with the redis preset (services/presets/redis.ts).
/** The image's own user (image catalog: redis/docker-library-redis 7.4/debian/Dockerfile, uid 999). */
export const REDIS_UID = UID;
/** redis_exporter's listen port (image catalog: oliver006/redis_exporter @ v1.67.0 : Dockerfile EXPOSE 9121). */
export const REDIS_EXPORTER_PORT = EXPORTER_PORT;
/** Where REDIS_CONF is mounted, and the data directory it names (`dir`). */
export const REDIS_CONF_PATH = '/etc/redis/redis.conf';
export const REDIS_DATA_DIR = '/data';
/** The variable holding the password: redis-server reads it from the command line, redis-cli from the environment. */
export const REDIS_PASSWORD_ENV = 'REDISCLI_AUTH';
/** The password comes from the Secret at start; redis.conf stays a plain, reviewable ConfigMap. */
export const REDIS_COMMAND = ['/bin/sh', '-c', `exec redis-server ${REDIS_CONF_PATH} --requirepass "$${REDIS_PASSWORD_ENV}"`];

/** The exporter sidecar, reading the pod's own server with the password `password` gives (as REDIS_PASSWORD). */
export const redisExporter = (s: { image: string; password: IEnvVar }): IContainer => ({
  name: 'exporter',
  image: s.image,
  env: [{ name: 'REDIS_ADDR', value: `redis://127.0.0.1:${REDIS_PORT}` }, s.password],
  ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
  readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10 },
  livenessProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 20 },
  resources: toK8sResources({ requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } }),
  securityContext: restrictedContainer(),
});

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
        command: [...REDIS_COMMAND],
        env: [secretEnv(REDIS, REDIS_PASSWORD_ENV, CREDENTIALS.redisPassword)],
        ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
        // Replaying a large AOF takes a while.
        startupProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: REDIS_DATA_DIR },
          { name: 'config', mountPath: '/etc/redis', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      redisExporter({ image: ctx.repository('redis-exporter'), password: secretEnv(REDIS, 'REDIS_PASSWORD', CREDENTIALS.redisPassword) }),
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
