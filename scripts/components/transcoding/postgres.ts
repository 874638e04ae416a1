// Postgres: job and asset metadata of the transcoding API. One StatefulSet (primary only: HA Postgres is what the
// managed service in prod is for), a metrics exporter sidecar, and the nightly backup. Not rendered where the
// inventory points the stack at a managed database.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import { emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { headlessService, statefulSet, storageClassPatch } from '../stateful-set.ts';
import { stackNamespace } from '../stacks.ts';
import { backupApp, backupClusterObjects, backupObjects, backupPatches } from './backups.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { DATABASE, isExternal, POSTGRES, POSTGRES_PORT } from './endpoints.ts';
import { TRANSCODE_API } from './transcode-api.ts';

const NAMESPACE = stackNamespace('transcoding');
const EXPORTER_PORT = 9187;
const UID = 999;

/** Exporter metrics the monitoring stack may query (postgres_exporter names). */
export const POSTGRES_METRICS = ['pg_up', 'pg_stat_database_numbackends', 'pg_settings_max_connections', 'pg_database_size_bytes'] as const;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '250m', memory: '512Mi', 'ephemeral-storage': '256Mi' }, limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' } },
};

const base = (ctx: BaseContext): K8sObject[] => [
  appCredentials(POSTGRES, [CREDENTIALS.postgresUser, CREDENTIALS.postgresPassword]),
  statefulSet({
    name: POSTGRES,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: UID,
    // Postgres' smart shutdown waits for clients; give it time to checkpoint before SIGKILL.
    terminationGracePeriodSeconds: 120,
    claims: [{ name: 'data', size: '20Gi' }],
    containers: [
      {
        name: 'postgres',
        image: ctx.repository('postgres'),
        args: ['-c', 'max_connections=200', '-c', 'listen_addresses=*'],
        env: [
          { name: 'POSTGRES_DB', value: DATABASE },
          // A subdirectory: the volume root holds lost+found, which initdb refuses.
          { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
          secretEnv(POSTGRES, 'POSTGRES_USER', CREDENTIALS.postgresUser),
          secretEnv(POSTGRES, 'POSTGRES_PASSWORD', CREDENTIALS.postgresPassword),
        ],
        ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
        // initdb or crash recovery can take minutes on a large volume.
        startupProbe: { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT)] }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: {
          exec: { command: ['/bin/sh', '-c', `pg_isready -h 127.0.0.1 -p ${POSTGRES_PORT} -U "$POSTGRES_USER" -d ${DATABASE}`] },
          periodSeconds: 10,
          timeoutSeconds: 5,
        },
        livenessProbe: { tcpSocket: { port: 'postgres' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/postgresql/data' },
          { name: 'run', mountPath: '/var/run/postgresql' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      {
        name: 'exporter',
        image: ctx.repository('postgres-exporter'),
        env: [
          { name: 'DATA_SOURCE_URI', value: `127.0.0.1:${POSTGRES_PORT}/${DATABASE}?sslmode=disable` },
          secretEnv(POSTGRES, 'DATA_SOURCE_USER', CREDENTIALS.postgresUser),
          secretEnv(POSTGRES, 'DATA_SOURCE_PASS', CREDENTIALS.postgresPassword),
        ],
        ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
        readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/', port: 'metrics' }, periodSeconds: 20 },
        resources: toK8sResources({ requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } }),
        securityContext: restrictedContainer(),
      },
    ],
    volumes: [emptyDir('run', '16Mi'), emptyDir('tmp', '256Mi')],
  }),
  headlessService({
    app: POSTGRES,
    namespace: NAMESPACE,
    stack: 'transcoding',
    ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres', protocol: 'TCP' }],
  }),
  service({
    name: POSTGRES,
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: POSTGRES,
    ports: [
      { name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres', protocol: 'TCP' },
      { name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics', protocol: 'TCP' },
    ],
  }),
  podDisruptionBudget({ app: POSTGRES, namespace: NAMESPACE, stack: 'transcoding' }),
  serviceMonitor({ app: POSTGRES, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' }),
  allowIngress({
    app: POSTGRES,
    namespace: NAMESPACE,
    rules: [
      { from: [fromApp(TRANSCODE_API), fromApp(backupApp('postgres'))], ports: [POSTGRES_PORT] },
      { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [EXPORTER_PORT] },
    ],
  }),
  ...backupObjects('postgres', ctx),
];

export const postgres: Component = {
  name: POSTGRES,
  stack: 'transcoding',
  description: 'Postgres for transcoding job metadata, with exporter and nightly backups (unless managed)',
  requires: [],
  enabled: (ctx) => !isExternal(ctx.cluster, 'postgres'),
  metrics: POSTGRES_METRICS,
  images: [
    { image: 'postgres', via: 'transformer' },
    { image: 'postgres-exporter', via: 'transformer' },
    { image: 'aws-cli', via: 'transformer' },
  ],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: POSTGRES,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  cluster: (ctx: ClusterContext) => backupClusterObjects('postgres', ctx),
  clusterPatches: (ctx: ClusterContext): JsonPatch[] => [storageClassPatch(POSTGRES, 1, ctx.cluster.storageClass), ...backupPatches('postgres', ctx)],
};
