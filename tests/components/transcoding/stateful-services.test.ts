// In-cluster backing services and their backups on the shipped fleet, after real Kustomize: StatefulSets with
// headless Services and PVC templates on the cluster's storage class, and backup CronJobs as the issue specifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podSpecOf, renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;
const spec = (o: BuiltObject): Loose => o.spec as Loose;

describe('transcoding stateful services', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet.dispose());

  const statefulSets = (cluster: string): string[] =>
    fleet
      .objects(cluster, 'transcoding')
      .filter((o) => o.kind === 'StatefulSet')
      .map((o) => o.metadata.name)
      .sort();

  it.each([
    // dev: everything in-cluster, MinIO as the object store.
    ['dev-k3d', ['minio', 'postgres', 'rabbitmq', 'redis']],
    // staging: media and backups in S3, databases in-cluster.
    ['staging-eu-west-1', ['postgres', 'rabbitmq', 'redis']],
  ])('%s runs %j', (cluster, expected) => {
    expect(statefulSets(cluster)).toEqual(expected);
  });

  it.each([
    ['dev-k3d', 'postgres', 'local-path'],
    ['dev-k3d', 'redis', 'local-path'],
    ['dev-k3d', 'rabbitmq', 'local-path'],
    ['dev-k3d', 'minio', 'local-path'],
    ['staging-eu-west-1', 'postgres', 'gp3'],
    ['staging-eu-west-1', 'rabbitmq', 'gp3'],
  ])('%s %s: headless Service and PVC templates on storage class %s', (cluster, name, storageClass) => {
    const sts = fleet.find(cluster, 'transcoding', 'StatefulSet', name);
    const svc = fleet.find(cluster, 'transcoding', 'Service', spec(sts).serviceName);
    expect(spec(svc).clusterIP).toBe('None');
    expect(spec(svc).selector).toEqual(spec(sts).selector.matchLabels);
    const claims = spec(sts).volumeClaimTemplates as Loose[];
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) {
      expect(c.spec.storageClassName).toBe(storageClass);
      expect(c.spec.resources.requests.storage).toMatch(/Gi$/);
    }
    // Every claim is mounted by the main container.
    const mounts = (podSpecOf(sts).containers[0]!.volumeMounts as Loose[]).map((m) => m.name);
    expect(mounts).toEqual(expect.arrayContaining(claims.map((c) => c.metadata.name)));
    expect(sts.spec?.replicas).toBe(1);
  });

  it.each(['postgres', 'redis', 'rabbitmq', 'minio'])('%s: restricted, probed, credentials only by Secret reference', (name) => {
    const pod = podSpecOf(fleet.find('dev-k3d', 'transcoding', 'StatefulSet', name));
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of pod.containers as Loose[]) {
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.readinessProbe && c.livenessProbe, `${name}/${c.name}`).toBeTruthy();
      expect(c.resources.requests.memory && c.resources.limits.memory).toBeTruthy();
      for (const e of (c.env ?? []) as Loose[]) {
        if (/PASS|USER|AUTH/.test(e.name)) expect(e.valueFrom?.secretKeyRef?.name, e.name).toBe(`${name}-credentials`);
      }
    }
    expect(fleet.find('dev-k3d', 'transcoding', 'ExternalSecret', `${name}-credentials`).apiVersion).toBe('external-secrets.io/v1');
  });

  it.each([
    ['postgres-backup', '0 2 * * *'],
    ['redis-backup', '0 3 * * *'],
  ])('%s runs at %s UTC, never concurrently, with bounded retries', (name, schedule) => {
    for (const cluster of ['dev-k3d', 'staging-eu-west-1']) {
      const s = spec(fleet.find(cluster, 'transcoding', 'CronJob', name));
      expect(s).toMatchObject({ schedule, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false });
      expect(s.startingDeadlineSeconds).toBeGreaterThan(0);
      expect(s.jobTemplate.spec.backoffLimit).toBeGreaterThanOrEqual(0);
    }
  });

  it.each([
    ['dev-k3d', 'postgres-backup', 'http://minio.transcoding.svc.cluster.local:9000', 'transcode-media-backups'],
    ['staging-eu-west-1', 'redis-backup', 'https://s3.eu-west-1.amazonaws.com', 'acme-media-transcode-staging-euw1-backups'],
  ])('%s %s: compressed dump uploaded to %s/%s with 30-day retention', (cluster, name, endpoint, bucket) => {
    const config = fleet.find(cluster, 'transcoding', 'ConfigMap', `${name}-config`).data!;
    expect(config).toMatchObject({ S3_ENDPOINT: endpoint, BACKUP_BUCKET: bucket, RETENTION_DAYS: '30' });
    const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'CronJob', name));
    const dump = JSON.stringify((pod.initContainers as Loose[])[0]!.command);
    expect(dump).toMatch(/--compress=9|gzip -9/);
    const upload = JSON.stringify(pod.containers[0]!.command);
    // Retention enforced twice: lifecycle rule on the bucket and an explicit delete of older dumps (tests/backups runs them).
    expect(upload).toContain('put-bucket-lifecycle-configuration');
    expect(upload).toContain('put-bucket-versioning');
    expect(upload).toContain('s3api delete-object');
  });

  it.each([
    ['postgres-backup-verify', '0 4 * * *', 'postgres'],
    ['redis-backup-verify', '30 4 * * *', 'redis'],
  ])('%s runs at %s UTC after the backup, with a scratch %s server and no database credentials', (name, schedule, image) => {
    for (const cluster of ['dev-k3d', 'staging-eu-west-1']) {
      const s = spec(fleet.find(cluster, 'transcoding', 'CronJob', name));
      expect(s).toMatchObject({ schedule, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false });
      const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'CronJob', name));
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
      expect((pod.initContainers as Loose[])[0]!.image).toMatch(/amazon\/aws-cli:/);
      const verify = pod.containers[0] as Loose;
      expect(verify.image).toContain(`/${image}:`);
      // Its env: the count query at most, never the database address or credentials.
      expect(JSON.stringify(verify.env ?? [])).not.toMatch(/PASSWORD|AUTH|_HOST/);
      expect(verify.envFrom).toBeUndefined();
      const config = fleet.find(cluster, 'transcoding', 'ConfigMap', `${name}-config`).data!;
      expect(Object.keys(config).filter((k) => /POSTGRES|REDIS/.test(k))).toEqual([]);
    }
  });

  it.each(['postgres-backup', 'redis-backup'])('%s copies to the second region where clusters.yaml sets backupCopy (staging), nowhere else', (app) => {
    const staging = fleet.find('staging-eu-west-1', 'transcoding', 'ConfigMap', `${app}-config`).data!;
    expect([staging.COPY_ENDPOINT, staging.COPY_BUCKET, staging.COPY_REGION]).toEqual([
      'https://s3.eu-central-1.amazonaws.com',
      'acme-media-transcode-staging-backups-euc1',
      'eu-central-1',
    ]);
    // Its own credentials, synced only where a copy is configured.
    const es = spec(fleet.find('staging-eu-west-1', 'transcoding', 'ExternalSecret', `${app}-copy-credentials`));
    expect((es.data as Loose[]).map((d) => d.remoteRef.key)).toEqual(['transcoding/backup-copy', 'transcoding/backup-copy']);
    const egress = spec(fleet.find('staging-eu-west-1', 'transcoding', 'NetworkPolicy', `${app}-egress`));
    expect(JSON.stringify(egress.egress)).toContain('"port":443');
    const dev = fleet.find('dev-k3d', 'transcoding', 'ConfigMap', `${app}-config`).data!;
    expect(dev.COPY_BUCKET).toBe('');
    expect(fleet.objects('dev-k3d', 'transcoding').some((o) => o.metadata.name === `${app}-copy-credentials`)).toBe(false);
  });

  it('the postgres restore template is a suspended CronJob with the backup identity', () => {
    const restore = fleet.find('dev-k3d', 'transcoding', 'CronJob', 'postgres-restore');
    expect(spec(restore).suspend).toBe(true);
    expect(spec(restore).concurrencyPolicy).toBe('Forbid');
    const labels = spec(restore).jobTemplate.spec.template.metadata.labels;
    expect(labels['app.kubernetes.io/name']).toBe('postgres-backup');
    expect(JSON.stringify(podSpecOf(restore).containers[0]!.command)).toContain('pg_restore');
    expect((podSpecOf(restore).initContainers as Loose[])[0]!.image).toMatch(/amazon\/aws-cli:/);
  });

});

describe('MinIO buckets (dev)', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet.dispose());

  it('creates the media and backup buckets after every sync, with a pinned mc and the MinIO credentials', () => {
    const job = fleet.find('dev-k3d', 'transcoding', 'Job', 'minio-buckets');
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PostSync' });
    const container = podSpecOf(job).containers[0] as { image: string; command: string[]; env: Array<{ name: string; value?: string }> };
    expect(container.image).toMatch(/minio\/mc:RELEASE\./);
    expect(container.command.join(' ')).toContain('mc mb --ignore-existing "store/$MEDIA_BUCKET" "store/$BACKUP_BUCKET"');
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    // The bucket the workers upload to.
    const api = fleet.find('dev-k3d', 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config');
    expect(env.MEDIA_BUCKET).toBe(api.data?.S3_BUCKET);
    expect(env.S3_ENDPOINT).toBe(api.data?.S3_ENDPOINT);
  });

  it('exists only where MinIO runs', () => {
    expect(fleet.objects('prod-eu-west-1', 'transcoding').some((o) => o.kind === 'Job')).toBe(false);
  });
});
