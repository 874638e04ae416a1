// ffmpeg workers: consume transcoding jobs from RabbitMQ and write renditions to object storage. The CPU flavour
// runs anywhere and prefers a cluster's spot pool; the GPU flavour only on clusters with the `gpu` capability, pinned
// to NVIDIA nodes. Both scale with KEDA on jobs per worker, CPU and (CPU workers) memory when the environment
// autoscales.
//
// What happens to a job when its worker goes away (README "Transcoding under load" has the table):
// - The worker takes one job at a time (PREFETCH_COUNT 1) and acknowledges it only when the renditions are uploaded,
//   so a worker that dies loses no job: the broker requeues an unacknowledged message when the connection closes.
// - It checkpoints finished segments to object storage every CHECKPOINT_INTERVAL_SECONDS; a redelivered job resumes
//   from its checkpoint, so an interruption costs at most one interval of encoding, not the whole job.
// - SIGTERM (scale-in, rollout, drain, spot notice) means: stop taking jobs, checkpoint now, finish the current job.
//   The kubelet sends it once; there is no preStop hook (a hook sending its own SIGTERM made a second signal that
//   workers read as "abort"). The grace period is the job timeout + 60 s, so every job finishes or times out before
//   SIGKILL; the autoscaler's scale-in therefore never kills a busy worker, it only stops it taking the next job.
// - A spot interruption gives ~2 minutes, less than a long job: the job resumes elsewhere from the checkpoint the
//   worker wrote on SIGTERM. JOB_MAX_ATTEMPTS bounds the retries, so a job that can never finish is failed, not
//   requeued forever.
// - Cluster Autoscaler and Karpenter do not remove a node under a worker (annotations below): their own drains cap
//   the grace period (Cluster Autoscaler: --max-graceful-termination-sec, 600 s by default).
// The worker image (ffmpeg-worker, ffmpeg-worker-cuda) implements this contract from the variables set here.
import type { Capability, Resources } from '../../inventory/schema.ts';
import type { TranscodingFleetSettings } from '../../inventory/stack-settings/transcoding.ts';
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
import { kedaHostConfigMap } from './queue-trigger.ts';
import type { ScalingPace } from '../scaling.ts';
import { METRICS_PORT, TRANSCODE_QUEUES } from './queues.ts';

const NAMESPACE = stackNamespace('transcoding');
/** Workers take jobs from RabbitMQ and write renditions to object storage; nothing else. */
const USES: readonly BackingService[] = ['objectStorage', 'rabbitmq'];
const SCRATCH_SIZE = '20Gi';

export const DEFAULT_GPU_NODE_SELECTOR: Readonly<Record<string, string>> = { 'nvidia.com/gpu.present': 'true' };
export const DEFAULT_GPU_TOLERATIONS: readonly Toleration[] = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

/** Worker flavours: the keys of fleet.yaml `transcoding.maxJobSeconds`. */
export type WorkerKind = 'cpu' | 'gpu';

/** Longest job per flavour unless fleet.yaml says otherwise: a feature-length 4K source on CPU, a GPU one in an hour. */
export const DEFAULT_MAX_JOB_SECONDS: Readonly<Record<WorkerKind, number>> = { cpu: 14400, gpu: 3600 };
/** Time after the job timeout for the last upload and the acknowledgement before the kubelet's SIGKILL. */
export const SHUTDOWN_MARGIN_SECONDS = 60;
/** Encoding lost at most on an interruption (spot, OOM, node failure). */
export const CHECKPOINT_INTERVAL_SECONDS = 60;
/** Deliveries of one job before the worker fails it instead of retrying. */
export const JOB_MAX_ATTEMPTS = 5;

export const maxJobSeconds = (settings: TranscodingFleetSettings | undefined, kind: WorkerKind): number =>
  settings?.maxJobSeconds?.[kind] ?? DEFAULT_MAX_JOB_SECONDS[kind];

