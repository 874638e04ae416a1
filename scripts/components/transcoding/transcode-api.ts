// Transcoding API: accepts jobs over HTTP and publishes them to RabbitMQ, CPU or GPU queue by profile.
import type { BaseContext, Component, K8sObject } from '../component.ts';
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
import { allowIngress, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { METRICS_PORT, RABBITMQ_HOST, RABBITMQ_PORT, TRANSCODE_QUEUES } from './queues.ts';

export const TRANSCODE_API = 'transcode-api';
const NAMESPACE = stackNamespace('transcoding');
const HTTP_PORT = 8080;

const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

const base = (ctx: BaseContext): K8sObject[] => [
  configMap({
    name: `${TRANSCODE_API}-config`,
    namespace: NAMESPACE,
    stack: 'transcoding',
    app: TRANSCODE_API,
    data: {
      AMQP_HOST: RABBITMQ_HOST,
      AMQP_PORT: String(RABBITMQ_PORT),
      HTTP_PORT: String(HTTP_PORT),
      METRICS_PORT: String(METRICS_PORT),
      QUEUE_CPU: TRANSCODE_QUEUES.cpu,
      QUEUE_GPU: TRANSCODE_QUEUES.gpu,
    },
  }),
  deployment({
    name: TRANSCODE_API,
    namespace: NAMESPACE,
    stack: 'transcoding',
    uid: 10001,
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: 'api',
        image: ctx.repository('transcode-api'),
        envFrom: [{ configMapRef: { name: `${TRANSCODE_API}-config` } }],
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

export const transcodeApi: Component = {
  name: TRANSCODE_API,
  stack: 'transcoding',
  description: 'Transcoding job API (HTTP → RabbitMQ)',
  requires: [],
  images: [{ image: 'transcode-api', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: TRANSCODE_API,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  cluster: ({ cluster, environment }) => [
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
      },
    }),
  ],
};
