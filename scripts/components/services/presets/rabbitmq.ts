// The rabbitmq preset: a single RabbitMQ node (clustering needs peer discovery RBAC: out of scope) on a persistent
// volume, with the prometheus plugin's metrics and the management API (which KEDA's HTTP mode reads queue depths
// from). Image facts, rabbitmq.conf, plugins and probes are the transcoding stack's (one source).
import type { ServiceSpec } from '../../../inventory/system-schema.ts';
import { RABBITMQ_AMQP_PORT, RABBITMQ_MANAGEMENT_PORT } from '../../transcoding/endpoints.ts';
import {
  RABBITMQ_CONF,
  RABBITMQ_CONFIG_DIR,
  RABBITMQ_DATA_DIR,
  RABBITMQ_LIVE_COMMAND,
  RABBITMQ_METRICS,
  RABBITMQ_NODENAME,
  RABBITMQ_PLUGINS,
  RABBITMQ_PROMETHEUS_PORT,
  RABBITMQ_READY_COMMAND,
  RABBITMQ_UID,
  rabbitmq as transcodingRabbitmq,
} from '../../transcoding/rabbitmq.ts';
import { PRESET_IMAGES } from '../../../inventory/preset-images.ts';
import { credentialEnv, dataVolume, type CredentialProperty, type Preset } from './preset.ts';

/** `credentials.key` holds `username` and `password`: the user the broker creates on first start (administrator). */
const CREDENTIALS: readonly CredentialProperty[] = [
  { property: 'username', env: 'RABBITMQ_DEFAULT_USER' },
  { property: 'password', env: 'RABBITMQ_DEFAULT_PASS' },
];

/**
 * Config files are mounted one by one (subPath), so the image's /etc/rabbitmq/conf.d stays visible. Its
 * 20-management_agent.disable_metrics_collector.conf turns the management metrics collector off, which would leave
 * GET /api/queues without message counts; a file of the same path replaces it.
 * Checked: docker-library/rabbitmq @ 16db9e1 (Update 4.0 to 4.0.5) : 4.0/ubuntu/Dockerfile (COPY 10-defaults.conf
 * 20-management_agent.disable_metrics_collector.conf /etc/rabbitmq/conf.d/), 4.0/ubuntu/20-management_agent.
 * disable_metrics_collector.conf (`management_agent.disable_metrics_collector = true`).
 */
const COLLECTOR_CONF_PATH = `${RABBITMQ_CONFIG_DIR}/conf.d/20-management_agent.disable_metrics_collector.conf`;

/**
 * Writable paths besides the data volume and /tmp: the Dockerfile makes /var/log/rabbitmq writable for the broker
 * (RABBITMQ_CONF logs to the console only, `log.file = false`; the emptyDir keeps a read-only root harmless if a
 * tool writes there). Checked: docker-library/rabbitmq @ 16db9e1 : 4.0/ubuntu/Dockerfile (mkdir/chown/chmod 1777 of
 * $RABBITMQ_DATA_DIR /etc/rabbitmq /etc/rabbitmq/conf.d /tmp/rabbitmq-ssl /var/log/rabbitmq); 4.0/ubuntu/
 * docker-entrypoint.sh writes no file.
 */
const LOG_DIR = '/var/log/rabbitmq';

const defaults = (_service: string, spec: ServiceSpec): ServiceSpec => ({
  image: PRESET_IMAGES.rabbitmq.main,
  kind: 'StatefulSet',
  ports: [
    { name: 'amqp', port: RABBITMQ_AMQP_PORT, appProtocol: 'tcp' },
    { name: 'metrics', port: RABBITMQ_PROMETHEUS_PORT, appProtocol: 'http' },
    { name: 'management', port: RABBITMQ_MANAGEMENT_PORT, appProtocol: 'http' },
  ],
  env: [{ name: 'RABBITMQ_NODENAME', value: RABBITMQ_NODENAME }, { name: 'HOME', value: RABBITMQ_DATA_DIR }, ...credentialEnv(CREDENTIALS, spec)],
  configFiles: [
    { path: `${RABBITMQ_CONFIG_DIR}/rabbitmq.conf`, content: RABBITMQ_CONF },
    { path: `${RABBITMQ_CONFIG_DIR}/enabled_plugins`, content: RABBITMQ_PLUGINS },
    { path: COLLECTOR_CONF_PATH, content: 'management_agent.disable_metrics_collector = false\n' },
  ],
  volumes: [dataVolume(RABBITMQ_DATA_DIR), { name: 'log', mountPath: LOG_DIR, emptyDir: { sizeLimit: '64Mi' } }],
  probes: {
    startup: { tcp: { port: 'amqp' }, periodSeconds: 5, failureThreshold: 60 },
    readiness: { exec: { command: [...RABBITMQ_READY_COMMAND] }, periodSeconds: 20, timeoutSeconds: 15 },
    liveness: { exec: { command: [...RABBITMQ_LIVE_COMMAND] }, periodSeconds: 30, timeoutSeconds: 15, failureThreshold: 6 },
  },
  resources: transcodingRabbitmq.defaults.resources,
  runAsUser: RABBITMQ_UID,
  replicas: 1,
  spread: 'required',
  // Let the node flush queue indices and close connections cleanly (consumers then reconnect and redeliver).
  terminationGracePeriodSeconds: 120,
  metrics: { port: 'metrics' },
});

export const rabbitmqPreset: Preset = {
  credentials: CREDENTIALS,
  defaults,
  sidecars: () => () => [],
  // The preset scrapes /metrics only: the per-queue `rabbitmq_detailed_*` families need /metrics/detailed.
  metrics: RABBITMQ_METRICS.filter((m) => !m.startsWith('rabbitmq_detailed_')),
};