/** Pod annotations keeping node autoscalers from draining a worker's node (their drains cap the grace period). */
export const NODE_AUTOSCALER_ANNOTATIONS: Readonly<Record<string, string>> = {
  // Checked: kubernetes/autoscaler : cluster-autoscaler/utils/drain/drain.go (PodSafeToEvictKey; "false" blocks scale-down of the node).
  'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
  // Checked: kubernetes-sigs/karpenter : pkg/apis/v1/labels.go (DoNotDisruptAnnotationKey = karpenter.sh/do-not-disrupt).
  'karpenter.sh/do-not-disrupt': 'true',
};

interface WorkerFlavour {
  readonly name: string;
  readonly kind: WorkerKind;
  readonly image: string;
  readonly queue: string;
  readonly requires: readonly Capability[];
  readonly resources: Resources;
  readonly extendedResources?: Readonly<Record<string, string>>;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  /** Flavour-specific environment (the GPU's driver capabilities). */
  readonly env?: Readonly<Record<string, string>>;
  /** Jobs (waiting or running) per replica KEDA aims for unless the environment sets `targetQueueLength`. */
  readonly queueLength: number;
  /** Default autoscaling pace (the seed's numbers); environments may override it. */
  readonly pace: ScalingPace;
  readonly description: string;
  /** Cluster-specific scheduling (spot pool, GPU runtime class and node pools). */
  readonly scheduling: (ctx: ClusterContext) => JsonPatchOp[];
}

/** The variables of the worker contract above (config, not secrets): the same on every cluster. */
const contractConfig = (f: WorkerFlavour, ctx: BaseContext): Record<string, string> => {
  const timeout = maxJobSeconds(ctx.fleet.transcoding, f.kind);
  return {
    CHECKPOINT_INTERVAL_SECONDS: String(CHECKPOINT_INTERVAL_SECONDS),
    CHECKPOINT_PREFIX: `checkpoints/${f.name}/`,
    JOB_MAX_ATTEMPTS: String(JOB_MAX_ATTEMPTS),
    JOB_TIMEOUT_SECONDS: String(timeout),
    PREFETCH_COUNT: '1',
    SHUTDOWN_GRACE_SECONDS: String(timeout + SHUTDOWN_MARGIN_SECONDS),
    ...f.env,
  };
};

const worker = (f: WorkerFlavour): Component => {
  const endpoints: Readonly<Record<string, string>> = {
    ...endpointConfig(IN_CLUSTER_ENDPOINTS, USES),
    METRICS_PORT: String(METRICS_PORT),
    QUEUE: f.queue,
    SCRATCH_DIR: '/scratch',
  };
  const base = (ctx: BaseContext): K8sObject[] => {
    const config = { ...endpoints, ...contractConfig(f, ctx) };
    return [
      configMap({ name: `${f.name}-config`, namespace: NAMESPACE, stack: 'transcoding', app: f.name, data: { ...config } }),
      appCredentials(f.name, [CREDENTIALS.amqpPassword, CREDENTIALS.amqpUser, CREDENTIALS.s3AccessKey, CREDENTIALS.s3SecretKey]),
      deployment({
        name: f.name,
        namespace: NAMESPACE,
        stack: 'transcoding',
        uid: 10001,
        // The longest job plus the margin: whatever stops the worker, its current job finishes or times out first.
        terminationGracePeriodSeconds: Number(config.SHUTDOWN_GRACE_SECONDS),
        podAnnotations: { ...configDataChecksum(config), ...NODE_AUTOSCALER_ANNOTATIONS },
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
            // No preStop hook: the kubelet's single SIGTERM starts the shutdown described at the top of this file.
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
  };
  const clusterPatches = (ctx: ClusterContext): JsonPatch[] => {
    const scheduling = f.scheduling(ctx);
    return [
      ...endpointPatches({ cluster: ctx.cluster, uses: USES, configMap: `${f.name}-config`, deployment: f.name, baseData: { ...endpoints, ...contractConfig(f, ctx) } }),
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
        // Where KEDA reads this cluster's broker management API (queue-trigger.ts).
        kedaHostConfigMap(f.name, e),
      ];
    },
    clusterPatches,
    scalingPace: f.pace,
    scaler: (a) => queueScaler({ app: f.name, queue: f.queue, defaultQueueLength: f.queueLength, pace: f.pace }, a),
  };
};

const SPEC = '/spec/template/spec';

/** Preferred (not required) affinity to the spot pool: workers fall back to on-demand nodes when spot runs out. */
export const spotAffinity = (nodeLabels: Readonly<Record<string, string>>): Record<string, unknown> => ({
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        preference: {
          matchExpressions: Object.keys(nodeLabels)
            .sort()
            .map((key) => ({ key, operator: 'In', values: [nodeLabels[key]] })),
        },
      },
    ],
  },
});

