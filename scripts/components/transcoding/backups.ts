// Database backups: a CronJob per in-cluster database dumps it (compressed) into a scratch volume together with
// what the dump holds (row counts per table / key counts, recorded in the dump's own snapshot), then uploads both to
// the S3-compatible store (MinIO in dev) with the AWS CLI: versioning on the bucket, a lifecycle rule that expires
// current dumps after the retention and noncurrent versions after NONCURRENT_DAYS, an explicit delete of older dumps
// (stores without lifecycle support), and a copy to a second bucket where the cluster configures one. A verify
// CronJob later fetches the newest dump, loads it into a scratch server inside its own pod and compares the counts.
// A suspended CronJob is the (postgres) restore Job template. The scripts are in backup-scripts.ts; docs/backups.md.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { BackupCopy } from '../../inventory/stack-settings/transcoding.ts';
import type { Cluster } from '../../model/fleet.ts';
import type { BaseContext, ClusterContext, JsonPatch, K8sObject } from '../component.ts';
import { configMap, emptyDir, restrictedContainer } from '../builders.ts';
import { cronJob } from '../cron-job.ts';
import { allowEgress } from '../network-policies.ts';
import { externalSecret, type SecretKeyRef } from '../secrets.ts';
import { stackNamespace } from '../stacks.ts';
import { DUMP_SCRIPT, DUMP_SUFFIX, fetchScript, PG_COUNT_SQL, PG_RESTORE_SCRIPT, UPLOAD_SCRIPT, VERIFY_SCRIPT } from './backup-scripts.ts';
import { appCredentials, CREDENTIALS, credentialsName, secretEnv } from './credentials.ts';
import { endpointsFor, IN_CLUSTER_ENDPOINTS, type TranscodingEndpoints } from './endpoints.ts';

const NAMESPACE = stackNamespace('transcoding');
/** Backups are kept this many days unless fleet.yaml `transcoding.backupRetentionDays` says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
/**
 * A deleted or overwritten dump stays this many days as a noncurrent version (undo for a mistaken delete), then the
 * lifecycle rule removes it: versioning must not keep every deleted dump forever.
 */
export const NONCURRENT_DAYS = 7;
/** UTC. Each verify runs after its backup has had two hours (the backup's activeDeadlineSeconds is one). */
export const BACKUP_SCHEDULES = { postgres: '0 2 * * *', redis: '0 3 * * *' } as const;
export const VERIFY_SCHEDULES = { postgres: '0 4 * * *', redis: '30 4 * * *' } as const;
/**
 * The verify job fails when the newest dump is older than this: a day between nightly backups plus slack for a
 * slow run. The backup alert uses the same bound.
 */
export const MAX_BACKUP_AGE_HOURS = 26;
/** A date that never comes: the restore CronJob only runs when a human creates a Job from it. */
const NEVER = '0 0 31 2 *';
const SCRATCH = '/backup';
const SCRATCH_SIZE = '20Gi';
/** Where the verify job's scratch server keeps its data: restored dumps are larger than the compressed ones. */
const SERVER_SCRATCH = '/scratch';
const SERVER_SCRATCH_SIZE = '60Gi';
// The database images run as their non-root `postgres`/`redis` user (999); the aws-cli image sets no USER and runs as
// the pod's user (initdb refuses root, and Pod Security restricted requires non-root anyway).
const UID = 999;

export type BackedUpDatabase = 'postgres' | 'redis';
export const BACKED_UP_DATABASES: readonly BackedUpDatabase[] = ['postgres', 'redis'];

export const backupApp = (db: BackedUpDatabase): string => `${db}-backup`;
/** The verify job's own identity: its NetworkPolicy reaches the object store only, never the database. */
export const verifyApp = (db: BackedUpDatabase): string => `${db}-backup-verify`;
export const verifyJobName = verifyApp;
export const restoreJobName = (db: BackedUpDatabase): string => `${db}-restore`;

