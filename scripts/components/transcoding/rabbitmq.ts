// RabbitMQ: the job queues between the API and the workers, and what KEDA scales the workers on. A single node
// with a persistent volume (clustering needs peer discovery RBAC; prod uses a managed broker instead). The
// prometheus plugin serves metrics on 15692; the management plugin serves its HTTP API (and UI) on 15672 only
// because KEDA reads queue depths there (ready + unacked, see queue-trigger.ts): the NetworkPolicy admits the KEDA
// namespace alone to that port, and no Ingress or other Service exposes it.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { configChecksumAnnotation, configMap, emptyDir, podDisruptionBudget, restrictedContainer, service, toK8sResources } from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { headlessService, statefulSet, storageClassPatch } from '../stateful-set.ts';
import { stackNamespace } from '../stacks.ts';
import { appCredentials, CREDENTIALS, secretEnv } from './credentials.ts';
import { isExternal, RABBITMQ, RABBITMQ_MANAGEMENT_PORT } from './endpoints.ts';
import { RABBITMQ_PORT } from './queues.ts';
import { TRANSCODE_API } from './transcode-api.ts';

const NAMESPACE = stackNamespace('transcoding');
const PROMETHEUS_PORT = 15692;
const UID = 999;

// Shared with the rabbitmq preset of declared systems (services/presets/rabbitmq.ts).
/** The image's own user (image catalog: docker-library/rabbitmq 4.0/ubuntu/Dockerfile, uid 999). */
export const RABBITMQ_UID = UID;
/** rabbitmq_prometheus' listen port (`prometheus.tcp.port` in RABBITMQ_CONF). */
export const RABBITMQ_PROMETHEUS_PORT = PROMETHEUS_PORT;
/** Data directory, also HOME (the Erlang cookie lives there). */
export const RABBITMQ_DATA_DIR = '/var/lib/rabbitmq';
export const RABBITMQ_CONFIG_DIR = '/etc/rabbitmq';
/** A stable node name: the data directory is named after it. */
export const RABBITMQ_NODENAME = 'rabbit@localhost';
/** Readiness: the node accepts connections on its listeners; liveness: the node's runtime answers. */
export const RABBITMQ_READY_COMMAND = ['rabbitmq-diagnostics', '-q', 'check_port_connectivity'] as const;
export const RABBITMQ_LIVE_COMMAND = ['rabbitmq-diagnostics', '-q', 'ping'] as const;
/** Namespace of the KEDA operator, which reads queue depths from the management API (HTTP), not over AMQP. */
export const KEDA_NAMESPACE = 'keda';
/** Apps consuming queues; the NetworkPolicy admits exactly these. */
export const QUEUE_CONSUMERS = ['transcode-worker-cpu', 'transcode-worker-gpu'] as const;

/** rabbitmq_prometheus names: aggregated on /metrics, per queue (`queue` label) on /metrics/detailed. */
export const RABBITMQ_METRICS = [
  'rabbitmq_queue_messages_ready',
  'rabbitmq_queue_messages_unacked',
  'rabbitmq_queue_consumers',
  'rabbitmq_detailed_queue_messages_ready',
  'rabbitmq_detailed_queue_messages_unacked',
  'rabbitmq_detailed_queue_consumers',
] as const;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '250m', memory: '512Mi', 'ephemeral-storage': '256Mi' }, limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' } },
};

/** rabbitmq.conf, shared with the rabbitmq preset. */
export const RABBITMQ_CONF = [
  `listeners.tcp.default = ${RABBITMQ_PORT}`,
  `prometheus.tcp.port = ${PROMETHEUS_PORT}`,
  // Checked: rabbitmq/rabbitmq-server @ v4.0.5 : deps/rabbitmq_management/priv/schema/rabbitmq_management.schema.
  `management.tcp.port = ${RABBITMQ_MANAGEMENT_PORT}`,
  // The image disables the collector in /etc/rabbitmq/conf.d (hidden by our mount, but explicit here): without it
  // GET /api/queues/<vhost>/<name> returns no message counts and KEDA would read 0. Checked: docker-library/rabbitmq
  // 4.0/ubuntu/20-management_agent.disable_metrics_collector.conf (16db9e1, "Update 4.0 to 4.0.5"); rabbitmq/
  // rabbitmq-server @ v4.0.5 : deps/rabbitmq_management/src/rabbit_mgmt_util.erl disable_stats/1,
  // deps/rabbitmq_management_agent/priv/schema/rabbitmq_management_agent.schema.
  'management_agent.disable_metrics_collector = false',
  // Block publishers before the kernel OOM-kills the node. RabbitMQ sizes this from the cgroup memory limit,
  // so an environment that raises the limit raises the watermark with it (no hard-coded total here).
  'vm_memory_high_watermark.relative = 0.6',
  'disk_free_limit.absolute = 1GB',
  'log.console = true',
  'log.file = false',
  '',
].join('\n');
// The plain image ships every tier-1 plugin; its -management variant only enables this one on top of it.
// Checked: docker-library/rabbitmq @ 16db9e1 (Update 4.0 to 4.0.5) : 4.0/ubuntu/Dockerfile (generic-unix tarball,
// enables rabbitmq_prometheus), 4.0/ubuntu/management/Dockerfile (`FROM rabbitmq:4.0`, enable rabbitmq_management).
export const RABBITMQ_PLUGINS = '[rabbitmq_management,rabbitmq_prometheus].\n';

