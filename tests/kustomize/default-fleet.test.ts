// The validation baseline: generate the default fleet and build every clusters/<cluster>/<stack> with the
// real Kustomize (standalone `kustomize` when present, else `kubectl kustomize`); every build must succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../scripts/cli/gen.ts';
import { buildMany, type BuildResult } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { findClusterStackTargets } from '../../scripts/kustomize/find-targets.ts';
import { captureIo, DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface PodSpec {
  containers: Array<{ resources: { limits: Record<string, string>; requests: Record<string, string> } }>;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
}

describe('default fleet builds with real Kustomize', () => {
  let root: string;
  let results: BuildResult[];
  const objects = new Map<string, Obj[]>();

  beforeAll(async () => {
    root = await tempDir('default-fleet');
    const c = captureIo();
    expect(await main(['--inventory', DEFAULT_INVENTORY, '--out', root], c.io)).toBe(0);
    const targets = await findClusterStackTargets(root);
    results = await buildMany(await detectEngine(), targets.map((t) => t.dir));
    for (const [i, r] of results.entries()) {
      if (r.ok) objects.set(targets[i]!.path, parseAllDocuments(r.yaml).map((d) => d.toJS() as Obj));
    }
  });
  afterAll(async () => removeDir(root));

  it('builds every cluster/stack path', () => {
    const fleetPaths = [...objects.keys()];
    expect(results.length).toBe(23); // 5 clusters: four run 3 stacks and the api-platform system, the GPU farm runs 2; each has its platform config
    expect(fleetPaths).toContain('clusters/prod-gpu-us-east-1/transcoding');
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.message))).toEqual([]);
  });

  it('labels every object with its cluster and environment', () => {
    for (const [path, objs] of objects) {
      const cluster = path.split('/')[1]!;
      for (const o of objs) expect(o.metadata.labels?.['streamfleet.io/cluster'], `${path} ${o.kind}/${o.metadata.name}`).toBe(cluster);
    }
  });

  it('exposes RTMP 1935 through a TCP LoadBalancer with externalTrafficPolicy Local and per-cloud annotations', () => {
    const svc = objects.get('clusters/prod-eu-west-1/streaming')!.find((o) => o.kind === 'Service' && o.metadata.name === 'rtmp-origin-rtmp')!;
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 1935, protocol: 'TCP' }] });
    expect((svc.metadata as { annotations?: Record<string, string> }).annotations?.['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
  });

  it('pins images per environment and applies the storage class per cluster', () => {
    const dev = objects.get('clusters/dev-k3d/streaming')!;
    const prod = objects.get('clusters/prod-eu-west-1/streaming')!;
    const image = (objs: Obj[]): string =>
      JSON.stringify(objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'rtmp-origin')!.spec).match(/"image":"([^"]+)"/)![1]!;
    expect(image(dev)).toBe('docker.io/harlancn/xiu:0.13.0');
    expect(image(prod)).toBe('docker.io/harlancn/xiu:0.13.0');
    const prom = objects.get('clusters/prod-gpu-us-east-1/monitoring')!.find((o) => o.kind === 'Prometheus')!;
    expect(JSON.stringify(prom.spec)).toContain('"storageClassName":"gp3"');
    expect(prom.spec).toMatchObject({ image: 'quay.io/prometheus/prometheus:v3.0.1', version: 'v3.0.1', replicas: 2 });
  });

  it('runs GPU workers with GPU requests equal to limits only on the GPU cluster', () => {
    for (const [path, objs] of objects) {
      const gpu = objs.find((o) => o.metadata.name === 'transcode-worker-gpu' && o.kind === 'Deployment');
      expect(gpu !== undefined, path).toBe(path === 'clusters/prod-gpu-us-east-1/transcoding');
      if (gpu) {
        const pod = (gpu.spec as { template: { spec: PodSpec } }).template.spec;
        const res = pod.containers[0]!.resources;
        expect(res.limits['nvidia.com/gpu']).toBe('1');
        expect(res.requests['nvidia.com/gpu']).toBe(res.limits['nvidia.com/gpu']);
        expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
        expect(pod.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
      }
    }
  });
});
