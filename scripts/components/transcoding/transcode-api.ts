// Transcoding API: accepts jobs over HTTP and publishes them to RabbitMQ, CPU or GPU queue by profile.
import type { BaseContext, ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import {
  configMap,
  deployment,
  emptyDir,
  podDisruptionBudget,
  restrictedContainer,
  service,
  tlsIngress,
  toK8sResources,
} from '../builders.ts';
import { serviceMonitor } from '../monitors.ts';
import { HTTP_METRICS } from '../metrics.ts';
import { allowEgress, allowIngress, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { otelEnv } from '../telemetry.ts';
import { appCredentials, CREDENTIALS, credentialsEnvFrom } from './credentials.ts';
import { configDataChecksum, endpointConfig, endpointPatches, endpointsFor, IN_CLUSTER_ENDPOINTS, type BackingService } from './endpoints.ts';
import { METRICS_PORT, TRANSCODE_QUEUES } from './queues.ts';
import type { ScalingPace } from '../scaling.ts';

export const TRANSCODE_API = 'transcode-api';
const NAMESPACE = stackNamespace('transcoding');
const HTTP_PORT = 8080;
/** The API stores jobs in Postgres, progress in Redis, and publishes to RabbitMQ; it never touches the media. */
const USES: readonly BackingService[] = ['postgres', 'rabbitmq', 'redis'];

// ~800 Mi measured under load (measured-usage.ts): the 1 Gi request keeps a loaded API under the seed's 80 % memory
// target (utilisation is against the request), the 1.5 Gi limit above the peak.
const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '128Mi' }, limits: { memory: '1536Mi', 'ephemeral-storage': '512Mi' } },
};

/** Seed: up 100 % every 30 s or 4 pods, down 50 % every 60 s or 2 pods, 5-minute down stabilisation. */
export const TRANSCODE_API_PACE: ScalingPace = {
  scaleUp: {
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 30 },
      { type: 'Pods', value: 4, periodSeconds: 30 },
    ],
  },
  scaleDown: {
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 50, periodSeconds: 60 },
      { type: 'Pods', value: 2, periodSeconds: 60 },
    ],
  },
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 300,
};

const CONFIG: Readonly<Record<string, string>> = {
  ...endpointConfig(IN_CLUSTER_ENDPOINTS, USES),
  HTTP_PORT: String(HTTP_PORT),
  METRICS_PORT: String(METRICS_PORT),
  QUEUE_CPU: TRANSCODE_QUEUES.cpu,
  QUEUE_GPU: TRANSCODE_QUEUES.gpu,
};

const base = (ctx: BaseContext): K8sObject[] => [
  configMap({ name: `${TRANSCODE_API}-config`, namespace: NAMESPACE, stack: 'transcoding', app: TRANSCODE_API, data: { ...CONFIG } }),
  appCredentials(TRANSCODE_API, [
    CREDENTIALS.amqpPassword,
    CREDENTIALS.amqpUser,
    CREDENTIALS.postgresPassword,
    CREDENTIALS.postgresUser,
    CREDENTIALS.redisPassword,
  ]),
  deployment({
    name: TRANSCODE_API,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: 10001,
    terminationGracePeriodSeconds: 30,
    podAnnotations: configDataChecksum(CONFIG),
    containers: [
      {
        name: 'api',
        image: ctx.repository('transcode-api'),
        env: otelEnv(TRANSCODE_API, 'transcoding'),
        envFrom: [{ configMapRef: { name: `${TRANSCODE_API}-config` } }, credentialsEnvFrom(TRANSCODE_API)],
        ports: [
          { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
          { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
        ],
        startupProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [emptyDir('tmp', '256Mi')],
  }),
  service({
    name: TRANSCODE_API,
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: TRANSCODE_API,
    ports: [
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
    ],
  }),
  podDisruptionBudget({ app: TRANSCODE_API, namespace: NAMESPACE, stack: 'transcoding' }),
  serviceMonitor({ app: TRANSCODE_API, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' }),
  allowIngress({
    app: TRANSCODE_API,
    namespace: NAMESPACE,
    rules: [
      { from: [fromNamespace(INGRESS_NAMESPACE)], ports: [HTTP_PORT] },
      { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [METRICS_PORT] },
    ],
  }),
];

/** API → Postgres, Redis, RabbitMQ: in-cluster pods, or the managed services' address ranges. */
const apiEgress = (cluster: ClusterContext['cluster']): K8sObject => {
  const e = endpointsFor(cluster);
  return allowEgress({
    app: TRANSCODE_API,
    namespace: NAMESPACE,
    rules: [e.postgres, e.rabbitmq, e.redis].map((x) => ({ to: x.peers, ports: [x.port] })),
  });
};

export const transcodeApi: Component = {
  name: TRANSCODE_API,
  stack: 'transcoding',
  description: 'Transcoding job API (HTTP → RabbitMQ)',
  requires: [],
  metrics: [HTTP_METRICS.requests, HTTP_METRICS.duration],
  images: [{ image: 'transcode-api', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: TRANSCODE_API,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  scalingPace: TRANSCODE_API_PACE,
  base,
  clusterPatches: ({ cluster }: ClusterContext): JsonPatch[] =>
    endpointPatches({ cluster, uses: USES, configMap: `${TRANSCODE_API}-config`, deployment: TRANSCODE_API, baseData: CONFIG }),
  cluster: ({ cluster, environment }) => [
    apiEgress(cluster),
    tlsIngress({
      name: TRANSCODE_API,
      namespace: NAMESPACE,
      stack: 'transcoding',
      app: TRANSCODE_API,
      host: `transcode.${cluster.domain}`,
      clusterIssuer: environment.clusterIssuer,
      serviceName: TRANSCODE_API,
      servicePort: 'http',
      annotations: {
        'nginx.ingress.kubernetes.io/proxy-body-size': '10m',
        'nginx.ingress.kubernetes.io/limit-rps': '20',
        'nginx.ingress.kubernetes.io/limit-burst-multiplier': '3',
        'nginx.ingress.kubernetes.io/limit-connections': '50',
      },
    }),
  ],
};