type Endpoint = NonNullable<NonNullable<IServiceMonitor['spec']>['endpoints']>[number];

const monitor = (): K8sObject => {
  const m = serviceMonitor({ app: RABBITMQ, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' });
  const endpoints: Endpoint[] = [
    { port: 'metrics' },
    // Per-queue depth for the queue dashboards and alerts (the aggregated endpoint has no queue label).
    { port: 'metrics', path: '/metrics/detailed', params: { family: ['queue_coarse_metrics', 'queue_consumer_count'] } },
  ];
  return { ...m, spec: { ...m.spec, endpoints } } as K8sObject;
};

const base = (ctx: BaseContext): K8sObject[] => [
  appCredentials(RABBITMQ, [CREDENTIALS.amqpUser, CREDENTIALS.amqpPassword]),
  configMap({ name: `${RABBITMQ}-config`, namespace: NAMESPACE, stack: 'transcoding', app: RABBITMQ, data: { enabled_plugins: RABBITMQ_PLUGINS, 'rabbitmq.conf': RABBITMQ_CONF } }),
  statefulSet({
    name: RABBITMQ,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: UID,
    // Let the node flush queue indices and close connections cleanly (consumers then reconnect and redeliver).
    terminationGracePeriodSeconds: 120,
    podAnnotations: configChecksumAnnotation(RABBITMQ_CONF, RABBITMQ_PLUGINS),
    claims: [{ name: 'data', size: '10Gi' }],
    containers: [
      {
        name: 'rabbitmq',
        image: ctx.repository('rabbitmq'),
        env: [
          { name: 'RABBITMQ_NODENAME', value: RABBITMQ_NODENAME },
          { name: 'HOME', value: RABBITMQ_DATA_DIR },
          secretEnv(RABBITMQ, 'RABBITMQ_DEFAULT_USER', CREDENTIALS.amqpUser),
          secretEnv(RABBITMQ, 'RABBITMQ_DEFAULT_PASS', CREDENTIALS.amqpPassword),
        ],
        ports: [
          { name: 'amqp', containerPort: RABBITMQ_PORT, protocol: 'TCP' },
          { name: 'metrics', containerPort: PROMETHEUS_PORT, protocol: 'TCP' },
          { name: 'management', containerPort: RABBITMQ_MANAGEMENT_PORT, protocol: 'TCP' },
        ],
        startupProbe: { tcpSocket: { port: 'amqp' }, periodSeconds: 5, failureThreshold: 60 },
        readinessProbe: { exec: { command: [...RABBITMQ_READY_COMMAND] }, periodSeconds: 20, timeoutSeconds: 15 },
        livenessProbe: { exec: { command: [...RABBITMQ_LIVE_COMMAND] }, periodSeconds: 30, timeoutSeconds: 15, failureThreshold: 6 },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'data', mountPath: RABBITMQ_DATA_DIR },
          { name: 'config', mountPath: RABBITMQ_CONFIG_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [{ name: 'config', configMap: { name: `${RABBITMQ}-config` } }, emptyDir('tmp', '64Mi')],
  }),
  headlessService({
    app: RABBITMQ,
    namespace: NAMESPACE,
    stack: 'transcoding',
    ports: [{ name: 'amqp', port: RABBITMQ_PORT, targetPort: 'amqp', protocol: 'TCP' }],
  }),
  service({
    name: RABBITMQ,
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: RABBITMQ,
    ports: [
      { name: 'amqp', port: RABBITMQ_PORT, targetPort: 'amqp', protocol: 'TCP' },
      { name: 'metrics', port: PROMETHEUS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      // KEDA's queue-depth reads (endpointsFor: http://rabbitmq.transcoding.svc.cluster.local:15672).
      { name: 'management', port: RABBITMQ_MANAGEMENT_PORT, targetPort: 'management', protocol: 'TCP' },
    ],
  }),
  podDisruptionBudget({ app: RABBITMQ, namespace: NAMESPACE, stack: 'transcoding' }),
  monitor(),
  allowIngress({
    app: RABBITMQ,
    namespace: NAMESPACE,
    rules: [
      { from: [fromApp(TRANSCODE_API), ...QUEUE_CONSUMERS.map((w) => fromApp(w))], ports: [RABBITMQ_PORT] },
      // The management API (and UI) for KEDA only; it authenticates as the broker user (administrator tag).
      { from: [fromNamespace(KEDA_NAMESPACE)], ports: [RABBITMQ_MANAGEMENT_PORT] },
      { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [PROMETHEUS_PORT] },
    ],
  }),
];

export const rabbitmq: Component = {
  name: RABBITMQ,
  stack: 'transcoding',
  description: 'RabbitMQ job queues (single node, unless managed)',
  requires: [],
  enabled: (ctx) => !isExternal(ctx.cluster, 'rabbitmq'),
  metrics: RABBITMQ_METRICS,
  images: [{ image: 'rabbitmq', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: RABBITMQ,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  clusterPatches: (ctx: ClusterContext): JsonPatch[] => [storageClassPatch(RABBITMQ, 1, ctx.cluster.storageClass)],
};
