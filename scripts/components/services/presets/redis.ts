// The redis preset: one Redis server (no replicas or Sentinel: out of scope) with append-only persistence on a
// persistent volume and the redis_exporter sidecar. Image facts, redis.conf, probes and the exporter are the
// transcoding stack's (one source). The config keeps `maxmemory-policy noeviction`: writes fail loudly when memory
// is full instead of silently dropping keys; a pure cache replaces the `configFiles` entry with its own policy.
import type { ServiceSpec } from '../../../inventory/system-schema.ts';
import { REDIS_PORT } from '../../transcoding/endpoints.ts';
import {
  REDIS_COMMAND,
  REDIS_CONF,
  REDIS_CONF_PATH,
  REDIS_DATA_DIR,
  REDIS_EXPORTER_PORT,
  REDIS_METRICS,
  REDIS_PASSWORD_ENV,
  REDIS_UID,
  redis as transcodingRedis,
  redisExporter,
} from '../../transcoding/redis.ts';
import { PRESET_IMAGES } from '../../../inventory/preset-images.ts';
import { credentialEnv, dataVolume, sidecarSecretEnv, type CredentialProperty, type Preset } from './preset.ts';

/** `credentials.key` holds `password`: `--requirepass` of the server (redis-cli reads the same variable). */
const CREDENTIALS: readonly CredentialProperty[] = [{ property: 'password', env: REDIS_PASSWORD_ENV }];

const defaults = (_service: string, spec: ServiceSpec): ServiceSpec => ({
  image: PRESET_IMAGES.redis.main,
  kind: 'StatefulSet',
  ports: [
    { name: 'redis', port: REDIS_PORT, appProtocol: 'tcp' },
    { name: 'metrics', port: REDIS_EXPORTER_PORT, appProtocol: 'http' },
  ],
  command: [...REDIS_COMMAND],
  env: credentialEnv(CREDENTIALS, spec),
  configFiles: [{ path: REDIS_CONF_PATH, content: REDIS_CONF }],
  volumes: [dataVolume(REDIS_DATA_DIR)],
  probes: {
    // Replaying a large AOF takes a while.
    startup: { tcp: { port: 'redis' }, periodSeconds: 5, failureThreshold: 60 },
    readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 5 },
    liveness: { tcp: { port: 'redis' }, periodSeconds: 20, failureThreshold: 6 },
  },
  resources: transcodingRedis.defaults.resources,
  runAsUser: REDIS_UID,
  replicas: 1,
  spread: 'required',
  terminationGracePeriodSeconds: 60,
  metrics: { port: 'metrics' },
});

export const redisPreset: Preset = {
  credentials: CREDENTIALS,
  defaults,
  sidecars: (service, spec) => (repository) => {
    const password = sidecarSecretEnv(service, spec, 'REDIS_PASSWORD', REDIS_PASSWORD_ENV);
    if (password === undefined) return [];
    const [image] = PRESET_IMAGES.redis.sidecars;
    return [redisExporter({ image: repository(image!), password })];
  },
  metrics: REDIS_METRICS,
};
