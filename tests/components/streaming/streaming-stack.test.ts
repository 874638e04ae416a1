// The streaming stack as Argo CD would apply it: the shipped fleet generated and built with real Kustomize.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podSpecOf, renderFleetBuilds, type BuiltObject, type RenderedFleet } from '../../support/rendered.ts';

/** Streaming clusters of the shipped inventory, their environment's ClusterIssuer and mesh capability. */
const CLUSTERS = [
  { cluster: 'dev-k3d', domain: 'dev.media.localtest.me', issuer: 'letsencrypt-staging', mesh: false },
  { cluster: 'staging-eu-west-1', domain: 'staging-euw1.media.acme-media.net', issuer: 'letsencrypt-staging', mesh: true },
  { cluster: 'prod-eu-west-1', domain: 'euw1.media.acme-media.net', issuer: 'letsencrypt-prod', mesh: true },
  { cluster: 'prod-us-east-1', domain: 'use1.media.acme-media.net', issuer: 'letsencrypt-prod', mesh: true },
] as const;
const NON_MESH = CLUSTERS.filter((c) => !c.mesh);
const MESH = CLUSTERS.filter((c) => c.mesh);
const OTT = ['auth', 'subscription', 'catalog', 'license', 'cas'] as const;
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
type Any = any;

let fleet: RenderedFleet;
beforeAll(async () => {
  fleet = await renderFleetBuilds();
});
afterAll(async () => fleet?.dispose());

const streaming = (cluster: string): BuiltObject[] => fleet.objects(cluster, 'streaming');
const spec = (o: BuiltObject): Any => o.spec as Any;
const workloads = (cluster: string): BuiltObject[] => streaming(cluster).filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(o.kind));

describe('RTMP ingest', () => {
  it.each(CLUSTERS)('$cluster exposes RTMP 1935/TCP through a TCP load balancer keeping client addresses', ({ cluster }) => {
    const svc = spec(fleet.find(cluster, 'streaming', 'Service', 'rtmp-origin-rtmp'));
    expect(svc.type).toBe('LoadBalancer');
    expect(svc.externalTrafficPolicy).toBe('Local');
    expect(svc.ports).toEqual([{ name: 'rtmp', port: 1935, protocol: 'TCP', targetPort: 'rtmp', appProtocol: 'tcp' }]);
  });

  it('annotates the RTMP load balancer for the cluster flavour (aws-nlb) and not on klipper', () => {
    expect(fleet.find('prod-eu-west-1', 'streaming', 'Service', 'rtmp-origin-rtmp').metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
    expect(fleet.find('dev-k3d', 'streaming', 'Service', 'rtmp-origin-rtmp').metadata.annotations ?? {}).toEqual({});
  });

  it('keeps viewing (HLS/FLV) off the RTMP Service and publishing off the viewing Service', () => {
    const viewing = spec(fleet.find('dev-k3d', 'streaming', 'Service', 'rtmp-origin'));
    expect(viewing.type).toBe('ClusterIP');
    expect(viewing.ports.map((p: Any) => p.port)).not.toContain(1935);
  });

  it('never puts the publish token in a ConfigMap: xiu gets a placeholder, an init container fills it from the ExternalSecret', () => {
    const config = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'rtmp-origin-config').data!['config.toml']!;
    expect(config).toContain('push_enabled = true');
    expect(config).toContain('pull_enabled = false');
    expect(config).toMatch(/^password = "\$\{XIU_PUBLISH_TOKEN\}"$/m);
    const es = spec(fleet.find('dev-k3d', 'streaming', 'ExternalSecret', 'rtmp-origin-ingest'));
    expect(es.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'platform-secrets' });
    const pod = podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin')) as Any;
    const init = pod.initContainers[0];
    expect(init.env).toEqual([{ name: 'XIU_PUBLISH_TOKEN', valueFrom: { secretKeyRef: { name: 'rtmp-origin-ingest', key: 'publish-token' } } }]);
    expect(pod.containers[0].args).toEqual(['-c', '/run/xiu/config.toml']);
    expect(streaming('dev-k3d').filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('mounts the generated xiu config at /etc/xiu', () => {
    const pod = podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin')) as Any;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/xiu', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'rtmp-origin-config' } });
  });
});

