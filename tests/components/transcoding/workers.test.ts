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
    ['transcode-worker-cpu', 'staging-eu-west-1'],
    ['transcode-worker-cpu', 'prod-eu-west-1'],
    ['transcode-worker-cpu', 'prod-us-east-1'],
    ['transcode-worker-gpu', 'prod-gpu-us-east-1'],
  ])('%s on %s: ScaledObject queue = the queue the worker consumes', (worker, cluster) => {
    const scaled = fleet.find(cluster, 'transcoding', 'ScaledObject', worker);
    const config = fleet.find(cluster, 'transcoding', 'ConfigMap', `${worker}-config`);
    const pod = podSpecOf(fleet.find(cluster, 'transcoding', 'Deployment', worker));
    expect(pod.containers[0]!.envFrom).toContainEqual({ configMapRef: { name: `${worker}-config` } });
    const triggers = (spec(scaled).triggers as Loose[]).filter((t) => t.type === 'rabbitmq');
    expect(triggers).toHaveLength(1);
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
    const queue = (s.triggers as Loose[]).find((t) => t.type === 'rabbitmq')!;
    expect([s.minReplicaCount, s.maxReplicaCount, queue.metadata.value]).toEqual([min, max, value]);
  });

  it.each(['prod-us-east-1', 'staging-eu-west-1'])('%s: KEDA reads the management URL from the cluster\'s ConfigMap and the user from an ExternalSecret-managed Secret', (cluster) => {
    const auth = spec(fleet.find(cluster, 'transcoding', 'TriggerAuthentication', 'transcode-worker-cpu'));
    const trigger = (spec(fleet.find(cluster, 'transcoding', 'ScaledObject', 'transcode-worker-cpu')).triggers as Loose[]).find((t) => t.type === 'rabbitmq')!;
    expect(trigger.authenticationRef).toEqual({ name: 'transcode-worker-cpu' });
    // Every referenced Secret key exists in the ExternalSecret's target, every ConfigMap key in the ConfigMap.
    for (const ref of auth.secretTargetRef as Loose[]) {
      const es = spec(fleet.find(cluster, 'transcoding', 'ExternalSecret', ref.name));
      expect(es.target.name).toBe(ref.name);
      expect((es.data as Loose[]).map((d) => d.secretKey)).toContain(ref.key);
    }
    expect((auth.secretTargetRef as Loose[]).map((r) => r.parameter).sort()).toEqual(['password', 'username']);
    const host = (auth.configMapTargetRef as Loose[])[0]!;
    expect(host).toMatchObject({ parameter: 'host' });
    const url = fleet.find(cluster, 'transcoding', 'ConfigMap', host.name).data![host.key];
    // The same broker the worker consumes from: managed in prod, in-cluster in staging.
    const amqpHost = fleet.find(cluster, 'transcoding', 'ConfigMap', 'transcode-worker-cpu-config').data!.AMQP_HOST;
    expect(new URL(url!).hostname).toBe(amqpHost);
  });

  // The pace and ranges of each component: under-load.test.ts.
  it('prod API: HPA v2 on CPU 70 % and memory 80 %', () => {
    const hpa = fleet.find('prod-eu-west-1', 'transcoding', 'HorizontalPodAutoscaler', 'transcode-api');
    const s = spec(hpa);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    const targets = Object.fromEntries((s.metrics as Loose[]).map((m) => [m.resource.name, m.resource.target.averageUtilization]));
    expect(targets).toEqual({ cpu: 70, memory: 80 });
  });

  it.each(['transcode-api', 'transcode-worker-cpu'])('%s: hardened, probed, graceful, with sized scratch and telemetry', (app) => {
    const d = fleet.find('dev-k3d', 'transcoding', 'Deployment', app);
    const pod = podSpecOf(d);
    const c = pod.containers[0] as Loose;
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(c.readinessProbe && c.livenessProbe && c.startupProbe).toBeTruthy();
    // The API waits for endpoints to drop it; the worker has no hook (its shutdown: under-load.test.ts).
    if (app === 'transcode-api') expect(c.lifecycle.preStop).toBeDefined();
    expect((pod.volumes as Loose[]).every((v) => v.emptyDir === undefined || v.emptyDir.sizeLimit !== undefined)).toBe(true);
    expect((c.env as Loose[]).map((e) => e.name)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    if (app === 'transcode-api') return;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(3600);
    // The scratch volume counts against ephemeral storage: the limit must leave room for it.
    expect(c.resources.limits['ephemeral-storage']).toBeDefined();
  });
});
