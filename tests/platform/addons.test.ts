// Add-on Applications of the shipped fleet, after offline ApplicationSet expansion: pinned chart versions from
// the inventory, ordered before the stacks, only where the capabilities need them, with the values the stacks
// rely on; and the ingress-nginx RTMP TCP map only on clusters that expose RTMP through the ingress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBalancerAnnotations } from '../../scripts/components/load-balancer.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';
import { clusterIndex, helmValues, renderPlatformFleet, type PlatformFleet } from './support.ts';

const MESH = ['prod-eu-west-1', 'prod-us-east-1', 'staging-eu-west-1'];
const ALL = ['dev-k3d', 'prod-eu-west-1', 'prod-gpu-us-east-1', 'prod-us-east-1', 'staging-eu-west-1'];

describe('platform add-ons (shipped fleet)', () => {
  let fleet: Fleet;
  let rendered: PlatformFleet;
  let tcp: PlatformFleet;

  beforeAll(async () => {
    fleet = await loadFleet(DEFAULT_INVENTORY);
    rendered = await renderPlatformFleet();
    // One cluster switched to RTMP through the ingress controller (the others keep their own load balancer), and
    // one to another load-balancer flavour, so the patch holds two flavour blocks and the TCP map at once.
    tcp = await renderPlatformFleet([
      { file: 'clusters.yaml', path: ['clusters', await clusterIndex('prod-eu-west-1'), 'streaming', 'rtmpExposure'], value: 'ingress-tcp' },
      { file: 'clusters.yaml', path: ['clusters', await clusterIndex('staging-eu-west-1'), 'loadBalancer'], value: 'metallb' },
    ]);
  });
  afterAll(async () => {
    await rendered.dispose();
    await tcp.dispose();
  });

  const addonApps = (): PlatformFleet['applications'] => rendered.applications.filter((a) => a.labels['streamfleet.io/addon'] !== undefined);

  it('pins every add-on Application to the exact chart version of the inventory', () => {
    expect(addonApps().length).toBeGreaterThan(0);
    for (const app of addonApps()) {
      const addon = fleet.addons[app.labels['streamfleet.io/addon']!]!;
      // The chart, and for add-ons with per-cluster values a second source: this repository, read as `$values`.
      expect(app.sources[0], app.name).toEqual(expect.objectContaining({ repoURL: addon.repoURL, chart: addon.chart, targetRevision: addon.version }));
      expect(app.sources.slice(1), app.name).toEqual(app.sources.length === 1 ? [] : [expect.objectContaining({ repoURL: fleet.git.repoURL, ref: 'values', inRepo: true })]);
      expect(addon.version, app.name).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it.each([
    { addon: 'gpu-operator', clusters: ['prod-gpu-us-east-1'] },
    { addon: 'istio-base', clusters: MESH },
    { addon: 'istio-cni', clusters: MESH },
    { addon: 'istiod', clusters: MESH },
    { addon: 'istio-ingressgateway', clusters: MESH },
    { addon: 'cert-manager', clusters: ALL },
    { addon: 'external-secrets', clusters: ALL },
    { addon: 'ingress-nginx', clusters: ALL },
    { addon: 'keda', clusters: ALL },
    { addon: 'metrics-server', clusters: ALL },
    { addon: 'prometheus-operator', clusters: ALL },
  ])('installs $addon only on the clusters whose capabilities need it', ({ addon, clusters }) => {
    const on = rendered.applications.filter((a) => a.labels['streamfleet.io/addon'] === addon).map((a) => a.labels['streamfleet.io/cluster']);
    expect(on.sort()).toEqual(clusters);
  });

  it('creates every ApplicationSet in the root\'s last wave and lets each Application wait for CRDs on its own', () => {
    // Root waves cannot order Applications (ApplicationSets are Healthy once they generate them), and a health-gated
    // wave could be held by one cluster: convergence rests on skipped dry runs and retries (first-sync simulation).
    const waves = new Set(rendered.applications.filter((a) => a.applicationSet !== undefined).map((a) => a.wave));
    expect([...waves]).toEqual([0]);
    for (const app of addonApps()) {
      const policy = (app.manifest.spec as { syncPolicy: { syncOptions: string[]; retry: unknown } }).syncPolicy;
      expect(policy.syncOptions, app.name).toContain('SkipDryRunOnMissingResource=true');
      expect(policy.retry, app.name).toEqual({ limit: -1, refresh: true, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } });
    }
  });

  it('gives the GPU operator the nvidia RuntimeClass, driver, toolkit and a scraped DCGM exporter', () => {
    const values = helmValues(rendered.addonApp('gpu-operator', 'prod-gpu-us-east-1')!, rendered.root);
    expect(values).toMatchObject({
      operator: { runtimeClass: 'nvidia' },
      driver: { enabled: true },
      toolkit: { enabled: true },
      dcgmExporter: { enabled: true, serviceMonitor: { enabled: true } },
    });
  });

  it('runs Istio with the CNI node agent and labels the gateway pods istio=ingressgateway', () => {
    expect(helmValues(rendered.addonApp('istiod', 'staging-eu-west-1')!, rendered.root)).toMatchObject({ pilot: { cni: { enabled: true } } });
    const gateway = rendered.addonApp('istio-ingressgateway', 'staging-eu-west-1')!;
    expect(gateway.sources[0]!.chart).toBe('gateway');
    expect(gateway.sources[1]).toMatchObject({ ref: 'values' });
    expect(gateway.destination.namespace).toBe('istio-ingress');
    // The gateway chart derives the `istio` pod label from the release name minus its `istio-` prefix.
    expect((gateway.manifest.spec as { sources: Array<{ helm?: { releaseName: string } }> }).sources[0]?.helm?.releaseName).toBe('istio-ingressgateway');
    expect(rendered.addonApp('istio-cni', 'staging-eu-west-1')!.sources[0]!.chart).toBe('cni');
  });

  it('installs the Prometheus operator with kube-state-metrics and node-exporter but no Prometheus of its own', () => {
    expect(helmValues(rendered.addonApp('prometheus-operator', 'dev-k3d')!, rendered.root)).toMatchObject({
      crds: { enabled: true },
      kubeStateMetrics: { enabled: true },
      nodeExporter: { enabled: true },
      prometheus: { enabled: false },
      alertmanager: { enabled: false },
      grafana: { enabled: false },
    });
  });

  it('scrapes KEDA\'s metrics server and serves external-secrets.io/v1 (chart 0.16 or later)', () => {
    expect(helmValues(rendered.addonApp('keda', 'dev-k3d')!, rendered.root)).toMatchObject({ prometheus: { metricServer: { enabled: true, serviceMonitor: { enabled: true } } } });
    const [major, minor] = fleet.addons['external-secrets']!.version.replace(/^v/, '').split('.').map(Number);
    expect(major! > 0 || minor! >= 16).toBe(true);
  });

  it.each([
    { fleetName: 'shipped', addon: 'ingress-nginx', cluster: 'prod-eu-west-1', flavour: 'aws-nlb', path: ['controller', 'service'] },
    { fleetName: 'shipped', addon: 'ingress-nginx', cluster: 'dev-k3d', flavour: 'klipper', path: ['controller', 'service'] },
    { fleetName: 'shipped', addon: 'istio-ingressgateway', cluster: 'staging-eu-west-1', flavour: 'aws-nlb', path: ['service'] },
    { fleetName: 'edited', addon: 'ingress-nginx', cluster: 'staging-eu-west-1', flavour: 'metallb', path: ['controller', 'service'] },
    { fleetName: 'edited', addon: 'istio-ingressgateway', cluster: 'staging-eu-west-1', flavour: 'metallb', path: ['service'] },
    { fleetName: 'edited', addon: 'ingress-nginx', cluster: 'prod-eu-west-1', flavour: 'aws-nlb', path: ['controller', 'service'] },
  ] as const)('gives the $addon Service on $cluster ($fleetName, $flavour) its flavour\'s L4 annotations, keeping client addresses', ({ fleetName, addon, cluster, flavour, path }) => {
    const f = fleetName === 'shipped' ? rendered : tcp;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
    const service = path.reduce((o: any, k) => o[k], helmValues(f.addonApp(addon, cluster)!, f.root));
    const expected = loadBalancerAnnotations(flavour);
    expect(service.annotations ?? {}).toEqual(expected);
    expect(service.externalTrafficPolicy).toBe('Local');
    if (flavour === 'aws-nlb') expect(expected['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
  });

  it.each([
    { fleetName: 'shipped', cluster: 'prod-eu-west-1', expected: undefined },
    { fleetName: 'ingress-tcp', cluster: 'prod-eu-west-1', expected: { '1935': 'streaming/rtmp-origin-rtmp:1935' } },
    { fleetName: 'ingress-tcp', cluster: 'prod-us-east-1', expected: undefined },
    { fleetName: 'ingress-tcp', cluster: 'dev-k3d', expected: undefined },
  ])('maps RTMP TCP 1935 in ingress-nginx on $cluster of the $fleetName fleet only when it uses ingress-tcp', ({ fleetName, cluster, expected }) => {
    const f = fleetName === 'shipped' ? rendered : tcp;
    const values = helmValues(f.addonApp('ingress-nginx', cluster)!, f.root);
    expect(values.tcp).toEqual(expected);
    // The patch adds the map; it never drops the shared controller values.
    expect(values.controller.metrics.enabled).toBe(true);
  });
});
