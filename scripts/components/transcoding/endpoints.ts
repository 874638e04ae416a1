// Where the transcoding apps find their backing services on a cluster: the in-cluster StatefulSets (default) or
// the managed services the inventory names under `clusters.yaml transcoding.external`. One resolver, so the apps'
// configuration, the NetworkPolicies and the `enabled` switches of the in-cluster services cannot disagree.
import type { ExternalServices } from '../../inventory/stack-settings/transcoding.ts';
import type { Cluster } from '../../model/fleet.ts';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { configChecksumAnnotation } from '../builders.ts';
import type { JsonPatch } from '../component.ts';
import { fromApp } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';

const NAMESPACE = stackNamespace('transcoding');
const svc = (name: string): string => `${name}.${NAMESPACE}.svc.cluster.local`;

export const POSTGRES = 'postgres';
export const REDIS = 'redis';
export const RABBITMQ = 'rabbitmq';
export const MINIO = 'minio';

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
export const MINIO_PORT = 9000;
export const RABBITMQ_AMQP_PORT = 5672;
/**
 * The in-cluster broker's management HTTP API (plain HTTP inside the namespace), which KEDA reads queue depths from.
 * Checked: rabbitmq/rabbitmq-server @ v4.0.5 : deps/rabbitmq_management/src/rabbit_mgmt_app.erl (DEFAULT_PORT 15672),
 * deps/rabbitmq_management/priv/schema/rabbitmq_management.schema (`management.tcp.port`).
 */
export const RABBITMQ_MANAGEMENT_PORT = 15672;
/**
 * Managed brokers serve the management API over HTTPS on 443 (and 15671) of the broker's host name.
 * Checked: Amazon MQ developer guide, working-with-rabbitmq ("Listener ports": 5671 amqps; 443 and 15671 for the
 * web console and management API).
 */
export const MANAGED_RABBITMQ_MANAGEMENT_PORT = 443;
export const DATABASE = 'transcode';
export const MEDIA_BUCKET = 'transcode-media';
export const BACKUP_BUCKET_SUFFIX = '-backups';

export type BackingService = keyof ExternalServices;

/** One backing service as the apps see it, plus how a NetworkPolicy reaches it. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** Peers for egress: the in-cluster pods, or the managed service's address ranges. */
  readonly peers: INetworkPolicyPeer[];
  readonly external: boolean;
}

export interface ObjectStorageEndpoint extends Endpoint {
  readonly url: string;
  readonly bucket: string;
  readonly backupBucket: string;
  readonly region: string;
}

/** The broker: AMQP for the apps (`host`/`port`), the management HTTP API for KEDA's queue-depth reads. */
export interface RabbitmqEndpoint extends Endpoint {
  readonly managementPort: number;
  /** Origin of the management API, no path: the vhost goes into KEDA's `vhostName` instead. */
  readonly managementUrl: string;
}

export interface TranscodingEndpoints {
  readonly postgres: Endpoint & { readonly database: string };
  readonly redis: Endpoint;
  readonly rabbitmq: RabbitmqEndpoint;
  readonly objectStorage: ObjectStorageEndpoint;
}

const ipPeers = (cidrs: readonly string[] | undefined): INetworkPolicyPeer[] =>
  [...(cidrs ?? ['0.0.0.0/0'])].sort().map((cidr) => ({ ipBlock: { cidr } }));