const retentionDays = (ctx: BaseContext): number => ctx.fleet.transcoding?.backupRetentionDays ?? DEFAULT_RETENTION_DAYS;

/** Store entry of the copy bucket's credentials; the ExternalSecret exists only on clusters with a copy. */
export const COPY_CREDENTIALS = {
  accessKey: { secretKey: 'COPY_ACCESS_KEY', remoteKey: 'transcoding/backup-copy', property: 'access-key' },
  secretKey: { secretKey: 'COPY_SECRET_KEY', remoteKey: 'transcoding/backup-copy', property: 'secret-key' },
} as const satisfies Record<string, SecretKeyRef>;
const copyCredentialsName = (db: BackedUpDatabase): string => `${backupApp(db)}-copy`;

/** In-cluster MinIO is only reachable by path-style URLs (no per-bucket DNS names); S3 and others: the CLI's default. */
const addressingStyle = (url: string, external: boolean): string => (external ? 'auto' : new URL(url).protocol === 'http:' ? 'path' : 'auto');

const copyOf = (cluster: Pick<Cluster, 'transcoding'>): BackupCopy | undefined => cluster.transcoding?.backupCopy;

/** The keys every backup/verify ConfigMap carries about the stores; clusters patch the ones that differ. */
const storeConfig = (e: TranscodingEndpoints, copy: BackupCopy | undefined): Record<string, string> => ({
  S3_ENDPOINT: e.objectStorage.url,
  S3_REGION: e.objectStorage.region,
  S3_ADDRESSING_STYLE: addressingStyle(e.objectStorage.url, e.objectStorage.external),
  BACKUP_BUCKET: e.objectStorage.backupBucket,
  // Empty = no copy (the base); the cluster patch fills them in where clusters.yaml sets `transcoding.backupCopy`.
  COPY_ENDPOINT: copy?.endpoint ?? '',
  COPY_BUCKET: copy?.bucket ?? '',
  COPY_REGION: copy?.region ?? '',
  COPY_ADDRESSING_STYLE: copy ? 'auto' : '',
});

