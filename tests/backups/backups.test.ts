// The backup, verify and restore jobs as they are rendered (gen + Kustomize of the shipped fleet, staging edited to
// copy its backups to a second region), their scripts run with sh against real servers: PostgreSQL and Redis from
// Debian (`bash .ci/test-services start`), the real AWS CLI (Debian awscli) against a local S3 stand-in per store.
// Debian ships PostgreSQL 15 and Redis 7.0 while the images run 17 and 7.4: the scripts use nothing that differs.
import { execFile } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';
import { renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../support/rendered.ts';
import { requireServers, requireTools, runJob, SERVICES, type JobRun, type ScriptResult } from './support/jobs.ts';
import { S3StandIn } from './support/s3-stand-in.ts';

const exec = promisify(execFile);
const CLUSTER = 'staging-eu-west-1';
const COPY = { endpoint: 'https://s3.us-west-2.amazonaws.com', bucket: 'acme-transcode-backups-usw2', region: 'us-west-2', cidrs: ['52.218.0.0/17'] };
const KEYS = { store: ['store-key', 'store-secret'], copy: ['copy-key', 'copy-secret'] } as const;

let fleet: RenderedFleet;
let path: string;
let root: string;
let store: S3StandIn;
let copyStore: S3StandIn;
let runs = 0;

const stagingIndex = async (): Promise<number> => {
  const clusters = parse(await readFile(join(DEFAULT_INVENTORY, 'clusters.yaml'), 'utf8')) as { clusters: Array<{ name: string }> };
  return clusters.clusters.findIndex((c) => c.name === CLUSTER);
};

beforeAll(async () => {
  path = await requireTools();
  await requireServers(path);
  fleet = await renderFleetBuilds({ edits: [{ file: 'clusters.yaml', path: ['clusters', await stagingIndex(), 'transcoding', 'backupCopy'], value: COPY }] });
  root = await tempDir('backups');
  // The jobs run as the Debian postgres user when the tests run as root: it must reach their folders.
  await chmod(root, 0o755);
  store = new S3StandIn([KEYS.store[0]]);
  copyStore = new S3StandIn([KEYS.copy[0]]);
  await store.start();
  await copyStore.start();
}, 600_000);

afterAll(async () => {
  await store?.stop();
  await copyStore?.stop();
  await fleet?.dispose();
  if (root) await removeDir(root);
});

const cron = (name: string): BuiltObject => fleet.find(CLUSTER, 'transcoding', 'CronJob', name);
const data = (name: string): Record<string, string> => fleet.find(CLUSTER, 'transcoding', 'ConfigMap', name).data as Record<string, string>;

const pg = SERVICES.postgres;
const psql = async (db: string, sql: string): Promise<string> =>
  (await exec('psql', ['--host', pg.host, '--port', String(pg.port), '--username', pg.user, '--dbname', db, '-XAtqv', 'ON_ERROR_STOP=1', '-c', sql], { env: { ...process.env, PATH: path, PGPASSWORD: pg.password } })).stdout;
const redis = async (...args: string[]): Promise<string> =>
  (await exec('redis-cli', ['-h', SERVICES.redis.host, '-p', String(SERVICES.redis.port), ...args], { env: { ...process.env, PATH: path, REDISCLI_AUTH: SERVICES.redis.password } })).stdout.trim();

/** Run one rendered CronJob's pod with the test servers and stores. */
const job = async (name: string, db: 'postgres' | 'redis', opts: { database?: string; extra?: Record<string, string>; copy?: boolean } = {}): Promise<ScriptResult> => {
  runs += 1;
  const app = `${db}-backup`;
  const run: JobRun = {
    configMaps: { [`${app}-config`]: data(`${app}-config`), [`${app}-verify-config`]: data(`${app}-verify-config`) },
    secrets: {
      [`${app}-credentials`]: { POSTGRES_USER: pg.user, POSTGRES_PASSWORD: pg.password, REDIS_PASSWORD: SERVICES.redis.password, S3_ACCESS_KEY: KEYS.store[0], S3_SECRET_KEY: KEYS.store[1] },
      [`${app}-verify-credentials`]: { S3_ACCESS_KEY: KEYS.store[0], S3_SECRET_KEY: KEYS.store[1] },
      ...(opts.copy === false ? {} : { [`${app}-copy-credentials`]: { COPY_ACCESS_KEY: KEYS.copy[0], COPY_SECRET_KEY: KEYS.copy[1] } }),
    },
    override: {
      S3_ENDPOINT: store.url,
      COPY_ENDPOINT: copyStore.url,
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: String(pg.port),
      POSTGRES_DB: opts.database ?? 'transcode',
      REDIS_HOST: SERVICES.redis.host,
      REDIS_PORT: String(SERVICES.redis.port),
    },
    extra: opts.extra,
    path,
    root: join(root, `run-${runs}`),
    runAs: { name: 'postgres', ...(await ids('postgres')) },
  };
  return runJob(cron(name), run);
};

const ids = async (user: string): Promise<{ uid: number; gid: number }> => {
  const uid = Number((await exec('id', ['-u', user])).stdout);
  const gid = Number((await exec('id', ['-g', user])).stdout);
  return { uid, gid };
};

const ok = (r: ScriptResult): void => {
  expect(r.code, `${r.container} failed:\n${r.stderr}\n${r.stdout}`).toBe(0);
};

const dumps = (s: S3StandIn, bucket: string, prefix: string, suffix: string): string[] => s.currentKeys(bucket, `${prefix}/`).filter((k) => k.endsWith(suffix));

describe('postgres backup, verify and restore', () => {
  const bucket = (): string => data('postgres-backup-config').BACKUP_BUCKET!;
  const db = `backup_test_${process.pid}`;
  const restored = `${db}_restored`;

  beforeAll(async () => {
    for (const d of [db, restored]) {
      await psql('postgres', `DROP DATABASE IF EXISTS ${d}`);
      await psql('postgres', `CREATE DATABASE ${d}`);
    }
    await psql(db, 'CREATE TABLE jobs (id serial PRIMARY KEY, state text); CREATE TABLE "Odd Name" (x int); CREATE SCHEMA media; CREATE TABLE media.assets (id int)');
    await psql(db, "INSERT INTO jobs (state) SELECT 'done' FROM generate_series(1, 250); INSERT INTO \"Odd Name\" VALUES (1), (2); INSERT INTO media.assets SELECT generate_series(1, 40)");
  }, 60_000);

  afterAll(async () => {
    for (const d of [db, restored]) await psql('postgres', `DROP DATABASE IF EXISTS ${d}`).catch(() => undefined);
  });

  it('no dump yet: verify and restore fail with a clear message', async () => {
    for (const name of ['postgres-backup-verify', 'postgres-restore']) {
      const r = await job(name, 'postgres', { database: restored });
      expect(r.code, name).not.toBe(0);
      expect(r.stderr).toMatch(/no backup found under .*\/postgres\/ \(no \*\.dump object\)|NoSuchBucket/);
    }
  }, 120_000);

  it('dumps with counts from the dump snapshot, uploads with versioning and lifecycle, copies to the second region', async () => {
    ok(await job('postgres-backup', 'postgres', { database: db }));
    const [dump] = dumps(store, bucket(), 'postgres', '.dump');
    expect(dump).toMatch(new RegExp(`^postgres/${db}-\\d{8}T\\d{6}Z\\.dump$`));
    const counts = store.object(bucket(), dump!.replace(/\.dump$/, '.counts'))!.toString();
    expect(counts.trim().split('\n')).toEqual(['"Odd Name" 2', 'media.assets 40', 'public.jobs 250'].map((l) => (l.startsWith('"') ? `public.${l}` : l)).sort());
    // Versioning and the lifecycle rule, as S3 receives them.
    const put = (op: string): string => store.requests.find((r) => r.operation === op && r.bucket === bucket())!.body;
    expect(put('PutBucketVersioning')).toMatch(/<VersioningConfiguration[^>]*>\s*<Status>Enabled<\/Status>/);
    const lifecycle = put('PutBucketLifecycleConfiguration');
    expect(lifecycle).toContain('<Expiration><Days>30</Days></Expiration>');
    expect(lifecycle).toContain('<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays></NoncurrentVersionExpiration>');
    expect(lifecycle).toMatch(/<Filter><Prefix( \/>|><\/Prefix>)<\/Filter>/);
    expect(store.buckets.get(bucket())!.versioning).toBe('Enabled');
    // The copy: same objects in the second bucket, with the copy store's own key, signed for its region.
    expect(copyStore.currentKeys(COPY.bucket)).toEqual(store.currentKeys(bucket()));
    expect(copyStore.object(COPY.bucket, dump!)!.equals(store.object(bucket(), dump!)!)).toBe(true);
    expect(new Set(copyStore.requests.map((r) => `${r.accessKey} ${r.region}`))).toEqual(new Set([`${KEYS.copy[0]} ${COPY.region}`]));
    expect(copyStore.buckets.get(COPY.bucket)!.versioning).toBe('Enabled');
    expect(new Set(store.requests.map((r) => r.accessKey))).toEqual(new Set([KEYS.store[0]]));
  }, 180_000);

  it('verify restores the newest dump into a scratch server and finds the recorded counts', async () => {
    const r = await job('postgres-backup-verify', 'postgres');
    ok(r);
    expect(r.stdout).toContain('verified: 3 tables, row counts as recorded');
  }, 180_000);

  it('verify fails on a tampered count', async () => {
    const [dump] = dumps(store, bucket(), 'postgres', '.dump');
    const key = dump!.replace(/\.dump$/, '.counts');
    const good = store.object(bucket(), key)!;
    store.putObject(bucket(), key, good.toString().replace('public.jobs 250', 'public.jobs 251'));
    const r = await job('postgres-backup-verify', 'postgres');
    store.putObject(bucket(), key, good);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('verify FAILED: row counts of the restored dump differ');
    expect(r.stderr).toContain('+public.jobs 250');
  }, 180_000);

  it('verify fails on a corrupted dump', async () => {
    const [dump] = dumps(store, bucket(), 'postgres', '.dump');
    const good = store.object(bucket(), dump!)!;
    const bad = Buffer.from(good);
    bad.fill(0x41, Math.floor(bad.length / 2));
    store.putObject(bucket(), dump!, bad);
    const r = await job('postgres-backup-verify', 'postgres');
    store.putObject(bucket(), dump!, good);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('verify FAILED: the dump does not restore');
  }, 180_000);

  it('restore loads the newest dump into the target database', async () => {
    ok(await job('postgres-restore', 'postgres', { database: restored }));
    expect(await psql(restored, 'SELECT count(*) FROM jobs')).toBe('250\n');
    expect(await psql(restored, 'SELECT count(*) FROM media.assets')).toBe('40\n');
  }, 180_000);

  it('verify fails when the newest dump is older than the freshness bound', async () => {
    const old = `postgres/${db}-20200101T020000Z`;
    const b = bucket();
    const saved = store.currentKeys(b, 'postgres/').map((k) => [k, store.object(b, k)!] as const);
    // Only an old dump: remove the fresh one for this run (delete markers; the objects come back below).
    for (const [k] of saved) store.buckets.get(b)!.objects.delete(k);
    store.putObject(b, `${old}.dump`, saved.find(([k]) => k.endsWith('.dump'))![1]);
    store.putObject(b, `${old}.counts`, saved.find(([k]) => k.endsWith('.counts'))![1]);
    const r = await job('postgres-backup-verify', 'postgres');
    for (const [k, v] of saved) store.putObject(b, k, v);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the newest backup postgres\/.*20200101T020000Z\.dump is \d+ hours old \(more than 26\)/);
  }, 120_000);

  it('deletes dumps older than the retention in both buckets; versioning keeps them as noncurrent versions', async () => {
    const old = `postgres/${db}-20200101T020000Z`;
    for (const [s, b] of [[store, bucket()], [copyStore, COPY.bucket]] as const) {
      s.putObject(b, `${old}.dump`, 'old');
      s.putObject(b, `${old}.counts`, 'old');
    }
    ok(await job('postgres-backup', 'postgres', { database: db }));
    for (const [s, b] of [[store, bucket()], [copyStore, COPY.bucket]] as const) {
      expect(s.currentKeys(b, 'postgres/').filter((k) => k.includes('20200101'))).toEqual([]);
      expect(s.versions(b, `${old}.dump`).at(-1)!.deleteMarker).toBe(true);
      expect(dumps(s, b, 'postgres', '.dump').length).toBeGreaterThanOrEqual(1);
    }
  }, 180_000);
});

