// External-services mode after real Kustomize: where the inventory names managed services, the stack renders no
// StatefulSets (nor their backups) and the apps are pointed at the external endpoints. Covers the shipped prod
// clusters and an inventory edit that switches dev to managed services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';
import { egressPaths } from './policy-paths.ts';

const EXTERNAL = {
  postgres: { host: 'db.example.internal', port: 6432, database: 'jobs', cidrs: ['10.1.0.0/24'] },
  redis: { host: 'cache.example.internal', cidrs: ['10.1.1.0/24'] },
  rabbitmq: { host: 'mq.example.internal', port: 5671, cidrs: ['10.1.2.0/24'] },
  objectStorage: { endpoint: 'https://objects.example.net', bucket: 'dev-media', region: 'eu-central-1' },
};

describe('transcoding external-services mode', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({
      edits: [
        { file: 'clusters.yaml', path: ['clusters', 0, 'transcoding'], value: { external: EXTERNAL } },
        { file: 'fleet.yaml', path: ['transcoding', 'backupRetentionDays'], value: 7 },
      ],
    });
  });
  afterAll(async () => fleet.dispose());

  it.each(['dev-k3d', 'prod-eu-west-1', 'prod-us-east-1', 'prod-gpu-us-east-1'])('%s renders no StatefulSet, backup or PVC', (cluster) => {
    const kinds = fleet.objects(cluster, 'transcoding').map((o) => o.kind);
    expect(kinds).not.toContain('StatefulSet');
    expect(kinds).not.toContain('CronJob');
    expect(kinds).not.toContain('PersistentVolumeClaim');
    // The apps are still there.
    expect(kinds).toContain('Deployment');
  });

  it('dev (edited) points the API and workers at the managed endpoints', () => {
    const api = fleet.find('dev-k3d', 'transcoding', 'ConfigMap', 'transcode-api-config').data;
    expect(api).toMatchObject({
      POSTGRES_HOST: 'db.example.internal',
      POSTGRES_PORT: '6432',
      POSTGRES_DB: 'jobs',
      REDIS_HOST: 'cache.example.internal',
      REDIS_PORT: '6379',
      AMQP_HOST: 'mq.example.internal',
      AMQP_PORT: '5671',
    });
    const worker = fleet.find('dev-k3d', 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config').data;
    expect(worker).toMatchObject({ AMQP_HOST: 'mq.example.internal', S3_ENDPOINT: 'https://objects.example.net', S3_BUCKET: 'dev-media', S3_REGION: 'eu-central-1' });
  });

  it('dev (edited) egress goes to the configured address ranges on the service ports', () => {
    expect(egressPaths(fleet.objects('dev-k3d', 'transcoding'))).toEqual(
      [
        'transcode-api -> cidr:10.1.0.0/24:6432',
        'transcode-api -> cidr:10.1.1.0/24:6379',
        'transcode-api -> cidr:10.1.2.0/24:5671',
        'transcode-worker-cpu -> cidr:10.1.2.0/24:5671',
        'transcode-worker-cpu -> cidr:0.0.0.0/0:443',
      ].sort(),
    );
  });

  it('a changed endpoint changes the pod template, so the pods roll onto it', () => {
    const checksum = (cluster: string, name: string): string | undefined =>
      (fleet.find(cluster, 'transcoding', 'Deployment', name).spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata
        .annotations?.['streamfleet.io/config-checksum'];
    // staging's API uses only in-cluster services: the base checksum.
    const base = checksum('staging-eu-west-1', 'transcode-api');
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    const external = ['dev-k3d', 'prod-eu-west-1', 'prod-us-east-1'].map((c) => checksum(c, 'transcode-api'));
    expect(new Set([base, ...external]).size).toBe(4);
    // Same S3 endpoint, different buckets: still a different pod template.
    expect(checksum('staging-eu-west-1', 'transcode-worker-cpu')).not.toBe(checksum('prod-eu-west-1', 'transcode-worker-cpu'));
  });

  it('shipped prod clusters use their region\'s managed services', () => {
    const euw1 = fleet.find('prod-eu-west-1', 'transcoding', 'ConfigMap', 'transcode-api-config').data!;
    expect(euw1.POSTGRES_HOST).toMatch(/\.eu-west-1\.rds\.amazonaws\.com$/);
    expect(euw1.AMQP_HOST).toMatch(/\.mq\.eu-west-1\.amazonaws\.com$/);
    const gpu = fleet.find('prod-gpu-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-gpu-config').data!;
    expect(gpu.S3_ENDPOINT).toBe('https://s3.us-east-1.amazonaws.com');
  });

  it('a partially external cluster keeps its in-cluster databases and backs them up to the managed store, for the configured retention', () => {
    const kinds = fleet.objects('staging-eu-west-1', 'transcoding').filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name);
    expect(kinds.sort()).toEqual(['postgres', 'rabbitmq', 'redis']);
    const backup = fleet.find('staging-eu-west-1', 'transcoding', 'ConfigMap', 'postgres-backup-config').data;
    expect(backup).toMatchObject({ S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com', RETENTION_DAYS: '7' });
  });
});
