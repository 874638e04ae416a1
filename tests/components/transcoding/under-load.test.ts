// Transcoding under real load, on rendered and Kustomize-built output: a busy worker is never killed by scale-in,
// rollouts or drains (grace = job timeout + margin, no second SIGTERM, node autoscalers kept off its node); spot is
// preferred, not required; GPU workers get NVENC/NVDEC; sizes clear the seed's measured peaks in every environment;
// each component scales with the seed's triggers and pace unless an environment overrides them; budgets are per
// environment and can never block a drain forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURED_PEAK_MEMORY, MEMORY_HEADROOM } from '../../../scripts/components/transcoding/measured-usage.ts';
import { TRANSCODE_API_PACE } from '../../../scripts/components/transcoding/transcode-api.ts';
import {
  CHECKPOINT_INTERVAL_SECONDS,
  DEFAULT_MAX_JOB_SECONDS,
  GPU_DRIVER_CAPABILITIES,
  NODE_AUTOSCALER_ANNOTATIONS,
  SHUTDOWN_MARGIN_SECONDS,
} from '../../../scripts/components/transcoding/transcode-worker.ts';
import { catalogEntries } from '../../../scripts/components/catalog.ts';
import { parseQuantity } from '../../../scripts/inventory/quantity.ts';
import { retiredFieldReason } from '../../../scripts/inventory/retired-fields.ts';
import { CLUSTERS, PROD, defaultSources, edit, inventoryError, lineOf, replaceOnce, textOf } from '../../inventory/helpers.ts';
import { podSpecOf, renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;
const spec = (o: BuiltObject): Loose => o.spec as Loose;

/** Kubernetes quantity → nano units, the way the API server compares them (the inventory's own parser). */
const nanos = (q: string): bigint => {
  const n = parseQuantity(q);
  if (n === undefined) throw new Error(`unexpected quantity ${q}`);
  return n;
};

const WORKERS: ReadonlyArray<readonly [string, string, 'cpu' | 'gpu']> = [
  ['staging-eu-west-1', 'transcode-worker-cpu', 'cpu'],
  ['prod-eu-west-1', 'transcode-worker-cpu', 'cpu'],
  ['dev-k3d', 'transcode-worker-cpu', 'cpu'],
  ['prod-gpu-us-east-1', 'transcode-worker-gpu', 'gpu'],
];

describe('transcoding under load: the shipped fleet', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet?.dispose());

  it.each(WORKERS)('%s %s: one SIGTERM, a grace period covering the longest job, the shutdown contract in its config', (cluster, worker, kind) => {
    const d = fleet.find(cluster, 'transcoding', 'Deployment', worker);
    const pod = podSpecOf(d);
    const c = pod.containers[0] as Loose;
    // The old preStop sent its own SIGTERM before the kubelet's: a second signal a worker reads as "abort".
    expect(c.lifecycle?.preStop).toBeUndefined();
    const config = fleet.find(cluster, 'transcoding', 'ConfigMap', `${worker}-config`).data!;
    const timeout = DEFAULT_MAX_JOB_SECONDS[kind];
    expect(config.JOB_TIMEOUT_SECONDS).toBe(String(timeout));
    expect(pod.terminationGracePeriodSeconds).toBe(timeout + SHUTDOWN_MARGIN_SECONDS);
    expect(config.SHUTDOWN_GRACE_SECONDS).toBe(String(pod.terminationGracePeriodSeconds));
    // One job at a time: a stopping worker holds no waiting job hostage for its whole grace period.
    expect(config.PREFETCH_COUNT).toBe('1');
    expect(config.CHECKPOINT_INTERVAL_SECONDS).toBe(String(CHECKPOINT_INTERVAL_SECONDS));
    // A spot notice (~120 s) is shorter than a job: only a checkpoint well inside it makes the retry cheap.
    expect(CHECKPOINT_INTERVAL_SECONDS).toBeLessThan(120);
    expect(config.CHECKPOINT_PREFIX).toBe(`checkpoints/${worker}/`);
    expect(Number(config.JOB_MAX_ATTEMPTS)).toBeGreaterThan(1);
    // The config checksum in the pod template is the cluster's config (managed endpoints included).
    expect(d.spec!.template).toBeDefined();
    expect(((d.spec as Loose).template.metadata.annotations as Record<string, string>)).toMatchObject(NODE_AUTOSCALER_ANNOTATIONS);
  });

  it('the config checksum tracks the worker contract on clusters that patch the endpoints', () => {
    const dev = fleet.find('dev-k3d', 'transcoding', 'Deployment', 'transcode-worker-cpu');
    const prod = fleet.find('prod-eu-west-1', 'transcoding', 'Deployment', 'transcode-worker-cpu');
    const sum = (o: BuiltObject): string => (o.spec as Loose).template.metadata.annotations['streamfleet.io/config-checksum'];
    // prod-eu-west-1 uses managed services: its endpoints differ, so must its checksum.
    expect(sum(dev)).not.toBe(sum(prod));
  });

  it.each([
    ['dev-k3d', undefined],
    ['staging-eu-west-1', 'spot'],
    ['prod-eu-west-1', 'spot'],
    ['prod-us-east-1', 'spot'],
  ])('CPU workers on %s prefer the spot pool (never require it) and tolerate its taint', (cluster, capacity) => {
    const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'Deployment', 'transcode-worker-cpu'));
    const affinity = (pod.affinity as Loose | undefined)?.nodeAffinity;
    if (capacity === undefined) {
      expect(affinity).toBeUndefined();
      expect(pod.tolerations).toBeUndefined();
      return;
    }
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacity] }] } },
    ]);
    expect(pod.tolerations).toContainEqual({ key: 'acme-media.net/spot', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('GPU workers get the video driver capability, the seed size and no spot affinity', () => {
    const pod = podSpecOf(fleet.find('prod-gpu-us-east-1', 'transcoding', 'Deployment', 'transcode-worker-gpu'));
    const config = fleet.find('prod-gpu-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-gpu-config').data!;
    expect(config.NVIDIA_DRIVER_CAPABILITIES).toBe(GPU_DRIVER_CAPABILITIES);
    expect(GPU_DRIVER_CAPABILITIES.split(',')).toEqual(expect.arrayContaining(['video', 'compute', 'utility']));
    const r = (pod.containers[0] as Loose).resources;
    expect(r.requests).toMatchObject({ cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '1' });
    expect(r.limits).toMatchObject({ cpu: '8', memory: '16Gi', 'nvidia.com/gpu': '1' });
    expect(pod.affinity).toBeUndefined();
    // CPU workers do not get it: the toolkit's default (utility,compute) is what they need.
    const cpu = fleet.find('prod-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config').data!;
    expect(cpu.NVIDIA_DRIVER_CAPABILITIES).toBeUndefined();
  });

  // Not dev: dev.yaml sizes the k3d laptop cluster for short test clips, not the seed's real jobs (it says so).
  it.each([
    ['staging-eu-west-1', 'transcode-api'],
    ['prod-eu-west-1', 'transcode-api'],
    ['staging-eu-west-1', 'transcode-worker-cpu'],
    ['prod-us-east-1', 'transcode-worker-cpu'],
    ['prod-gpu-us-east-1', 'transcode-worker-gpu'],
  ])('%s %s: memory limit clears the seed\'s measured peak with headroom', (cluster, app) => {
    const c = podSpecOf(fleet.find(cluster, 'transcoding', 'Deployment', app)).containers[0] as Loose;
    const peak = Number(nanos(MEASURED_PEAK_MEMORY[app]!));
    expect(Number(nanos(c.resources.limits.memory))).toBeGreaterThanOrEqual(peak * MEMORY_HEADROOM);
    expect(nanos(c.resources.requests.memory)).toBeLessThanOrEqual(nanos(c.resources.limits.memory));
  });

  const behaviour = (o: BuiltObject): Loose =>
    o.kind === 'ScaledObject' ? spec(o).advanced.horizontalPodAutoscalerConfig.behavior : spec(o).behavior;

  it('prod API: the seed\'s 3-10 on CPU 70 % / memory 80 %, up 100 % or 4 pods per 30 s, down 50 % or 2 pods per 60 s after 5 min', () => {
    const hpa = fleet.find('prod-eu-west-1', 'transcoding', 'HorizontalPodAutoscaler', 'transcode-api');
    expect([spec(hpa).minReplicas, spec(hpa).maxReplicas]).toEqual([3, 10]);
    expect(behaviour(hpa)).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 30 },
          { type: 'Pods', value: 4, periodSeconds: 30 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 50, periodSeconds: 60 },
          { type: 'Pods', value: 2, periodSeconds: 60 },
        ],
      },
    });
    expect(TRANSCODE_API_PACE.scaleDownStabilizationSeconds).toBe(300);
  });

  const triggers = (o: BuiltObject): Record<string, Loose> => Object.fromEntries((spec(o).triggers as Loose[]).map((t) => [t.type, t]));

  it('prod CPU workers: 2-20 on 10 jobs per worker, CPU 75 %, memory 85 %; up 100 % or 5 pods per 60 s, down 1 pod per 120 s after 10 min', () => {
    const so = fleet.find('prod-us-east-1', 'transcoding', 'ScaledObject', 'transcode-worker-cpu');
    expect([spec(so).minReplicaCount, spec(so).maxReplicaCount]).toEqual([2, 20]);
    const t = triggers(so);
    expect(Object.keys(t).sort()).toEqual(['cpu', 'memory', 'rabbitmq']);
    expect(t.rabbitmq!.metadata).toMatchObject({ mode: 'QueueLength', value: '10' });
    expect(t.cpu).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: '75' } });
    expect(t.memory).toEqual({ type: 'memory', metricType: 'Utilization', metadata: { value: '85' } });
    expect(behaviour(so)).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 60 },
          { type: 'Pods', value: 5, periodSeconds: 60 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    });
  });

  it('prod GPU workers: 1-5 on 5 jobs per worker and CPU 80 %; up 1 pod per 120 s after 1 min, down 1 pod per 300 s after 15 min', () => {
    const so = fleet.find('prod-gpu-us-east-1', 'transcoding', 'ScaledObject', 'transcode-worker-gpu');
    expect([spec(so).minReplicaCount, spec(so).maxReplicaCount]).toEqual([1, 5]);
    const t = triggers(so);
    expect(Object.keys(t).sort()).toEqual(['cpu', 'rabbitmq']);
    expect(t.rabbitmq!.metadata).toMatchObject({ mode: 'QueueLength', value: '5' });
    expect(t.cpu!.metadata).toEqual({ value: '80' });
    expect(behaviour(so)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
      scaleDown: { stabilizationWindowSeconds: 900, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
    });
  });

  it.each([
    ['prod-eu-west-1', 'transcode-api', { minAvailable: 2 }],
    ['prod-us-east-1', 'transcode-worker-cpu', { maxUnavailable: '25%' }],
    ['prod-gpu-us-east-1', 'transcode-worker-gpu', { maxUnavailable: 1 }],
    ['staging-eu-west-1', 'transcode-api', { maxUnavailable: 1 }],
    ['dev-k3d', 'transcode-worker-cpu', { maxUnavailable: 1 }],
  ])('%s %s: PodDisruptionBudget %o', (cluster, app, budget) => {
    const pdb = spec(fleet.find(cluster, 'transcoding', 'PodDisruptionBudget', app));
    const { selector, ...counts } = pdb;
    expect(counts).toEqual(budget);
    expect(selector.matchLabels).toBeDefined();
  });
});