describe('public HTTP hosts', () => {
  it.each(NON_MESH)('$cluster: HLS and FLV Ingresses on distinct subdomains with cert-manager TLS from $issuer', ({ cluster, domain, issuer }) => {
    const hls = fleet.find(cluster, 'streaming', 'Ingress', 'rtmp-origin-hls');
    const flv = fleet.find(cluster, 'streaming', 'Ingress', 'rtmp-origin-flv');
    for (const [ing, host] of [[hls, `hls.${domain}`], [flv, `flv.${domain}`]] as const) {
      expect(spec(ing).ingressClassName).toBe('nginx');
      expect(spec(ing).rules[0].host).toBe(host);
      expect(spec(ing).tls).toEqual([{ hosts: [host], secretName: `${ing.metadata.name}-tls` }]);
      expect(ing.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe(issuer);
      expect(ing.metadata.annotations!['nginx.ingress.kubernetes.io/enable-cors']).toBe('true');
    }
    expect(spec(hls).tls[0].secretName).not.toBe(spec(flv).tls[0].secretName);
    expect(flv.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
  });

  it.each(CLUSTERS)('$cluster: every Ingress host+path and every VirtualService host+prefix is unique', ({ cluster }) => {
    const routes: string[] = [];
    // Every stack of the cluster: a host+path must be unique across the cluster's ingress controller / gateway.
    const all = [...fleet.builds].filter(([path]) => path.startsWith(`clusters/${cluster}/`)).flatMap(([, objects]) => objects);
    for (const o of all) {
      if (o.kind === 'Ingress') for (const r of spec(o).rules) for (const p of r.http.paths) routes.push(`ingress ${r.host}${p.path}`);
      if (o.kind === 'VirtualService') for (const h of spec(o).hosts) for (const r of spec(o).http) routes.push(`mesh ${h}${r.match[0].uri.prefix}`);
    }
    expect(routes.length).toBeGreaterThan(0);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('routes api.<domain> by path to each OTT API with one certificate', () => {
    const ing = fleet.find('dev-k3d', 'streaming', 'Ingress', 'ott-api');
    const rule = spec(ing).rules[0];
    expect(rule.host).toBe('api.dev.media.localtest.me');
    expect(rule.http.paths.map((p: Any) => [p.path, p.backend.service.name])).toEqual(OTT.map((a) => [`/${a}`, `ott-${a}`]));
    expect(spec(ing).tls).toEqual([{ hosts: ['api.dev.media.localtest.me'], secretName: 'ott-api-tls' }]);
  });
});

describe('CDN edge', () => {
  it.each(CLUSTERS)('$cluster: the nginx upstream is the origin Service and port that exist in the build', ({ cluster }) => {
    const conf = fleet.find(cluster, 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    const m = /upstream origin \{ server ([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+);/.exec(conf);
    expect(m).not.toBeNull();
    const [, name, namespace, port] = m!;
    const svc = fleet.find(cluster, 'streaming', 'Service', name!);
    expect(svc.metadata.namespace).toBe(namespace);
    expect(spec(svc).ports.map((p: Any) => p.port)).toContain(Number(port));
    expect(spec(svc).selector['app.kubernetes.io/name']).toBe('rtmp-origin');
  });

  it('caches playlists briefly and segments long, with lock, stale-while-revalidate and a cache status header', () => {
    const conf = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    expect(conf).toMatch(/\\\.m3u8\$ \{\n\s+if[^\n]+\n\s+proxy_cache_valid 200 1s;/);
    expect(conf).toMatch(/proxy_cache_valid 200 600s;/);
    for (const d of ['proxy_cache_lock on;', 'proxy_cache_background_update on;', 'add_header X-Cache-Status $upstream_cache_status always;']) {
      expect(conf).toContain(d);
    }
    expect(conf).toContain('access_log syslog:server=127.0.0.1:5531,tag=nginx edge;');
  });
});

describe('workload hardening', () => {
  const cases = CLUSTERS.flatMap((c) => ['rtmp-origin', 'edge-cache', 'player', ...OTT.map((a) => `ott-${a}`)].map((app) => ({ cluster: c.cluster, app })));

  it.each(cases)('$cluster $app: probes, requests + memory limit, restricted securityContext, PDB, zone spread', ({ cluster, app }) => {
    const pod = podSpecOf(fleet.find(cluster, 'streaming', 'Deployment', app)) as Any;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(c.resources.requests.cpu, c.name).toBeDefined();
      expect(c.resources.requests.memory, c.name).toBeDefined();
      expect(c.resources.limits.memory, c.name).toBeDefined();
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    for (const c of pod.containers) {
      expect(c.readinessProbe, c.name).toBeDefined();
      expect(c.livenessProbe, c.name).toBeDefined();
    }
    expect(pod.topologySpreadConstraints.map((t: Any) => t.topologyKey)).toContain('topology.kubernetes.io/zone');
    expect(spec(fleet.find(cluster, 'streaming', 'PodDisruptionBudget', app)).selector.matchLabels['app.kubernetes.io/name']).toBe(app);
  });

  it.each(CLUSTERS)('$cluster: every streaming workload is covered by the checks above', ({ cluster }) => {
    const names = workloads(cluster).filter((o) => o.kind !== 'CronJob').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['edge-cache', 'player', 'rtmp-origin', ...OTT.map((a) => `ott-${a}`)].sort());
  });

  it('origin: startup probe, readiness on RTMP, liveness on the HLS port (TCP: xiu has no health path)', () => {
    const xiu = (podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin')) as Any).containers[0];
    expect(xiu.startupProbe.tcpSocket.port).toBe('rtmp');
    expect(xiu.readinessProbe.tcpSocket.port).toBe('rtmp');
    expect(xiu.livenessProbe.tcpSocket.port).toBe('hls');
  });

  it.each(OTT)('ott-%s: /health liveness, /health/ready readiness, metrics scraped, traces to the collector', (api) => {
    const c = (podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', `ott-${api}`)) as Any).containers[0];
    expect(c.livenessProbe.httpGet.path).toBe('/health');
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.env.map((e: Any) => e.name)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(spec(fleet.find('dev-k3d', 'streaming', 'ServiceMonitor', `ott-${api}`)).endpoints).toEqual([{ port: 'metrics' }]);
  });
});

describe('replicas and autoscaling', () => {
  it('prod origin is owned by an HPA v2 on CPU and memory with the inventory behaviour, and the Deployment has no replica count', () => {
    const hpa = spec(fleet.find('prod-eu-west-1', 'streaming', 'HorizontalPodAutoscaler', 'rtmp-origin'));
    expect(hpa).toMatchObject({ minReplicas: 3, maxReplicas: 12, behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } });
    expect(hpa.metrics.map((m: Any) => m.resource.name)).toEqual(['cpu', 'memory']);
    expect(spec(fleet.find('prod-eu-west-1', 'streaming', 'Deployment', 'rtmp-origin')).replicas).toBeUndefined();
  });

  it.each(['edge-cache', ...OTT.map((a) => `ott-${a}`)])('prod %s runs under an HPA with at least 2 replicas', (app) => {
    expect(spec(fleet.find('prod-us-east-1', 'streaming', 'HorizontalPodAutoscaler', app)).minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('dev origin runs the inventory count (1)', () => {
    expect(spec(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin')).replicas).toBe(1);
  });
});

/** Name → value of the first container's env (literal values only). */
const containerEnv = (o: Parameters<typeof podSpecOf>[0]): Map<string, string | undefined> =>
  new Map((podSpecOf(o).containers[0]!.env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value]));

describe('k6 load test', () => {
  it.each(CLUSTERS)('$cluster: a suspended CronJob whose script walks login → catalog → license → manifest → segments on its hosts', ({ cluster, domain }) => {
    const cj = fleet.find(cluster, 'streaming', 'CronJob', 'load-test');
    expect(spec(cj).suspend).toBe(true);
    expect(podSpecOf(cj).containers[0]!.image).toMatch(/^docker\.io\/grafana\/k6:\d/);
    const script = fleet.find(cluster, 'streaming', 'ConfigMap', 'load-test-script').data!['journey.js']!;
    const env = containerEnv(cj);
    expect(env.get('API_URL')).toBe(`https://api.${domain}`);
    expect(env.get('CDN_URL')).toBe(`https://cdn.${domain}`);
    expect(script).toContain('const API = __ENV.API_URL;');
    expect(script).toContain('const CDN = __ENV.CDN_URL;');
    const steps = ['/auth/login', '/catalog/', '/license/', '.m3u8', "step: 'segment'"].map((s) => script.indexOf(s));
    expect(steps.every((i) => i >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('sizes the run per environment (staging from its inventory, dev from defaults)', () => {
    const envOf = (cluster: string): Map<string, string | undefined> => containerEnv(fleet.find(cluster, 'streaming', 'CronJob', 'load-test'));
    expect(envOf('staging-eu-west-1').get('K6_VUS')).toBe('200');
    expect(envOf('dev-k3d').get('K6_VUS')).toBe('10');
    expect(envOf('dev-k3d').get('K6_DURATION')).toBe('2m');
  });
});

describe('player', () => {
  it.each(CLUSTERS)('$cluster: the hls.js page plays from its own CDN host', ({ cluster, domain }) => {
    const page = fleet.find(cluster, 'streaming', 'ConfigMap', 'player-page').data!['index.html']!;
    expect(page).toContain(`const cdn = 'https://cdn.${domain}';`);
    expect(page).toContain('hls.js@');
  });
});

describe('service mesh', () => {
  it.each(NON_MESH)('$cluster (no mesh): no Istio objects, no injection label; nginx Ingresses instead', ({ cluster }) => {
    expect(streaming(cluster).filter((o) => ISTIO_GROUPS.includes(o.apiVersion.split('/')[0]!))).toEqual([]);
    expect(fleet.find(cluster, 'streaming', 'Namespace', 'streaming').metadata.labels!['istio-injection']).toBeUndefined();
    expect(streaming(cluster).filter((o) => o.kind === 'Ingress').length).toBeGreaterThan(0);
  });

  it.each(MESH)('$cluster (mesh): gateway with HTTPS redirect and a cert-manager certificate in istio-ingress', ({ cluster, domain, issuer }) => {
    expect(fleet.find(cluster, 'streaming', 'Namespace', 'streaming').metadata.labels!['istio-injection']).toBe('enabled');
    const gw = spec(fleet.find(cluster, 'streaming', 'Gateway', 'streaming-public'));
    expect(gw.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.servers[0].tls).toEqual({ httpsRedirect: true });
    expect(gw.servers[1].tls.credentialName).toBe('streaming-public-tls');
    const cert = fleet.find(cluster, 'streaming', 'Certificate', 'streaming-public');
    expect(cert.metadata.namespace).toBe('istio-ingress');
    expect(spec(cert).secretName).toBe('streaming-public-tls');
    expect(spec(cert).issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer });
    expect(spec(cert).dnsNames).toEqual(['api', 'cdn', 'flv', 'hls', 'play'].map((h) => `${h}.${domain}`));
    // The gateway replaces ingress-nginx for HTTP on mesh clusters: one path per host, one policy set.
    expect(streaming(cluster).filter((o) => o.kind === 'Ingress')).toEqual([]);
  });

  it.each(MESH)('$cluster (mesh): retries, timeouts, outlier detection, STRICT mTLS, deny-by-default', ({ cluster }) => {
    const api = spec(fleet.find(cluster, 'streaming', 'VirtualService', 'ott-api'));
    for (const r of api.http) {
      expect(r.retries.attempts).toBe(3);
      expect(r.retries.perTryTimeout).toBeDefined();
      expect(r.timeout).toBe('30s');
    }
    const hls = spec(fleet.find(cluster, 'streaming', 'VirtualService', 'rtmp-origin-hls'));
    expect(Number.parseInt(hls.http[0].timeout, 10)).toBeGreaterThan(30);
    const drs = streaming(cluster).filter((o) => o.kind === 'DestinationRule');
    expect(drs.length).toBeGreaterThanOrEqual(8);
    for (const dr of drs) expect(spec(dr).trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(spec(fleet.find(cluster, 'streaming', 'PeerAuthentication', 'default')).mtls).toEqual({ mode: 'STRICT' });
    expect(fleet.find(cluster, 'streaming', 'AuthorizationPolicy', 'deny-by-default').spec ?? {}).toEqual({});
    const origin = spec(fleet.find(cluster, 'streaming', 'AuthorizationPolicy', 'rtmp-origin'));
    expect(origin.action).toBe('ALLOW');
    expect(origin.rules.flatMap((r: Any) => r.to[0].operation.ports)).toContain('1935');
  });
});

describe('network policies', () => {
  const policy = (cluster: string, name: string): Any => spec(fleet.find(cluster, 'streaming', 'NetworkPolicy', name));
  const fromNs = (rule: Any): string[] => rule.from.map((p: Any) => p.namespaceSelector?.matchLabels['kubernetes.io/metadata.name']).filter(Boolean);

  it('namespace denies by default and is Pod Security restricted', () => {
    expect(policy('dev-k3d', 'default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(fleet.find('dev-k3d', 'streaming', 'Namespace', 'streaming').metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it.each([
    { app: 'rtmp-origin', port: 9102 },
    { app: 'edge-cache', port: 4040 },
    ...OTT.map((a) => ({ app: `ott-${a}`, port: 9090 })),
  ])('$app: Prometheus (monitoring) may scrape metrics port $port', ({ app, port }) => {
    const rules = policy('dev-k3d', `${app}-ingress`).ingress;
    expect(rules.some((r: Any) => fromNs(r).includes('monitoring') && r.ports.some((p: Any) => p.port === port))).toBe(true);
  });

  it('edge may reach the origin HLS port, and the origin admits the edge', () => {
    expect(policy('dev-k3d', 'edge-cache-egress').egress).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'rtmp-origin', 'app.kubernetes.io/name': 'rtmp-origin' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    const origin = policy('dev-k3d', 'rtmp-origin-ingress').ingress;
    expect(origin.some((r: Any) => r.from.some((p: Any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'edge-cache'))).toBe(true);
  });

  it('APIs may call exactly their dependencies', () => {
    const to = (app: string): string[] => policy('dev-k3d', `${app}-egress`).egress[0].to.map((p: Any) => p.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(to('ott-license')).toEqual(['ott-auth', 'ott-subscription']);
    expect(to('ott-catalog')).toEqual(['ott-auth']);
    expect(streaming('dev-k3d').some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ott-auth-egress')).toBe(false);
  });
});
