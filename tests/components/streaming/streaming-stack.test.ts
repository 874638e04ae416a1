// The streaming stack as Argo CD would apply it: the shipped fleet generated and built with real Kustomize.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_UPSTREAM } from '../../../scripts/components/streaming/edge-cache.ts';
import { ORIGIN_MEDIA_PORT } from '../../../scripts/components/streaming/origin-http.ts';
import { ORIGIN_REPLICAS_SERVICE } from '../../../scripts/components/streaming/rtmp-origin.ts';
import { xiuContract } from '../../../scripts/components/streaming/xiu-contract.ts';
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
/** A container of the origin pod, by name. */
const originContainer = (cluster: string, name: string): Any =>
  (podSpecOf(fleet.find(cluster, 'streaming', 'Deployment', 'rtmp-origin')) as Any).containers.find((c: Any) => c.name === name);
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
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    });
    expect(fleet.find('dev-k3d', 'streaming', 'Service', 'rtmp-origin-rtmp').metadata.annotations ?? {}).toEqual({});
  });

  it.each(CLUSTERS)('$cluster: publishing only on the RTMP Service; the rtmp-origin Service carries metrics only', ({ cluster }) => {
    const metrics = spec(fleet.find(cluster, 'streaming', 'Service', 'rtmp-origin'));
    expect(metrics.type).toBe('ClusterIP');
    expect(metrics.ports).toEqual([{ name: 'metrics', port: 9102, protocol: 'TCP', targetPort: 'metrics' }]);
    // Viewers reach the replicas through the headless Service, on the origin-http port and nothing else.
    const replicas = spec(fleet.find(cluster, 'streaming', 'Service', ORIGIN_REPLICAS_SERVICE));
    expect(replicas.ports).toEqual([{ name: 'media', port: ORIGIN_MEDIA_PORT, protocol: 'TCP', targetPort: 'media', appProtocol: 'http' }]);
  });

  it('the xiu container names the binary (the image has no ENTRYPOINT or CMD)', () => {
    expect(originContainer('dev-k3d', 'xiu').command).toEqual([xiuContract().binary]);
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
    expect(originContainer('dev-k3d', 'xiu').args).toEqual([xiuContract().configFlag, '/run/xiu/config.toml']);
    expect(pod.volumes).toContainEqual({ name: 'rendered-config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    expect(streaming('dev-k3d').filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('mounts the generated xiu config at /etc/xiu', () => {
    const pod = podSpecOf(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin')) as Any;
    expect(originContainer('dev-k3d', 'xiu').volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/xiu', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'rtmp-origin-config' } });
  });
});

describe('public HTTP hosts', () => {
  it.each(NON_MESH)('$cluster: cdn., hls. and flv. Ingresses all send viewers to the edge, with cert-manager TLS from $issuer', ({ cluster, domain, issuer }) => {
    const cdn = fleet.find(cluster, 'streaming', 'Ingress', 'edge-cache');
    // hls./flv. keep the names they had when they pointed at the origin (edge-cache.ts says why).
    const hls = fleet.find(cluster, 'streaming', 'Ingress', 'rtmp-origin-hls');
    const flv = fleet.find(cluster, 'streaming', 'Ingress', 'rtmp-origin-flv');
    for (const [ing, host] of [[cdn, `cdn.${domain}`], [hls, `hls.${domain}`], [flv, `flv.${domain}`]] as const) {
      expect(spec(ing).ingressClassName).toBe('nginx');
      expect(spec(ing).rules[0].host).toBe(host);
      expect(spec(ing).rules[0].http.paths.map((p: Any) => p.backend.service)).toEqual([{ name: 'edge-cache', port: { name: 'http' } }]);
      expect(spec(ing).tls).toEqual([{ hosts: [host], secretName: `${ing.metadata.name}-tls` }]);
      expect(ing.metadata.annotations!['cert-manager.io/cluster-issuer']).toBe(issuer);
      // The edge sets CORS itself, identically on mesh clusters; a second set from ingress-nginx would duplicate it.
      expect(ing.metadata.annotations!['nginx.ingress.kubernetes.io/enable-cors']).toBeUndefined();
    }
    expect(new Set([cdn, hls, flv].map((i) => spec(i).tls[0].secretName)).size).toBe(3);
    expect(flv.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '30',
    });
  });

  it.each(CLUSTERS)('$cluster: no public route reaches the origin directly', ({ cluster }) => {
    for (const o of streaming(cluster)) {
      if (o.kind === 'Ingress') {
        for (const r of spec(o).rules) for (const p of r.http.paths) expect(p.backend.service.name, o.metadata.name).not.toMatch(/^rtmp-origin/);
      }
      if (o.kind === 'VirtualService') {
        for (const r of spec(o).http) for (const d of r.route) expect(d.destination.host, o.metadata.name).not.toMatch(/^rtmp-origin/);
      }
    }
  });

  it.each(MESH)('$cluster: the cdn., hls. and flv. VirtualServices route to the edge; FLV (a stream) has no timeout', ({ cluster, domain }) => {
    const edge = { host: 'edge-cache.streaming.svc.cluster.local', port: { number: 80 } };
    for (const [name, host] of [['edge-cache', 'cdn'], ['rtmp-origin-hls', 'hls'], ['rtmp-origin-flv', 'flv']] as const) {
      const vs = spec(fleet.find(cluster, 'streaming', 'VirtualService', name));
      expect(vs.hosts).toEqual([`${host}.${domain}`]);
      expect(vs.http.map((r: Any) => r.route)).toEqual([[{ destination: edge }]]);
    }
    const flv = spec(fleet.find(cluster, 'streaming', 'VirtualService', 'rtmp-origin-flv')).http[0];
    expect(flv.timeout).toBeUndefined();
    expect(flv.retries.perTryTimeout).toBeUndefined();
    expect(flv.retries.retryOn).not.toContain('5xx');
    const hls = spec(fleet.find(cluster, 'streaming', 'VirtualService', 'rtmp-origin-hls')).http[0];
    expect(hls.timeout).toBe('300s');
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
  it.each(CLUSTERS)('$cluster: the edge asks every replica through the headless Service and port that exist in the build', ({ cluster }) => {
    const conf = fleet.find(cluster, 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    expect(EDGE_UPSTREAM.service).toBe(ORIGIN_REPLICAS_SERVICE);
    const m = /set \$origin_replicas ([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local;/.exec(conf);
    expect(m).not.toBeNull();
    const [, name, namespace] = m!;
    expect(`${name}.${namespace}.svc.cluster.local`).toBe(EDGE_UPSTREAM.host);
    const ports = [...conf.matchAll(/proxy_pass http:\/\/\$origin_replicas:(\d+);/g)].map((p) => Number(p[1]));
    expect(ports.length).toBe(3); // playlists, segments, FLV
    expect(new Set(ports)).toEqual(new Set([EDGE_UPSTREAM.port]));
    const svc = fleet.find(cluster, 'streaming', 'Service', name!);
    expect(svc.metadata.namespace).toBe(namespace);
    // Headless, and listing replicas that are not ready (a draining one still serves its streams).
    expect(spec(svc).clusterIP).toBe('None');
    expect(spec(svc).publishNotReadyAddresses).toBe(true);
    const media = spec(svc).ports.find((p: Any) => p.name === 'media');
    expect(media.port).toBe(EDGE_UPSTREAM.port);
    expect(spec(svc).selector['app.kubernetes.io/name']).toBe('rtmp-origin');
    // The port the Service targets is the origin-http sidecar's.
    expect(originContainer(cluster, 'origin-http').ports).toContainEqual({ name: media.targetPort, containerPort: EDGE_UPSTREAM.port, protocol: 'TCP' });
    // Istio routes by the Host header: the Service's name.
    expect(conf).toContain(`proxy_set_header Host ${EDGE_UPSTREAM.host};`);
  });

  it('a 404 from a replica means "not here": nginx tries the next replica and never caches it', () => {
    const conf = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    expect(conf).toContain('proxy_next_upstream error timeout http_404 http_502 http_503 http_504;');
    expect(conf).toContain('proxy_next_upstream_tries 0;');
    expect(conf).toMatch(/resolver kube-dns\.kube-system\.svc\.cluster\.local valid=\d+s/);
    for (const m of conf.matchAll(/proxy_cache_valid ([^;]+);/g)) expect(m[1]).toMatch(/^200 \d+s$/);
  });

  it('caches playlists briefly and segments long, with lock, stale-while-updating and a cache status header', () => {
    const conf = fleet.find('dev-k3d', 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
    const block = (suffix: string): string => new RegExp(`location ~ "[^"]+${suffix}\\$" \\{\\n([\\s\\S]*?)\\n {4}\\}`).exec(conf)![1]!;
    const playlist = block('m3u8');
    expect(playlist).toContain('proxy_cache_valid 200 1s;');
    expect(playlist).toContain('proxy_cache_lock on;');
    expect(playlist).toContain('proxy_cache_use_stale updating;');
    const segment = block('ts');
    expect(segment).toContain('proxy_cache_valid 200 600s;');
    expect(segment).toContain('proxy_cache_lock on;');
    const flv = block('flv');
    expect(flv).toContain('proxy_buffering off;');
    expect(flv).toContain('proxy_cache off;');
    expect(conf).toContain('add_header X-Cache-Status $upstream_cache_status always;');
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
      // A container may run as its image's own user (the origin-http sidecar: nginx's), never as root.
      const { runAsUser, ...restricted } = c.securityContext;
      if (runAsUser !== undefined) expect(runAsUser, c.name).toBeGreaterThan(0);
      expect(restricted).toEqual({
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

  it('origin: startup and readiness on RTMP, liveness on xiu\'s API root (its media servers have no health path); the sidecar on /healthz', () => {
    const xiu = originContainer('dev-k3d', 'xiu');
    expect(xiu.startupProbe.tcpSocket.port).toBe('rtmp');
    expect(xiu.readinessProbe.tcpSocket.port).toBe('rtmp');
    // `GET /` answers xiu's usage text (Checked: https://github.com/harlanc/xiu @ v0.13.0 : application/xiu/src/api.rs).
    expect(xiu.livenessProbe.httpGet).toEqual({ path: '/', port: 'api' });
    expect(xiu.ports).toContainEqual({ name: 'api', containerPort: xiuContract().defaultApiPort, protocol: 'TCP' });
    expect(originContainer('dev-k3d', 'origin-http').readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'media' });
  });

  it.each(CLUSTERS)('$cluster origin: a drained exit (default drain 120 s): grace 135 s, preStop on xiu and on origin-http', ({ cluster }) => {
    const pod = podSpecOf(fleet.find(cluster, 'streaming', 'Deployment', 'rtmp-origin')) as Any;
    expect(pod.terminationGracePeriodSeconds).toBe(135);
    expect(originContainer(cluster, 'xiu').lifecycle.preStop.exec.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(originContainer(cluster, 'xiu').lifecycle.preStop.exec.command[2]).toContain('+ 120))');
    expect(originContainer(cluster, 'origin-http').lifecycle.preStop.exec.command[2]).toContain('+ 130))');
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
    // One replica per drain period (grace 135 s + 15 s), so one replica's publishers reconnect at a time.
    expect(hpa.behavior.scaleDown).toMatchObject({ selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 150 }] });
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
    // The edge reaches each replica over mTLS through the headless Service's DestinationRule.
    const replicas = spec(fleet.find(cluster, 'streaming', 'DestinationRule', ORIGIN_REPLICAS_SERVICE));
    expect(replicas.host).toBe(EDGE_UPSTREAM.host);
    expect(replicas.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    const drs = streaming(cluster).filter((o) => o.kind === 'DestinationRule');
    expect(drs.length).toBeGreaterThanOrEqual(8);
    for (const dr of drs) expect(spec(dr).trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(spec(fleet.find(cluster, 'streaming', 'PeerAuthentication', 'default')).mtls).toEqual({ mode: 'STRICT' });
    expect(fleet.find(cluster, 'streaming', 'AuthorizationPolicy', 'deny-by-default').spec ?? {}).toEqual({});
    const origin = spec(fleet.find(cluster, 'streaming', 'AuthorizationPolicy', 'rtmp-origin'));
    expect(origin.action).toBe('ALLOW');
    expect(origin.rules.flatMap((r: Any) => r.to[0].operation.ports)).toContain('1935');
    // The media port only from the streaming namespace (the edge), with an mTLS identity.
    const media = origin.rules.filter((r: Any) => r.to[0].operation.ports.includes(String(ORIGIN_MEDIA_PORT)));
    expect(media).toEqual([{ from: [{ source: { namespaces: ['streaming'] } }], to: [{ operation: { ports: [String(ORIGIN_MEDIA_PORT)] } }] }]);
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

  it('edge may reach the origin-http port, and the origin admits the edge there only (xiu\'s own HTTP ports stay in the pod)', () => {
    expect(policy('dev-k3d', 'edge-cache-egress').egress).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'rtmp-origin', 'app.kubernetes.io/name': 'rtmp-origin' } } }], ports: [{ port: ORIGIN_MEDIA_PORT, protocol: 'TCP' }] },
    ]);
    const origin = policy('dev-k3d', 'rtmp-origin-ingress').ingress;
    const fromEdge = origin.filter((r: Any) => r.from.some((p: Any) => p.podSelector?.matchLabels['app.kubernetes.io/name'] === 'edge-cache'));
    expect(fromEdge.map((r: Any) => r.ports)).toEqual([[{ port: ORIGIN_MEDIA_PORT, protocol: 'TCP' }]]);
    const admitted = origin.flatMap((r: Any) => r.ports.map((p: Any) => p.port));
    for (const internal of [8080, 8081, xiuContract().defaultApiPort]) expect(admitted).not.toContain(internal);
  });

  it('APIs may call exactly their dependencies', () => {
    const to = (app: string): string[] => policy('dev-k3d', `${app}-egress`).egress[0].to.map((p: Any) => p.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(to('ott-license')).toEqual(['ott-auth', 'ott-subscription']);
    expect(to('ott-catalog')).toEqual(['ott-auth']);
    expect(streaming('dev-k3d').some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ott-auth-egress')).toBe(false);
  });
});
