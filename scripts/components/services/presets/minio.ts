// The minio preset: a single-node, single-drive MinIO server on a persistent volume (distributed erasure-coded
// MinIO needs 4+ drives across pods: out of scope). Image facts, arguments and health paths are the transcoding
// stack's (one source).
//
// Metrics: /minio/v2/metrics/cluster on the S3 port wants a bearer token unless MINIO_PROMETHEUS_AUTH_TYPE is
// `public` (minio/minio @ RELEASE.2024-12-18T13-15-44Z : cmd/metrics-router.go); the NetworkPolicy admits only the
// monitoring namespace and the service's dependents to that port, so public means "to Prometheus".
// Metric names: minio/minio @ RELEASE.2024-12-18T13-15-44Z : cmd/metrics-v2.go (cluster health, capacity, usage,
// nodes, S3 requests and errors).
import type { ServiceSpec } from '../../../inventory/system-schema.ts';
import { MINIO_PORT } from '../../transcoding/endpoints.ts';
import { MINIO_ARGS, MINIO_DATA_DIR, MINIO_LIVE_PATH, MINIO_READY_PATH, MINIO_UID, minio as transcodingMinio } from '../../transcoding/minio.ts';
import { PRESET_IMAGES } from '../../../inventory/preset-images.ts';
import { credentialEnv, dataVolume, type CredentialProperty, type Preset } from './preset.ts';

/** The cluster metrics endpoint (metrics v2). */
const MINIO_METRICS_PATH = '/minio/v2/metrics/cluster';

/** `credentials.key` holds `root-user` and `root-password`: the server's root account (also its S3 access key pair). */
const CREDENTIALS: readonly CredentialProperty[] = [
  { property: 'root-user', env: 'MINIO_ROOT_USER' },
  { property: 'root-password', env: 'MINIO_ROOT_PASSWORD' },
];

const defaults = (_service: string, spec: ServiceSpec): ServiceSpec => ({
  image: PRESET_IMAGES.minio.main,
  kind: 'StatefulSet',
  // The S3 API is HTTP: the health probes use it.
  ports: [{ name: 's3', port: MINIO_PORT, appProtocol: 'http' }],
  args: [...MINIO_ARGS],
  env: [...credentialEnv(CREDENTIALS, spec), { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' }],
  volumes: [dataVolume(MINIO_DATA_DIR)],
  probes: {
    startup: { http: { path: MINIO_LIVE_PATH, port: 's3' }, periodSeconds: 5, failureThreshold: 30 },
    readiness: { http: { path: MINIO_READY_PATH, port: 's3' }, periodSeconds: 10 },
    liveness: { http: { path: MINIO_LIVE_PATH, port: 's3' }, periodSeconds: 20, failureThreshold: 6 },
  },
  resources: transcodingMinio.defaults.resources,
  metrics: { port: 's3', path: MINIO_METRICS_PATH },
  runAsUser: MINIO_UID,
  replicas: 1,
  spread: 'required',
  terminationGracePeriodSeconds: 60,
});

export const minioPreset: Preset = {
  credentials: CREDENTIALS,
  defaults,
  sidecars: () => () => [],
  metrics: [
    'minio_cluster_health_status',
    'minio_cluster_capacity_usable_free_bytes',
    'minio_cluster_usage_total_bytes',
    'minio_cluster_nodes_online_total',
    'minio_cluster_nodes_offline_total',
    'minio_s3_requests_total',
    'minio_s3_requests_errors_total',
  ],
};
