// ffmpeg workers: consume transcoding jobs from RabbitMQ. The CPU flavour runs anywhere; the GPU flavour
// only on clusters with the `gpu` capability, pinned to NVIDIA nodes with requests equal to limits.
import type { Capability, Resources } from '../../inventory/schema.ts';
import type { BaseContext, Component, K8sObject } from '../component.ts';
import { configMap, deployment, emptyDir, podDisruptionBudget, restrictedContainer, toK8sResources } from '../builders.ts';
import { podMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { METRICS_PORT, RABBITMQ_PORT, TRANSCODE_QUEUES } from './queues.ts';

const NAMESPACE = stackNamespace('transcoding');

interface WorkerFlavour {
  readonly name: string;
  readonly image: string;
  readonly queue: string;
  readonly requires: readonly Capability[];
  readonly resources: Resources;
  readonly extendedResources?: Readonly<Record<string, string>>;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: Array<{ key: string; operator: 'Exists'; effect: 'NoSchedule' }>;
  readonly description: string;
}

const worker = (f: WorkerFlavour): Component => {
  const base = (ctx: BaseContext): K8sObject[] => [
    configMap({
      name: `${f.name}-config`,
      namespace: NAMESPACE,
      stack: 'transcoding',
      app: f.name,
      data: { AMQP_PORT: String(RABBITMQ_PORT), METRICS_PORT: String(METRICS_PORT), QUEUE: f.queue },
    }),
    deployment({
      name: f.name,
      namespace: NAMESPACE,
      stack: 'transcoding',
      uid: 10001,
      // Long enough to finish the current segment or nack it back to the queue.
      terminationGracePeriodSeconds: 600,
      nodeSelector: f.nodeSelector,
      tolerations: f.tolerations,
      containers: [
        {
          name: 'worker',
          image: ctx.repository(f.image),
          envFrom: [{ configMapRef: { name: `${f.name}-config` } }],
          ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
          startupProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 5, failureThreshold: 60 },
          readinessProbe: { httpGet: { path: '/health/ready', port: 'metrics' }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 20, failureThreshold: 6 },
          lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'kill -TERM 1; sleep 5'] } } },
          resources: toK8sResources(f.resources, f.extendedResources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'scratch', mountPath: '/scratch' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [emptyDir('scratch', '20Gi'), emptyDir('tmp', '256Mi')],
    }),
    podDisruptionBudget({ app: f.name, namespace: NAMESPACE, stack: 'transcoding' }),
    // Workers have no Service: Prometheus scrapes the pods' metrics port directly.
    podMonitor({ app: f.name, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' }),
    allowIngress({
      app: f.name,
      namespace: NAMESPACE,
      rules: [{ from: [fromNamespace(MONITORING_NAMESPACE)], ports: [METRICS_PORT] }],
    }),
    allowEgress({ app: f.name, namespace: NAMESPACE, rules: [{ to: [fromApp('rabbitmq')], ports: [RABBITMQ_PORT] }] }),
  ];
  return {
    name: f.name,
    stack: 'transcoding',
    description: f.description,
    requires: f.requires,
    images: [{ image: f.image, via: 'transformer' }],
    workload: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: f.name,
      resourcesPath: '/spec/template/spec/containers/0/resources',
      replicasVia: 'transformer',
    },
    defaults: { replicas: 1, resources: f.resources },
    extendedResources: f.extendedResources,
    base,
  };
};

export const transcodeWorkerCpu: Component = worker({
  name: 'transcode-worker-cpu',
  image: 'ffmpeg-worker',
  queue: TRANSCODE_QUEUES.cpu,
  requires: [],
  resources: {
    requests: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '10Gi' },
    limits: { memory: '4Gi', 'ephemeral-storage': '25Gi' },
  },
  description: 'ffmpeg CPU transcoding worker',
});

export const transcodeWorkerGpu: Component = worker({
  name: 'transcode-worker-gpu',
  image: 'ffmpeg-worker-cuda',
  queue: TRANSCODE_QUEUES.gpu,
  requires: ['gpu'],
  resources: {
    requests: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' },
    limits: { memory: '8Gi', 'ephemeral-storage': '25Gi' },
  },
  extendedResources: { 'nvidia.com/gpu': '1' },
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  description: 'ffmpeg NVENC transcoding worker (GPU clusters only)',
});
