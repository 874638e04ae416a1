// Postgres: job and asset metadata of the transcoding API. One StatefulSet (primary only: HA Postgres is what the
// managed service in prod is for), a metrics exporter sidecar, and the nightly backup. Not rendered where the
// inventory points the stack at a managed database.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
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

// The image facts below are shared with the postgres preset of declared systems (services/presets/postgres.ts).
/** The image's own user (image catalog: docker-library/postgres 17/bookworm/Dockerfile, uid 999). */
export const POSTGRES_UID = UID;
/** postgres_exporter's listen port (image catalog: prometheus-community/postgres_exporter @ v0.16.0 : Dockerfile EXPOSE 9187). */
export const POSTGRES_EXPORTER_PORT = EXPORTER_PORT;
/** Mount point of the data volume (the image's PGDATA). */
export const POSTGRES_DATA_DIR = '/var/lib/postgresql/data';
/** A subdirectory: the volume root holds lost+found, which initdb refuses. */
export const POSTGRES_PGDATA = `${POSTGRES_DATA_DIR}/pgdata`;
/** Unix socket and lock file directory the server writes (on a read-only root it must be a volume). */
export const POSTGRES_SOCKET_DIR = '/var/run/postgresql';
/** Server settings on the command line (the preset's default too). */
export const POSTGRES_ARGS = ['-c', 'max_connections=200', '-c', 'listen_addresses=*'];
/** Exits 0 once the server accepts TCP connections (no credentials needed). */
export const PG_ISREADY = ['pg_isready', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT)] as const;
/** Readiness: accepting connections for the configured user and database (the shell expands $POSTGRES_USER). */
export const pgReadyCommand = (database: string): string[] => [
  '/bin/sh',
  '-c',
  `pg_isready -h 127.0.0.1 -p ${POSTGRES_PORT} -U "$POSTGRES_USER" -d ${database}`,
];

/** The exporter sidecar, reading `database` on the pod's own server with the user and password the env vars give. */
export const postgresExporter = (s: { image: string; database: string; user: IEnvVar; password: IEnvVar }): IContainer => ({
  name: 'exporter',
  image: s.image,
  env: [{ name: 'DATA_SOURCE_URI', value: `127.0.0.1:${POSTGRES_PORT}/${s.database}?sslmode=disable` }, s.user, s.password],
  ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
  readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10 },
  livenessProbe: { httpGet: { path: '/', port: 'metrics' }, periodSeconds: 20 },
  resources: toK8sResources({ requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } }),
  securityContext: restrictedContainer(),
});

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
        args: [...POSTGRES_ARGS],
        env: [
          { name: 'POSTGRES_DB', value: DATABASE },
          { name: 'PGDATA', value: POSTGRES_PGDATA },
          secretEnv(POSTGRES, 'POSTGRES_USER', CREDENTIALS.postgresUser),
          secretEnv(POSTGRES, 'POSTGRES_PASSWORD', CREDENTIALS.postgresPassword),
        ],
        ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
        // initdb or crash recovery can take minutes on a large volume.
        startupProbe: { exec: { command: [...PG_ISREADY] }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: {
          exec: { command: pgReadyCommand(DATABASE) },
          periodSeconds: 10,
          timeoutSeconds: 5,
        },
        livenessProbe: { tcpSocket: { port: 'postgres' }, periodSeconds: 20, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: POSTGRES_DATA_DIR },
          { name: 'run', mountPath: POSTGRES_SOCKET_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
      postgresExporter({
        image: ctx.repository('postgres-exporter'),
        database: DATABASE,
        user: secretEnv(POSTGRES, 'DATA_SOURCE_USER', CREDENTIALS.postgresUser),
        password: secretEnv(POSTGRES, 'DATA_SOURCE_PASS', CREDENTIALS.postgresPassword),
      }),
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
