// Database backups: a CronJob per in-cluster database dumps it (compressed) into a scratch volume, then uploads
// the dump to the S3-compatible store (MinIO in dev) and enforces the retention twice — a bucket lifecycle rule
// (the store expires objects even if the job stops running) and an explicit delete of older dumps (stores or
// credentials without lifecycle support). A suspended CronJob is the restore Job template.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { BaseContext, ClusterContext, JsonPatch, K8sObject } from '../component.ts';
import { configMap, emptyDir, restrictedContainer } from '../builders.ts';
import { cronJob } from '../cron-job.ts';
import { allowEgress } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { endpointsFor, IN_CLUSTER_ENDPOINTS, type TranscodingEndpoints } from './endpoints.ts';

const NAMESPACE = stackNamespace('transcoding');
/** Backups are kept this many days unless fleet.yaml `transcoding.backupRetentionDays` says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
export const BACKUP_SCHEDULES = { postgres: '0 2 * * *', redis: '0 3 * * *' } as const;
/** A date that never comes: the restore CronJob only runs when a human creates a Job from it. */
const NEVER = '0 0 31 2 *';
const SCRATCH = '/backup';
const SCRATCH_SIZE = '20Gi';
// Both images run as their non-root `postgres`/`redis` user (999); mc is a static binary that runs as anyone.
const UID = 999;

export type BackedUpDatabase = 'postgres' | 'redis';

export const backupApp = (db: BackedUpDatabase): string => `${db}-backup`;
export const restoreJobName = (db: BackedUpDatabase): string => `${db}-restore`;

const retentionDays = (ctx: BaseContext): number => ctx.fleet.transcoding?.backupRetentionDays ?? DEFAULT_RETENTION_DAYS;

const storeConfig = (e: TranscodingEndpoints): Record<string, string> => ({
  S3_ENDPOINT: e.objectStorage.url,
  BACKUP_BUCKET: e.objectStorage.backupBucket,
});

const jobResources = { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '1Gi', 'ephemeral-storage': SCRATCH_SIZE } };

/** The mc client with the store credentials; its alias config lives in /tmp (read-only root filesystem). */
const mcContainer = (name: string, app: string, ctx: BaseContext, script: string): IContainer => ({
  name,
  image: ctx.repository('minio-mc'),
  command: ['/bin/sh', '-c', script],
  env: [{ name: 'MC_CONFIG_DIR', value: '/tmp/mc' }, ...s3Env(app)],
  envFrom: [{ configMapRef: { name: `${app}-config` } }],
  resources: jobResources,
  securityContext: restrictedContainer(),
  volumeMounts: [
    { name: 'backup', mountPath: SCRATCH },
    { name: 'tmp', mountPath: '/tmp' },
  ],
});

const s3Env = (app: string): IEnvVar[] => [secretEnv(app, 'S3_ACCESS_KEY', CREDENTIALS.s3AccessKey), secretEnv(app, 'S3_SECRET_KEY', CREDENTIALS.s3SecretKey)];

const ALIAS = 'mc alias set store "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null';

const UPLOAD = [
  'set -eu',
  ALIAS,
  'mc mb --ignore-existing "store/$BACKUP_BUCKET"',
  // The bucket holds only backups, so one rule for every prefix: both jobs write the same document (idempotent).
  'printf \'{"Rules":[{"ID":"expire-backups","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":%s}}]}\' "$RETENTION_DAYS" > /tmp/lifecycle.json',
  'mc ilm import "store/$BACKUP_BUCKET" < /tmp/lifecycle.json || echo "warning: could not set the lifecycle rule; relying on the delete below" >&2',
  'mc cp "$(ls -1 /backup/* | head -n 1)" "store/$BACKUP_BUCKET/$BACKUP_PREFIX/"',
  'mc rm --recursive --force --older-than "${RETENTION_DAYS}d" "store/$BACKUP_BUCKET/$BACKUP_PREFIX/"',
].join('\n');

const DUMP: Record<BackedUpDatabase, string> = {
  postgres: [
    'set -eu',
    // Custom format is compressed and lets pg_restore pick objects; the UTC timestamp makes names sort by age.
    'pg_dump --host="$POSTGRES_HOST" --port="$POSTGRES_PORT" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \\',
    '  --format=custom --compress=9 --file="/backup/$POSTGRES_DB-$(date -u +%Y%m%dT%H%M%SZ).dump"',
  ].join('\n'),
  redis: [
    'set -eu',
    'f="/backup/redis-$(date -u +%Y%m%dT%H%M%SZ).rdb"',
    // --rdb asks the server for a fresh snapshot (BGSAVE semantics) and streams it: no access to its volume needed.
    'redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --rdb "$f"',
    'gzip -9 "$f"',
  ].join('\n'),
};

