// ffmpeg workers: consume transcoding jobs from RabbitMQ and write renditions to object storage. The CPU flavour
// runs anywhere (and may use spot nodes); the GPU flavour only on clusters with the `gpu` capability, pinned to
// NVIDIA nodes with requests equal to limits. Both scale on queue depth with KEDA when the environment autoscales.
import type { Capability, Resources } from '../../inventory/schema.ts';
import type { Toleration } from '../../inventory/stack-settings/transcoding.ts';
import type { BaseContext, ClusterContext, Component, JsonPatch, JsonPatchOp, K8sObject } from '../component.ts';
import { configMap, deployment, emptyDir, podDisruptionBudget, restrictedContainer, toK8sResources } from '../builders.ts';
import { TRANSCODE_METRICS } from '../metrics.ts';
import { podMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromNamespace, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { otelEnv } from '../telemetry.ts';
import { appCredentials, CREDENTIALS, credentialsEnvFrom } from './credentials.ts';
import { configDataChecksum, endpointConfig, endpointPatches, endpointsFor, IN_CLUSTER_ENDPOINTS, type BackingService } from './endpoints.ts';
import { queueScaler } from './keda-scaler.ts';
import { METRICS_PORT, TRANSCODE_QUEUES } from './queues.ts';

const NAMESPACE = stackNamespace('transcoding');
/** Workers take jobs from RabbitMQ and write renditions to object storage; nothing else. */
const USES: readonly BackingService[] = ['objectStorage', 'rabbitmq'];
const SCRATCH_SIZE = '20Gi';

export const DEFAULT_GPU_NODE_SELECTOR: Readonly<Record<string, string>> = { 'nvidia.com/gpu.present': 'true' };
export const DEFAULT_GPU_TOLERATIONS: readonly Toleration[] = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

interface WorkerFlavour {
  readonly name: string;
  readonly image: string;
  readonly queue: string;
  readonly requires: readonly Capability[];
  readonly resources: Resources;
  readonly extendedResources?: Readonly<Record<string, string>>;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  /** Messages waiting per replica KEDA aims for unless the environment sets `targetQueueLength`. */
  readonly queueLength: number;
  readonly description: string;
  /** Cluster-specific scheduling (spot tolerations, GPU runtime class and node pools). */
  readonly scheduling: (ctx: ClusterContext) => JsonPatchOp[];
}

const worker = (f: WorkerFlavour): Component => {
  const config: Readonly<Record<string, string>> = {
    ...endpointConfig(IN_CLUSTER_ENDPOINTS, USES),
    METRICS_PORT: String(METRICS_PORT),
    QUEUE: f.queue,
    SCRATCH_DIR: '/scratch',
  };
  const base = (ctx: BaseContext): K8sObject[] => [
    configMap({ name: `${f.name}-config`, namespace: NAMESPACE, stack: 'transcoding', app: f.name, data: { ...config } }),
    appCredentials(f.name, [CREDENTIALS.amqpPassword, CREDENTIALS.amqpUser, CREDENTIALS.s3AccessKey, CREDENTIALS.s3SecretKey]),
    deployment({
      name: f.name,
      namespace: NAMESPACE,
      stack: 'transcoding',
      uid: 10001,
      // Long enough to finish the current segment or nack it back to the queue.
      terminationGracePeriodSeconds: 600,
      podAnnotations: configDataChecksum(config),
      nodeSelector: f.nodeSelector ? { ...f.nodeSelector } : undefined,
      tolerations: f.tolerations ? [...f.tolerations] : undefined,
      containers: [
        {
          name: 'worker',
          image: ctx.repository(f.image),
          env: otelEnv(f.name, 'transcoding'),
          envFrom: [{ configMapRef: { name: `${f.name}-config` } }, credentialsEnvFrom(f.name)],
          ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
          startupProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 5, failureThreshold: 60 },
          readinessProbe: { httpGet: { path: '/health/ready', port: 'metrics' }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 20, failureThreshold: 6 },
          // SIGTERM makes the worker stop taking jobs; the grace period lets it finish or requeue the current one.
          lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'kill -TERM 1; sleep 5'] } } },
          resources: toK8sResources(f.resources, f.extendedResources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'scratch', mountPath: '/scratch' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [emptyDir('scratch', SCRATCH_SIZE), emptyDir('tmp', '256Mi')],
    }),
    podDisruptionBudget({ app: f.name, namespace: NAMESPACE, stack: 'transcoding' }),
    // Workers have no Service: Prometheus scrapes the pods' metrics port directly.
    podMonitor({ app: f.name, namespace: NAMESPACE, stack: 'transcoding', port: 'metrics' }),
    allowIngress({
      app: f.name,
      namespace: NAMESPACE,
      rules: [{ from: [fromNamespace(MONITORING_NAMESPACE)], ports: [METRICS_PORT] }],
    }),
  ];
  const clusterPatches = (ctx: ClusterContext): JsonPatch[] => {
    const scheduling = f.scheduling(ctx);
    return [
      ...endpointPatches({ cluster: ctx.cluster, uses: USES, configMap: `${f.name}-config`, deployment: f.name, baseData: config }),
      ...(scheduling.length > 0 ? [{ target: { kind: 'Deployment', name: f.name }, ops: scheduling }] : []),
    ];
  };
  return {
    name: f.name,
    stack: 'transcoding',
    description: f.description,
    requires: f.requires,
    metrics: Object.values(TRANSCODE_METRICS),
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
    // Workers → RabbitMQ and object storage: in-cluster pods, or the managed services' address ranges.
    cluster: ({ cluster }) => {
      const e = endpointsFor(cluster);
      return [
        allowEgress({
          app: f.name,
          namespace: NAMESPACE,
          rules: [e.objectStorage, e.rabbitmq].map((x) => ({ to: x.peers, ports: [x.port] })),
        }),
      ];
    },
    clusterPatches,
    scaler: (a) => queueScaler({ app: f.name, queue: f.queue, defaultQueueLength: f.queueLength }, a),
  };
};

