// Transcoding workers and API on the shipped fleet, after real Kustomize: GPU placement, queue-depth autoscaling
// (KEDA) wired to the queues the workers consume, and the API's HPA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podSpecOf, renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Loose = Record<string, any>;
const spec = (o: BuiltObject): Loose => o.spec as Loose;

const TRANSCODING_CLUSTERS = ['dev-k3d', 'staging-eu-west-1', 'prod-eu-west-1', 'prod-us-east-1', 'prod-gpu-us-east-1'];

describe('transcoding workers', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds();
  });
  afterAll(async () => fleet.dispose());

  it.each(TRANSCODING_CLUSTERS)('GPU workers only on GPU clusters: %s', (cluster) => {
    const gpu = fleet.objects(cluster, 'transcoding').filter((o) => o.metadata.name === 'transcode-worker-gpu');
    expect(gpu.length > 0).toBe(cluster === 'prod-gpu-us-east-1');
    for (const o of fleet.objects(cluster, 'transcoding')) {
      if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') continue;
      const uses = podSpecOf(o).containers.some((c) => JSON.stringify(c.resources ?? {}).includes('nvidia.com/gpu'));
      expect(uses, `${cluster} ${o.kind}/${o.metadata.name}`).toBe(o.metadata.name === 'transcode-worker-gpu');
    }
  });

  it('GPU workers request GPUs equal to limits, with node selector, tolerations and runtime class', () => {
    const pod = podSpecOf(fleet.find('prod-gpu-us-east-1', 'transcoding', 'Deployment', 'transcode-worker-gpu'));
    const resources = pod.containers[0]!.resources as Loose;
    expect(resources.requests['nvidia.com/gpu']).toBe('1');
    expect(resources.limits['nvidia.com/gpu']).toBe(resources.requests['nvidia.com/gpu']);
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(pod.runtimeClassName).toBe('nvidia');
  });

  it.each([
    ['dev-k3d', false],
    ['staging-eu-west-1', true],
    ['prod-eu-west-1', true],
    ['prod-us-east-1', true],
  ])('CPU workers tolerate spot nodes where the inventory says so: %s', (cluster, spot) => {
    const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'Deployment', 'transcode-worker-cpu'));
    const tolerations = (pod.tolerations ?? []) as Loose[];
    expect(tolerations.some((t) => t.key === 'acme-media.net/spot')).toBe(spot);
  });

  it.each([
    ['transcode-worker-cpu', 'staging-eu-west-1'],
    ['transcode-worker-cpu', 'prod-eu-west-1'],
    ['transcode-worker-cpu', 'prod-us-east-1'],
    ['transcode-worker-gpu', 'prod-gpu-us-east-1'],
  ])('%s on %s: ScaledObject queue = the queue the worker consumes', (worker, cluster) => {
    const scaled = fleet.find(cluster, 'transcoding', 'ScaledObject', worker);
    const config = fleet.find(cluster, 'transcoding', 'ConfigMap', `${worker}-config`);
    const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'Deployment', worker));
    expect(pod.containers[0]!.envFrom).toContainEqual({ configMapRef: { name: `${worker}-config` } });
    const triggers = spec(scaled).triggers as Loose[];
    expect(triggers).toHaveLength(1);
    expect(triggers[0]!.type).toBe('rabbitmq');
    expect(triggers[0]!.metadata.queueName).toBe(config.data?.QUEUE);
    expect(triggers[0]!.metadata.mode).toBe('QueueLength');
    expect(spec(scaled).scaleTargetRef).toMatchObject({ kind: 'Deployment', name: worker });
    // The overlay must not fight KEDA over the replica count.
    expect(fleet.find(cluster, 'transcoding', 'Deployment', worker).spec?.replicas).toBeUndefined();
  });

  it('the API publishes to the queues the workers consume', () => {
    const api = fleet.find('prod-gpu-us-east-1', 'transcoding', 'ConfigMap', 'transcode-api-config').data!;
    const cpu = fleet.find('prod-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config').data!;
    const gpu = fleet.find('prod-gpu-us-east-1', 'transcoding', 'ConfigMap', 'transcode-worker-gpu-config').data!;
    expect([api.QUEUE_CPU, api.QUEUE_GPU]).toEqual([cpu.QUEUE, gpu.QUEUE]);
    // Both us-east-1 clusters share one broker, so the GPU farm consumes what the API there publishes.
    expect(gpu.AMQP_HOST).toBe(cpu.AMQP_HOST);
  });

  it.each([
    ['prod-us-east-1', 'transcode-worker-cpu', 2, 20, '10'],
    ['staging-eu-west-1', 'transcode-worker-cpu', 2, 20, '10'],
    ['prod-gpu-us-east-1', 'transcode-worker-gpu', 1, 5, '5'],
  ])('%s %s scales %i-%i at %s jobs per worker', (cluster, worker, min, max, value) => {
    const s = spec(fleet.find(cluster, 'transcoding', 'ScaledObject', worker));
    expect([s.minReplicaCount, s.maxReplicaCount, s.triggers[0].metadata.value]).toEqual([min, max, value]);
    expect(s.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it('KEDA authenticates with the broker URL from an ExternalSecret-managed Secret', () => {
    const auth = spec(fleet.find('prod-us-east-1', 'transcoding', 'TriggerAuthentication', 'transcode-worker-cpu'));
    const trigger = spec(fleet.find('prod-us-east-1', 'transcoding', 'ScaledObject', 'transcode-worker-cpu')).triggers[0];
    expect(trigger.authenticationRef).toEqual({ name: 'transcode-worker-cpu' });
    const [ref] = auth.secretTargetRef as Loose[];
    expect(ref).toMatchObject({ parameter: 'host' });
    const es = spec(fleet.find('prod-us-east-1', 'transcoding', 'ExternalSecret', ref!.name));
    expect(es.target.name).toBe(ref!.name);
    expect((es.data as Loose[]).map((d) => d.secretKey)).toContain(ref!.key);
  });

  it('prod API: HPA v2 on CPU 70 % and memory 80 %, at least 3 replicas, fast up and slow down', () => {
    const hpa = fleet.find('prod-eu-west-1', 'transcoding', 'HorizontalPodAutoscaler', 'transcode-api');
    const s = spec(hpa);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(s.minReplicas).toBe(3);
    const targets = Object.fromEntries((s.metrics as Loose[]).map((m) => [m.resource.name, m.resource.target.averageUtilization]));
    expect(targets).toEqual({ cpu: 70, memory: 80 });
    expect(s.behavior.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 30 },
      { type: 'Pods', value: 4, periodSeconds: 30 },
    ]);
    expect(s.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it.each(['transcode-api', 'transcode-worker-cpu'])('%s: hardened, probed, graceful, with sized scratch and telemetry', (app) => {
    const d = fleet.find('dev-k3d', 'transcoding', 'Deployment', app);
    const pod = podSpecOf(d);
    const c = pod.containers[0] as Loose;
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.readinessProbe && c.livenessProbe && c.startupProbe).toBeTruthy();
    expect(c.lifecycle.preStop).toBeDefined();
    expect((pod.volumes as Loose[]).every((v) => v.emptyDir === undefined || v.emptyDir.sizeLimit !== undefined)).toBe(true);
    expect((c.env as Loose[]).map((e) => e.name)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    if (app === 'transcode-api') return;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(600);
    // The scratch volume counts against ephemeral storage: the limit must leave room for it.
    expect(c.resources.limits['ephemeral-storage']).toBeDefined();
  });
});