// Seed sizes and paces. Seed: CPU workers 2-20 on CPU 75 %, memory 85 % and 10 jobs per worker; up 100 % every 60 s or
// 5 pods, down 1 pod every 120 s, 10-minute down stabilisation. ~5 Gi measured: the 6 Gi request keeps a busy
// worker under the 85 % memory target (utilisation is against the request), the 8 Gi limit above the peak.
export const transcodeWorkerCpu: Component = worker({
  name: 'transcode-worker-cpu',
  kind: 'cpu',
  image: 'ffmpeg-worker',
  queue: TRANSCODE_QUEUES.cpu,
  requires: [],
  resources: {
    requests: { cpu: '2', memory: '6Gi', 'ephemeral-storage': '10Gi' },
    limits: { memory: '8Gi', 'ephemeral-storage': '25Gi' },
  },
  queueLength: 10,
  pace: {
    scaleUp: {
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 60 },
        { type: 'Pods', value: 5, periodSeconds: 60 },
      ],
    },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    scaleUpStabilizationSeconds: 0,
    scaleDownStabilizationSeconds: 600,
  },
  description: 'ffmpeg CPU transcoding worker',
  scheduling: ({ cluster }) => {
    const spot = cluster.transcoding?.spot;
    if (spot === undefined) return [];
    return [
      { op: 'add', path: `${SPEC}/affinity`, value: spotAffinity(spot.nodeLabels) },
      ...(spot.tolerations && spot.tolerations.length > 0 ? [{ op: 'add' as const, path: `${SPEC}/tolerations`, value: spot.tolerations }] : []),
    ];
  },
});

/**
 * NVENC/NVDEC need the driver's `video` capability; the container toolkit mounts only `utility,compute` by default.
 * Checked: NVIDIA/nvidia-container-toolkit @ v1.20.0 : internal/config/image/capabilities.go
 * (DefaultDriverCapabilities "utility,compute"; DriverCapabilityVideo "video").
 */
export const GPU_DRIVER_CAPABILITIES = 'compute,utility,video';

// Seed: GPU workers request 4 CPU / 8 Gi, limits 8 CPU / 16 Gi (~10 Gi measured); 1-5 on CPU 80 % and 5 high-priority
// jobs per worker; up 1 pod every 120 s, down 1 pod every 300 s, 1-minute up and 15-minute down stabilisation.
export const transcodeWorkerGpu: Component = worker({
  name: 'transcode-worker-gpu',
  kind: 'gpu',
  image: 'ffmpeg-worker-cuda',
  queue: TRANSCODE_QUEUES.gpu,
  requires: ['gpu'],
  resources: {
    requests: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '10Gi' },
    limits: { cpu: '8', memory: '16Gi', 'ephemeral-storage': '25Gi' },
  },
  extendedResources: { 'nvidia.com/gpu': '1' },
  nodeSelector: DEFAULT_GPU_NODE_SELECTOR,
  tolerations: DEFAULT_GPU_TOLERATIONS,
  env: { NVIDIA_DRIVER_CAPABILITIES: GPU_DRIVER_CAPABILITIES },
  queueLength: 5,
  pace: {
    scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
    scaleUpStabilizationSeconds: 60,
    scaleDownStabilizationSeconds: 900,
  },
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