describe('transcoding under load: inventory overrides', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({
      edits: [
        { file: 'fleet.yaml', path: ['transcoding', 'maxJobSeconds'], value: { cpu: 28800 } },
        { file: 'environments/prod.yaml', path: ['apps', 'transcode-worker-cpu', 'autoscaling', 'scaleDownStabilizationSeconds'], value: 1200 },
        {
          file: 'environments/prod.yaml',
          path: ['apps', 'transcode-worker-cpu', 'autoscaling', 'scaleDown'],
          value: { policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }] },
        },
        { file: 'environments/staging.yaml', path: ['apps', 'transcode-api', 'disruptionBudget'], value: { maxUnavailable: '50%' } },
      ],
    });
  });
  afterAll(async () => fleet?.dispose());

  it('fleet.yaml maxJobSeconds sets the CPU workers\' job timeout and grace period, GPU keeps its default', () => {
    const cpu = podSpecOf(fleet.find('prod-us-east-1', 'transcoding', 'Deployment', 'transcode-worker-cpu'));
    expect(cpu.terminationGracePeriodSeconds).toBe(28800 + SHUTDOWN_MARGIN_SECONDS);
    expect(fleet.find('prod-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config').data!.JOB_TIMEOUT_SECONDS).toBe('28800');
    const gpu = podSpecOf(fleet.find('prod-gpu-us-east-1', 'transcoding', 'Deployment', 'transcode-worker-gpu'));
    expect(gpu.terminationGracePeriodSeconds).toBe(DEFAULT_MAX_JOB_SECONDS.gpu + SHUTDOWN_MARGIN_SECONDS);
  });

  it('an environment overrides the pace field by field; the rest stays the component\'s', () => {
    const b = spec(fleet.find('prod-us-east-1', 'transcoding', 'ScaledObject', 'transcode-worker-cpu')).advanced.horizontalPodAutoscalerConfig.behavior;
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 1200, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }] });
    expect(b.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 60 },
      { type: 'Pods', value: 5, periodSeconds: 60 },
    ]);
  });

  it('a staging budget reaches staging only', () => {
    expect(spec(fleet.find('staging-eu-west-1', 'transcoding', 'PodDisruptionBudget', 'transcode-api')).maxUnavailable).toBe('50%');
    expect(spec(fleet.find('dev-k3d', 'transcoding', 'PodDisruptionBudget', 'transcode-api')).maxUnavailable).toBe(1);
  });
});