const jobResources = { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '1Gi', 'ephemeral-storage': SCRATCH_SIZE } };
/** The scratch server holds the whole restored data set; Postgres' restore also sorts for index builds. */
const verifyResources = { requests: { cpu: '250m', memory: '512Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '2Gi', 'ephemeral-storage': SERVER_SCRATCH_SIZE } };

const s3Env = (app: string): IEnvVar[] => [secretEnv(app, 'S3_ACCESS_KEY', CREDENTIALS.s3AccessKey), secretEnv(app, 'S3_SECRET_KEY', CREDENTIALS.s3SecretKey)];

/** The copy keys from their own Secret, optional: the Secret exists only where the cluster configures a copy. */
const copyEnv = (db: BackedUpDatabase): IEnvVar[] =>
  [COPY_CREDENTIALS.accessKey, COPY_CREDENTIALS.secretKey].map((ref) => ({
    name: ref.secretKey,
    valueFrom: { secretKeyRef: { name: credentialsName(copyCredentialsName(db)), key: ref.secretKey, optional: true } },
  }));

const mounts = [
  { name: 'backup', mountPath: SCRATCH },
  { name: 'tmp', mountPath: '/tmp' },
];

/** The AWS CLI with the store credentials, reading the job's ConfigMap. */
const awsContainer = (name: string, app: string, ctx: BaseContext, script: string, extraEnv: IEnvVar[] = []): IContainer => ({
  name,
  image: ctx.repository('aws-cli'),
  command: ['/bin/sh', '-c', script],
  // No passwd entry for the pod's uid: HOME=/tmp keeps anything the CLI writes under $HOME on a writable volume.
  env: [{ name: 'HOME', value: '/tmp' }, ...s3Env(app), ...extraEnv],
  envFrom: [{ configMapRef: { name: `${app}-config` } }],
  resources: jobResources,
  securityContext: restrictedContainer(),
  volumeMounts: mounts,
});

const dumpEnv = (db: BackedUpDatabase): IEnvVar[] =>
  db === 'postgres'
    ? [secretEnv(backupApp(db), 'POSTGRES_USER', CREDENTIALS.postgresUser), secretEnv(backupApp(db), 'PGPASSWORD', CREDENTIALS.postgresPassword)]
    : [secretEnv(backupApp(db), 'REDISCLI_AUTH', CREDENTIALS.redisPassword)];

const dbConfig = (db: BackedUpDatabase, e: TranscodingEndpoints): Record<string, string> =>
  db === 'postgres'
    ? { POSTGRES_HOST: e.postgres.host, POSTGRES_PORT: String(e.postgres.port), POSTGRES_DB: e.postgres.database, COUNT_SQL: PG_COUNT_SQL }
    : { REDIS_HOST: e.redis.host, REDIS_PORT: String(e.redis.port) };

/** The database image against the live database (dump, restore), with its credentials. */
const dbContainer = (db: BackedUpDatabase, name: string, ctx: BaseContext, script: string): IContainer => ({
  name,
  image: ctx.repository(db),
  command: ['/bin/sh', '-c', script],
  env: dumpEnv(db),
  envFrom: [{ configMapRef: { name: `${backupApp(db)}-config` } }],
  resources: jobResources,
  securityContext: restrictedContainer(),
  volumeMounts: mounts,
});

/** The database image running a scratch server in the verify pod: no database address, no database credentials. */
const scratchContainer = (db: BackedUpDatabase, ctx: BaseContext): IContainer => ({
  name: 'verify',
  image: ctx.repository(db),
  command: ['/bin/sh', '-c', VERIFY_SCRIPT[db]],
  ...(db === 'postgres' ? { env: [{ name: 'COUNT_SQL', value: PG_COUNT_SQL }] } : {}),
  resources: verifyResources,
  securityContext: restrictedContainer(),
  volumeMounts: [...mounts, { name: 'scratch', mountPath: SERVER_SCRATCH }],
});

const volumes = [emptyDir('backup', SCRATCH_SIZE), emptyDir('tmp', '64Mi')];

/** Everything the store scripts read, per database. */
const jobConfig = (db: BackedUpDatabase, ctx: BaseContext): Record<string, string> => ({
  ...storeConfig(IN_CLUSTER_ENDPOINTS, undefined),
  BACKUP_PREFIX: db,
  DUMP_SUFFIX: DUMP_SUFFIX[db],
  RETENTION_DAYS: String(retentionDays(ctx)),
  NONCURRENT_DAYS: String(NONCURRENT_DAYS),
  MAX_AGE_HOURS: String(MAX_BACKUP_AGE_HOURS),
});

/** Base objects of one database's backup: config, credentials, the backup and verify CronJobs (and the restore template). */
export const backupObjects = (db: BackedUpDatabase, ctx: BaseContext): K8sObject[] => {
  const app = backupApp(db);
  const verify = verifyApp(db);
  const objects: K8sObject[] = [
    configMap({ name: `${app}-config`, namespace: NAMESPACE, stack: 'transcoding', app, data: { ...jobConfig(db, ctx), ...dbConfig(db, IN_CLUSTER_ENDPOINTS) } }),
    appCredentials(app, [
      ...(db === 'postgres' ? [CREDENTIALS.postgresUser, CREDENTIALS.postgresPassword] : [CREDENTIALS.redisPassword]),
      CREDENTIALS.s3AccessKey,
      CREDENTIALS.s3SecretKey,
    ]),
    cronJob({
      name: app,
      namespace: NAMESPACE,
      stack: 'transcoding',
      uid: UID,
      schedule: BACKUP_SCHEDULES[db],
      initContainers: [dbContainer(db, 'dump', ctx, DUMP_SCRIPT[db])],
      containers: [awsContainer('upload', app, ctx, UPLOAD_SCRIPT, copyEnv(db))],
      volumes,
    }),
    // The verify job reads only the store: its own ConfigMap (no database address) and Secret (store keys only).
    configMap({ name: `${verify}-config`, namespace: NAMESPACE, stack: 'transcoding', app: verify, data: jobConfig(db, ctx) }),
    appCredentials(verify, [CREDENTIALS.s3AccessKey, CREDENTIALS.s3SecretKey]),
    cronJob({
      name: verify,
      namespace: NAMESPACE,
      stack: 'transcoding',
      uid: UID,
      schedule: VERIFY_SCHEDULES[db],
      activeDeadlineSeconds: 3 * 3600,
      initContainers: [awsContainer('fetch', verify, ctx, fetchScript('verify'))],
      containers: [scratchContainer(db, ctx)],
      volumes: [...volumes, emptyDir('scratch', SERVER_SCRATCH_SIZE)],
    }),
  ];
  if (db === 'postgres') {
    objects.push(
      cronJob({
        name: restoreJobName(db),
        // Same identity as the backup job: the same NetworkPolicies (database + object storage) apply.
        app,
        namespace: NAMESPACE,
        stack: 'transcoding',
        uid: UID,
        schedule: NEVER,
        suspend: true,
        activeDeadlineSeconds: 4 * 3600,
        initContainers: [awsContainer('fetch', app, ctx, fetchScript('restore'))],
        containers: [dbContainer(db, 'restore', ctx, PG_RESTORE_SCRIPT)],
        volumes,
      }),
    );
  }
  return objects;
};

const urlPort = (url: URL): number => (url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);
const copyPeers = (copy: BackupCopy): INetworkPolicyPeer[] => [...(copy.cidrs ?? ['0.0.0.0/0'])].sort().map((cidr) => ({ ipBlock: { cidr } }));

/**
 * Per cluster: egress of the backup job (its database, the object store and, where configured, the copy target) and
 * of the verify job (the object store only), and the copy credentials where the cluster has a copy.
 */
export const backupClusterObjects = (db: BackedUpDatabase, ctx: ClusterContext): K8sObject[] => {
  const e = endpointsFor(ctx.cluster);
  const target = db === 'postgres' ? e.postgres : e.redis;
  const copy = copyOf(ctx.cluster);
  const store = { to: e.objectStorage.peers, ports: [e.objectStorage.port] };
  return [
    allowEgress({
      app: backupApp(db),
      namespace: NAMESPACE,
      rules: [{ to: target.peers, ports: [target.port] }, store, ...(copy ? [{ to: copyPeers(copy), ports: [urlPort(new URL(copy.endpoint))] }] : [])],
    }),
    allowEgress({ app: verifyApp(db), namespace: NAMESPACE, rules: [store] }),
    ...(copy
      ? [externalSecret({ name: credentialsName(copyCredentialsName(db)), namespace: NAMESPACE, stack: 'transcoding', app: backupApp(db), data: [COPY_CREDENTIALS.accessKey, COPY_CREDENTIALS.secretKey] })]
      : []),
  ];
};

/** Point the backup and verify configs at the cluster's object store (and copy target) where they differ from the base. */
export const backupPatches = (db: BackedUpDatabase, ctx: ClusterContext): JsonPatch[] => {
  const base = storeConfig(IN_CLUSTER_ENDPOINTS, undefined);
  const here = storeConfig(endpointsFor(ctx.cluster), copyOf(ctx.cluster));
  const ops = Object.keys(here)
    .sort()
    .filter((k) => here[k] !== base[k])
    .map((k) => ({ op: 'replace' as const, path: `/data/${k}`, value: here[k] }));
  if (ops.length === 0) return [];
  return [backupApp(db), verifyApp(db)].map((app) => ({ target: { kind: 'ConfigMap', name: `${app}-config` }, ops }));
};
