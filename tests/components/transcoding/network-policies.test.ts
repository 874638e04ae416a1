// The transcoding namespace's NetworkPolicies on the shipped fleet, after real Kustomize: default deny plus
// exactly the listed paths (ingress → API, API → databases/queue, workers → queue/object storage, backups →
// database/object storage, Prometheus → metrics, KEDA → the queue's management API), and egress to managed services in external mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';
import { egressPaths, ingressPaths } from './policy-paths.ts';

describe('transcoding network policies', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet.dispose());

  it.each(['dev-k3d', 'staging-eu-west-1', 'prod-eu-west-1', 'prod-gpu-us-east-1'])('%s denies by default and allows only DNS and OTLP namespace-wide', (cluster) => {
    const nps = fleet.objects(cluster, 'transcoding').filter((o) => o.kind === 'NetworkPolicy');
    const deny = fleet.find(cluster, 'transcoding', 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const wide = nps.filter((o) => JSON.stringify(o.spec?.podSelector) === '{}').map((o) => o.metadata.name).sort();
    expect(wide).toEqual(['allow-dns-egress', 'allow-otlp-egress', 'default-deny']);
    const ns = fleet.find(cluster, 'transcoding', 'Namespace', 'transcoding');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('dev (everything in-cluster): exactly the listed ingress paths', () => {
    expect(ingressPaths(fleet.objects('dev-k3d', 'transcoding'))).toEqual(
      [
        'ns:ingress-nginx -> transcode-api:8080',
        'ns:monitoring -> transcode-api:9090',
        'ns:monitoring -> transcode-worker-cpu:9090',
        'transcode-api -> postgres:5432',
        'postgres-backup -> postgres:5432',
        'ns:monitoring -> postgres:9187',
        'transcode-api -> redis:6379',
        'redis-backup -> redis:6379',
        'ns:monitoring -> redis:9121',
        'transcode-api -> rabbitmq:5672',
        'transcode-worker-cpu -> rabbitmq:5672',
        'transcode-worker-gpu -> rabbitmq:5672',
        // KEDA reads queue depths (ready + unacked) from the management API, not over AMQP.
        'ns:keda -> rabbitmq:15672',
        'ns:monitoring -> rabbitmq:15692',
        'transcode-worker-cpu -> minio:9000',
        'transcode-worker-gpu -> minio:9000',
        'postgres-backup -> minio:9000',
        'redis-backup -> minio:9000',
        // The verify jobs fetch dumps; they never reach the databases.
        'postgres-backup-verify -> minio:9000',
        'redis-backup-verify -> minio:9000',
        // The PostSync Job that creates the media and backup buckets.
        'minio-buckets -> minio:9000',
      ].sort(),
    );
  });

  it('dev (everything in-cluster): exactly the listed egress paths', () => {
    expect(egressPaths(fleet.objects('dev-k3d', 'transcoding'))).toEqual(
      [
        'transcode-api -> postgres:5432',
        'transcode-api -> redis:6379',
        'transcode-api -> rabbitmq:5672',
        'transcode-worker-cpu -> rabbitmq:5672',
        'transcode-worker-cpu -> minio:9000',
        'postgres-backup -> postgres:5432',
        'postgres-backup -> minio:9000',
        'redis-backup -> redis:6379',
        'redis-backup -> minio:9000',
        'postgres-backup-verify -> minio:9000',
        'redis-backup-verify -> minio:9000',
        'minio-buckets -> minio:9000',
      ].sort(),
    );
  });

  it('every in-cluster egress path is admitted by the destination (no half-open path)', () => {
    const objects = fleet.objects('dev-k3d', 'transcoding');
    const ingress = new Set(ingressPaths(objects));
    for (const path of egressPaths(objects)) expect(ingress.has(path), path).toBe(true);
  });

  it('prod (managed services): egress to the services\' address ranges and ports only, no in-cluster databases', () => {
    const objects = fleet.objects('prod-eu-west-1', 'transcoding');
    expect(egressPaths(objects)).toEqual(
      [
        'transcode-api -> cidr:10.10.0.0/16:5432',
        'transcode-api -> cidr:10.10.0.0/16:6379',
        'transcode-api -> cidr:10.10.0.0/16:5671',
        'transcode-worker-cpu -> cidr:10.10.0.0/16:5671',
        // S3 has public addresses: any destination, HTTPS only.
        'transcode-worker-cpu -> cidr:0.0.0.0/0:443',
      ].sort(),
    );
    expect(ingressPaths(objects)).toEqual(
      ['ns:ingress-nginx -> transcode-api:8080', 'ns:monitoring -> transcode-api:9090', 'ns:monitoring -> transcode-worker-cpu:9090'].sort(),
    );
  });
});