describe('transcoding under load: inventory errors', () => {
  const PROD_API = '  transcode-api:\n    autoscaling:\n      minReplicas: 3\n';

  it.each([
    {
      name: 'minAvailable at the replica floor blocks every drain',
      from: '    disruptionBudget: {minAvailable: 2}',
      to: '    disruptionBudget: {minAvailable: 3}',
      field: 'apps.transcode-api.disruptionBudget.minAvailable',
      message: /expected minAvailable below the app's 3 replicas \(autoscaling\.minReplicas\), found 3/,
    },
    {
      name: 'minAvailable 100%',
      from: '    disruptionBudget: {minAvailable: 2}',
      to: '    disruptionBudget: {minAvailable: "100%"}',
      field: 'apps.transcode-api.disruptionBudget.minAvailable',
      message: /expected less than 100%/,
    },
    {
      name: 'maxUnavailable 0',
      from: '    disruptionBudget: {maxUnavailable: 1}',
      to: '    disruptionBudget: {maxUnavailable: 0}',
      field: 'apps.transcode-worker-gpu.disruptionBudget.maxUnavailable',
      message: /0 blocks every node drain/,
    },
    {
      name: 'both counts (the API rejects a budget with both)',
      from: '    disruptionBudget: {minAvailable: 2}',
      to: '    disruptionBudget: {minAvailable: 2, maxUnavailable: 1}',
      field: 'apps.transcode-api.disruptionBudget',
      message: /.+/,
    },
  ])('$name: an error at the field', async ({ from, to, field, message }) => {
    const sources = edit(PROD, replaceOnce(from, to))(await defaultSources());
    const issues = inventoryError(sources).issues.filter((i) => i.file === PROD);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.field).toBe(field);
    expect(issues[0]!.line).toBe(lineOf(textOf(sources, PROD), to.trim()));
    expect(issues[0]!.message).toMatch(message);
    expect(textOf(sources, PROD)).toContain(PROD_API);
  });

  it('scaleDown for the origin is an error: it paces its own scale-in by the drain time', async () => {
    const to = '      scaleDownStabilizationSeconds: 600\n      scaleDown: {policies: [{type: Pods, value: 3, periodSeconds: 60}]}';
    const sources = edit(PROD, replaceOnce('      scaleDownStabilizationSeconds: 600', to))(await defaultSources());
    // The real catalog: the origin's fixedScaleDown is what this checks.
    const issues = inventoryError(sources, catalogEntries()).issues.filter((i) => i.file === PROD);
    expect(issues.map((i) => [i.field, i.line])).toEqual([['apps.rtmp-origin.autoscaling.scaleDown', lineOf(textOf(sources, PROD), 'scaleDown: {policies')]]);
    expect(issues[0]!.message).toMatch(/sets its own scale-down pace \(the origin removes one replica per drain period/);
  });

  it('a scale policy period over Kubernetes\' 1800 s is a schema error', async () => {
    const to = '      scaleDownStabilizationSeconds: 600\n      scaleUp: {policies: [{type: Pods, value: 3, periodSeconds: 3600}]}';
    const sources = edit(PROD, replaceOnce('      scaleDownStabilizationSeconds: 600', to))(await defaultSources());
    const issues = inventoryError(sources).issues.filter((i) => i.file === PROD);
    expect(issues.map((i) => i.field)).toEqual(['apps.rtmp-origin.autoscaling.scaleUp.policies[0].periodSeconds']);
  });

  it('the retired spotTolerations says what replaced it', async () => {
    const from = '      spot:\n        nodeLabels: {karpenter.sh/capacity-type: spot}\n        tolerations:';
    const sources = edit(CLUSTERS, (t) => t.split(from).join('      spotTolerations:'))(await defaultSources());
    const issues = inventoryError(sources).issues.filter((i) => i.file === CLUSTERS);
    // All three spot clusters carry the old field: one error each, each at its own line.
    expect(issues).toHaveLength(3);
    expect(new Set(issues.map((i) => i.line)).size).toBe(3);
    expect(issues[0]!.field).toMatch(/^clusters\[\d+\]\.transcoding\.spotTolerations$/);
    expect(issues[0]!.message).toBe(`field "spotTolerations" ${retiredFieldReason(['clusters', 0, 'transcoding', 'spotTolerations'])}`);
    expect(issues[0]!.message).toContain('transcoding.spot');
  });
});
