// Inventory edits as a user makes them, checked on the rendered (Kustomize-built) output: scaling the dev origin
// 1 → 3 → 2 touches exactly one line each time (the edge finds replicas through the headless Service, so nothing
// else names them), and `rtmpExposure: ingress-tcp` swaps the RTMP load balancer for
// a ClusterIP Service the ingress controller's TCP map targets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { renderFleetBuilds, type RenderedFleet } from '../../support/rendered.ts';

const DEV_ORIGIN_REPLICAS = ['apps', 'rtmp-origin', 'replicas'];
const lines = (f: RenderedFleet): string[] => stringify(f.objects('dev-k3d', 'streaming')).split('\n');

/** Lines that differ between two renders of the same shape (a changed value, nothing added or removed). */
const changedLines = (a: string[], b: string[]): Array<[string, string]> => {
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!] as [string, string]]));
};

describe('dev origin replicas 1 → 3 → 2', () => {
  const renders: RenderedFleet[] = [];
  beforeAll(async () => {
    for (const n of [1, 3, 2]) {
      renders.push(await renderFleetBuilds({ edits: [{ file: 'environments/dev.yaml', path: DEV_ORIGIN_REPLICAS, value: n }] }));
    }
  });
  afterAll(async () => Promise.all(renders.map((r) => r.dispose())));

  it.each([
    { from: 1, to: 3, step: 0 },
    { from: 3, to: 2, step: 1 },
  ])('$from → $to changes exactly one line of the built dev streaming stack: the replica count', ({ from, to, step }) => {
    const diff = changedLines(lines(renders[step]!), lines(renders[step + 1]!));
    expect(diff).toHaveLength(1);
    expect(diff[0]![0].trim()).toBe(`replicas: ${from}`);
    expect(diff[0]![1].trim()).toBe(`replicas: ${to}`);
  });
});

describe('rtmpExposure: ingress-tcp', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({ edits: [{ file: 'clusters.yaml', path: ['clusters', 0, 'streaming'], value: { rtmpExposure: 'ingress-tcp' } }] });
  });
  afterAll(async () => fleet?.dispose());

  it('renders RTMP as a ClusterIP Service keeping the name and port the ingress TCP map targets, and no LoadBalancer', () => {
    const svc = fleet.find('dev-k3d', 'streaming', 'Service', 'rtmp-origin-rtmp');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'rtmp', port: 1935, protocol: 'TCP', targetPort: 'rtmp' }] });
    expect(svc.spec!.externalTrafficPolicy).toBeUndefined();
    expect(fleet.objects('dev-k3d', 'streaming').filter((o) => o.kind === 'Service' && o.spec?.type === 'LoadBalancer')).toEqual([]);
  });

  it('admits the ingress controller on 1935', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
    const rules = (fleet.find('dev-k3d', 'streaming', 'NetworkPolicy', 'rtmp-origin-ingress').spec as any).ingress as any[];
    const rtmp = rules.find((r) => r.ports.some((p: { port: number }) => p.port === 1935));
    expect(rtmp.from).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } });
  });

  it('changes only how publishers arrive: viewers still reach the edge, which reaches the replicas headlessly', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
    const backends = (name: string): unknown => (fleet.find('dev-k3d', 'streaming', 'Ingress', name).spec as any).rules[0].http.paths.map((p: any) => p.backend.service.name);
    for (const name of ['edge-cache', 'rtmp-origin-hls', 'rtmp-origin-flv']) expect(backends(name)).toEqual(['edge-cache']);
    expect(fleet.find('dev-k3d', 'streaming', 'Service', 'rtmp-origin-replicas').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('leaves the other clusters on their load balancer', () => {
    expect(fleet.find('prod-eu-west-1', 'streaming', 'Service', 'rtmp-origin-rtmp').spec!.type).toBe('LoadBalancer');
  });
});