describe('redis backup and verify', () => {
  const bucket = (): string => data('redis-backup-config').BACKUP_BUCKET!;

  beforeAll(async () => {
    await redis('flushall');
    for (let i = 0; i < 120; i++) await redis('set', `job:${i}`, 'done');
    await redis('hset', 'rate:api', 'a', '1');
    // Keys with a TTL count as "may have expired by verify time".
    await redis('set', 'lock:1', 'x', 'EX', '3600');
    await redis('-n', '1', 'set', 'other-db', '1');
  }, 60_000);

  it('no dump yet: verify fails with a clear message', async () => {
    const r = await job('redis-backup-verify', 'redis');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no backup found under .*\/redis\/ \(no \*\.rdb\.gz object\)|NoSuchBucket/);
  }, 120_000);

  it('dumps the RDB with the key count read from it, uploads and copies it', async () => {
    ok(await job('redis-backup', 'redis'));
    const [dump] = dumps(store, bucket(), 'redis', '.rdb.gz');
    expect(dump).toMatch(/^redis\/redis-\d{8}T\d{6}Z\.rdb\.gz$/);
    expect(store.object(bucket(), dump!.replace(/\.rdb\.gz$/, '.counts'))!.toString()).toBe('keys 123\nexpires 1\n');
    expect(copyStore.currentKeys(COPY.bucket, 'redis/')).toEqual(store.currentKeys(bucket(), 'redis/'));
  }, 120_000);

  it('verify loads the RDB into a scratch redis-server and finds the recorded keys', async () => {
    const r = await job('redis-backup-verify', 'redis');
    ok(r);
    expect(r.stdout).toContain('verified: 123 keys (recorded 123, 1 with a TTL)');
  }, 120_000);

  it.each([
    ['a tampered count', (counts: Buffer, dump: Buffer) => [Buffer.from(counts.toString().replace('keys 123', 'keys 200')), dump] as const, 'holds 123 keys; recorded at dump time: 200'],
    ['a corrupted dump', (counts: Buffer, dump: Buffer) => [counts, Buffer.concat([dump.subarray(0, dump.length >> 1), Buffer.alloc(64, 7)])] as const, 'verify FAILED'],
  ])('verify fails on %s', async (_what, tamper, message) => {
    const b = bucket();
    const [dump] = dumps(store, b, 'redis', '.rdb.gz');
    const countsKey = dump!.replace(/\.rdb\.gz$/, '.counts');
    const good = [store.object(b, countsKey)!, store.object(b, dump!)!] as const;
    const [counts, data] = tamper(good[0], good[1]);
    store.putObject(b, countsKey, counts);
    store.putObject(b, dump!, data);
    const r = await job('redis-backup-verify', 'redis');
    store.putObject(b, countsKey, good[0]);
    store.putObject(b, dump!, good[1]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  }, 120_000);

  it('without copy credentials on a cluster that configures a copy, the job fails after the primary upload', async () => {
    const r = await job('redis-backup', 'redis', { copy: false });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('COPY_BUCKET is set but the copy credentials (transcoding/backup-copy) are missing');
  }, 120_000);
});