const urlPort = (url: URL): number => (url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/** Whether the cluster uses a managed service instead of rendering the in-cluster one. */
export const isExternal = (cluster: Pick<Cluster, 'transcoding'>, service: BackingService): boolean =>
  cluster.transcoding?.external?.[service] !== undefined;

const rabbitmqEndpoint = (ext: ExternalServices['rabbitmq']): RabbitmqEndpoint => {
  if (ext === undefined) {
    const host = svc(RABBITMQ);
    return {
      host,
      port: RABBITMQ_AMQP_PORT,
      managementPort: RABBITMQ_MANAGEMENT_PORT,
      managementUrl: new URL(`http://${host}:${RABBITMQ_MANAGEMENT_PORT}`).origin,
      peers: [fromApp(RABBITMQ)],
      external: false,
    };
  }
  const managementPort = ext.managementPort ?? MANAGED_RABBITMQ_MANAGEMENT_PORT;
  return {
    host: ext.host,
    port: ext.port ?? RABBITMQ_AMQP_PORT,
    managementPort,
    // Managed brokers only serve the management API over TLS; `origin` drops the default port 443.
    managementUrl: new URL(`https://${ext.host}:${managementPort}`).origin,
    peers: ipPeers(ext.cidrs),
    external: true,
  };
};

export const endpointsFor = (cluster: Pick<Cluster, 'transcoding' | 'region'>): TranscodingEndpoints => {
  const ext = cluster.transcoding?.external ?? {};
  const os = ext.objectStorage;
  const osUrl = os ? new URL(os.endpoint) : new URL(`http://${svc(MINIO)}:${MINIO_PORT}`);
  const bucket = os?.bucket ?? MEDIA_BUCKET;
  return {
    postgres: ext.postgres
      ? { host: ext.postgres.host, port: ext.postgres.port ?? POSTGRES_PORT, database: ext.postgres.database ?? DATABASE, peers: ipPeers(ext.postgres.cidrs), external: true }
      : { host: svc(POSTGRES), port: POSTGRES_PORT, database: DATABASE, peers: [fromApp(POSTGRES)], external: false },
    redis: ext.redis
      ? { host: ext.redis.host, port: ext.redis.port ?? REDIS_PORT, peers: ipPeers(ext.redis.cidrs), external: true }
      : { host: svc(REDIS), port: REDIS_PORT, peers: [fromApp(REDIS)], external: false },
    rabbitmq: rabbitmqEndpoint(ext.rabbitmq),
    objectStorage: {
      host: osUrl.hostname,
      port: urlPort(osUrl),
      url: osUrl.origin,
      bucket,
      backupBucket: os?.backupBucket ?? `${bucket}${BACKUP_BUCKET_SUFFIX}`,
      // MinIO ignores the region; S3 signs requests with it.
      region: os?.region ?? (os ? cluster.region : 'us-east-1'),
      peers: os ? ipPeers(os.cidrs) : [fromApp(MINIO)],
      external: os !== undefined,
    },
  };
};

/** Configuration keys every transcoding app reads its endpoints from (ConfigMap data). */
export const endpointConfig = (e: TranscodingEndpoints, uses: readonly BackingService[]): Record<string, string> => {
  const out: Record<string, string> = {};
  if (uses.includes('postgres')) Object.assign(out, { POSTGRES_HOST: e.postgres.host, POSTGRES_PORT: String(e.postgres.port), POSTGRES_DB: e.postgres.database });
  if (uses.includes('redis')) Object.assign(out, { REDIS_HOST: e.redis.host, REDIS_PORT: String(e.redis.port) });
  if (uses.includes('rabbitmq')) Object.assign(out, { AMQP_HOST: e.rabbitmq.host, AMQP_PORT: String(e.rabbitmq.port) });
  if (uses.includes('objectStorage')) {
    Object.assign(out, { S3_ENDPOINT: e.objectStorage.url, S3_BUCKET: e.objectStorage.bucket, S3_REGION: e.objectStorage.region });
  }
  return out;
};

/** Endpoints of a cluster without any managed service: what the base (cluster-independent) config holds. */
export const IN_CLUSTER_ENDPOINTS: TranscodingEndpoints = endpointsFor({ region: 'local', transcoding: undefined });

/**
 * JSON6902 ops rewriting a ConfigMap's endpoint keys where the cluster's endpoints differ from the in-cluster
 * defaults of the base; none on a cluster without managed services, so its overlay stays empty.
 */
export const endpointConfigOps = (
  cluster: Pick<Cluster, 'transcoding' | 'region'>,
  uses: readonly BackingService[],
): Array<{ op: 'replace'; path: string; value: string }> => {
  const base = endpointConfig(IN_CLUSTER_ENDPOINTS, uses);
  const here = endpointConfig(endpointsFor(cluster), uses);
  return Object.keys(here)
    .sort()
    .filter((k) => here[k] !== base[k])
    .map((k) => ({ op: 'replace' as const, path: `/data/${k}`, value: here[k]! }));
};

const CHECKSUM_KEY = 'streamfleet.io/config-checksum';

/** Pod-template annotation hashing an app's ConfigMap data: a changed endpoint rolls the pods. */
export const configDataChecksum = (data: Readonly<Record<string, string>>): Record<string, string> =>
  configChecksumAnnotation(
    Object.keys(data)
      .sort()
      .map((k) => `${k}=${data[k]}`)
      .join('\n'),
  );

/**
 * Cluster patches pointing an app at the cluster's endpoints: the changed keys of its ConfigMap, and the
 * Deployment's config checksum recomputed from the patched data (a cluster patch of the ConfigMap alone would
 * leave the pods on the old endpoints until something else restarts them).
 */
export const endpointPatches = (s: {
  cluster: Pick<Cluster, 'transcoding' | 'region'>;
  uses: readonly BackingService[];
  configMap: string;
  deployment: string;
  baseData: Readonly<Record<string, string>>;
}): JsonPatch[] => {
  const ops = endpointConfigOps(s.cluster, s.uses);
  if (ops.length === 0) return [];
  const data = { ...s.baseData, ...Object.fromEntries(ops.map((o) => [o.path.slice('/data/'.length), o.value])) };
  return [
    { target: { kind: 'ConfigMap', name: s.configMap }, ops },
    {
      target: { kind: 'Deployment', name: s.deployment },
      ops: [{ op: 'replace', path: `/spec/template/metadata/annotations/${CHECKSUM_KEY.replace('/', '~1')}`, value: configDataChecksum(data)[CHECKSUM_KEY] }],
    },
  ];
};