const SPEC = '/spec/template/spec';

export const transcodeWorkerCpu: Component = worker({
  name: 'transcode-worker-cpu',
  image: 'ffmpeg-worker',
  queue: TRANSCODE_QUEUES.cpu,
  requires: [],
  resources: {
    requests: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '10Gi' },
    limits: { memory: '4Gi', 'ephemeral-storage': '25Gi' },
  },
  queueLength: 10,
  description: 'ffmpeg CPU transcoding worker',
  // Spot nodes are fine: an evicted worker's unacked job goes back to the queue.
  scheduling: ({ cluster }) => {
    const spot = cluster.transcoding?.spotTolerations;
    return spot && spot.length > 0 ? [{ op: 'add', path: `${SPEC}/tolerations`, value: spot }] : [];
  },
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
  nodeSelector: DEFAULT_GPU_NODE_SELECTOR,
  tolerations: DEFAULT_GPU_TOLERATIONS,
  queueLength: 5,
  description: 'ffmpeg NVENC transcoding worker (GPU clusters only)',
  scheduling: ({ cluster }) => {
    const gpu = cluster.transcoding?.gpu;
    const ops: JsonPatchOp[] = [];
    if (gpu?.runtimeClassName !== undefined) ops.push({ op: 'add', path: `${SPEC}/runtimeClassName`, value: gpu.runtimeClassName });
    if (gpu?.nodeSelector !== undefined) ops.push({ op: 'replace', path: `${SPEC}/nodeSelector`, value: gpu.nodeSelector });
    if (gpu?.tolerations !== undefined) ops.push({ op: 'replace', path: `${SPEC}/tolerations`, value: gpu.tolerations });
    return ops;
  },
});