const dumpEnv = (db: BackedUpDatabase): IEnvVar[] =>
  db === 'postgres'
    ? [secretEnv(backupApp(db), 'POSTGRES_USER', CREDENTIALS.postgresUser), secretEnv(backupApp(db), 'PGPASSWORD', CREDENTIALS.postgresPassword)]
    : [secretEnv(backupApp(db), 'REDISCLI_AUTH', CREDENTIALS.redisPassword)];

const dbConfig = (db: BackedUpDatabase, e: TranscodingEndpoints): Record<string, string> =>
  db === 'postgres'
    ? { POSTGRES_HOST: e.postgres.host, POSTGRES_PORT: String(e.postgres.port), POSTGRES_DB: e.postgres.database }
    : { REDIS_HOST: e.redis.host, REDIS_PORT: String(e.redis.port) };

const dbContainer = (db: BackedUpDatabase, name: string, ctx: BaseContext, script: string): IContainer => ({
  name,
  image: ctx.repository(db),
  command: ['/bin/sh', '-c', script],
  env: dumpEnv(db),
  envFrom: [{ configMapRef: { name: `${backupApp(db)}-config` } }],
  resources: jobResources,
  securityContext: restrictedContainer(),
  volumeMounts: [
    { name: 'backup', mountPath: SCRATCH },
    { name: 'tmp', mountPath: '/tmp' },
  ],
});

const volumes = [emptyDir('backup', SCRATCH_SIZE), emptyDir('tmp', '64Mi')];

/** Restore: fetch the newest dump (or RESTORE_OBJECT), then pg_restore it over the database. */
const FETCH = [
  'set -eu',
  ALIAS,
  'obj="${RESTORE_OBJECT:-$(mc find "store/$BACKUP_BUCKET/$BACKUP_PREFIX" --name "*.dump" | sort | tail -n 1)}"',
  'test -n "$obj" || { echo "no backup found under store/$BACKUP_BUCKET/$BACKUP_PREFIX" >&2; exit 1; }',
  'echo "restoring $obj"',
  'mc cp "$obj" /backup/restore.dump',
].join('\n');

const PG_RESTORE = [
  'set -eu',
  'pg_restore --host="$POSTGRES_HOST" --port="$POSTGRES_PORT" --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \\',
  '  --clean --if-exists --no-owner --single-transaction --exit-on-error /backup/restore.dump',
].join('\n');

/** Base objects of one database's backup: config, credentials, the scheduled CronJob (and the restore template). */
export const backupObjects = (db: BackedUpDatabase, ctx: BaseContext): K8sObject[] => {
  const app = backupApp(db);
  const objects: K8sObject[] = [
    configMap({
      name: `${app}-config`,
      namespace: NAMESPACE,
      stack: 'transcoding',
      app,
      data: {
        ...storeConfig(IN_CLUSTER_ENDPOINTS),
        ...dbConfig(db, IN_CLUSTER_ENDPOINTS),
        BACKUP_PREFIX: db,
        RETENTION_DAYS: String(retentionDays(ctx)),
      },
    }),
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
      initContainers: [dbContainer(db, 'dump', ctx, DUMP[db])],
      containers: [mcContainer('upload', app, ctx, UPLOAD)],
      volumes,
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
        initContainers: [mcContainer('fetch', app, ctx, FETCH)],
        containers: [dbContainer(db, 'restore', ctx, PG_RESTORE)],
        volumes,
      }),
    );
  }
  return objects;
};

/** Backup jobs reach their database and the object store, nothing else. */
export const backupEgress = (db: BackedUpDatabase, ctx: ClusterContext): K8sObject => {
  const e = endpointsFor(ctx.cluster);
  const target = db === 'postgres' ? e.postgres : e.redis;
  return allowEgress({
    app: backupApp(db),
    namespace: NAMESPACE,
    rules: [
      { to: target.peers, ports: [target.port] },
      { to: e.objectStorage.peers, ports: [e.objectStorage.port] },
    ],
  });
};

/** Point the backup config at the cluster's object store when it is a managed one. */
export const backupPatches = (db: BackedUpDatabase, ctx: ClusterContext): JsonPatch[] => {
  const base = storeConfig(IN_CLUSTER_ENDPOINTS);
  const here = storeConfig(endpointsFor(ctx.cluster));
  const ops = Object.keys(here)
    .sort()
    .filter((k) => here[k] !== base[k])
    .map((k) => ({ op: 'replace' as const, path: `/data/${k}`, value: here[k] }));
  return ops.length > 0 ? [{ target: { kind: 'ConfigMap', name: `${backupApp(db)}-config` }, ops }] : [];
};
