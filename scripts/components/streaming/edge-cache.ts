// CDN edge cache: nginx in front of every origin replica, and the only way viewers reach the origin: the public
// cdn., hls. and flv. hosts all route here, on load-balancer, ingress-tcp and mesh clusters alike.
//
// Finding a stream: a stream lives on the replica its publisher reached (rtmp-origin.ts). The edge resolves the
// headless Service `rtmp-origin-replicas` (all replica addresses, re-resolved every few seconds, so scaling is seen
// at once) and asks the replicas in turn; each replica's origin-http sidecar answers 404 for a stream it does not
// hold, and nginx moves on to the next (`proxy_next_upstream http_404`, every replica once). 404s are never cached.
//
// Caching: segment URIs name their publish session (origin-http.ts), so segments are immutable and cached long;
// two sessions of a stream can never share a cache entry. Playlists change every segment: cached for 1 s (up to 2 s:
// nginx counts whole seconds), and while one request refreshes a playlist the others get the cached one, so a
// playlist is at most PLAYLIST_STALE_BOUND_SECONDS old, less than one segment (xiu-contract.ts): a player never sees
// a playlist staler than its target duration. HTTP-FLV is
// passed through unbuffered and uncached.
//
// Under Istio the Host header is what the edge's sidecar routes by: it is set to the headless Service's name, whose
// Istio cluster forwards to the address nginx chose (ORIGINAL_DST) over mTLS. Access logs go over syslog on
// localhost to an exporter sidecar that turns them into EDGE_METRICS, labelled with the cache status.
import type { BaseContext, ClusterContext, Component, K8sObject } from '../component.ts';
import {
  configChecksumAnnotation,
  configMap,
  deployment,
  emptyDir,
  podDisruptionBudget,
  restrictedContainer,
  service,
  tlsIngress,
  toK8sResources,
} from '../builders.ts';
import { edgeKindRelabelYaml } from '../../monitoring/edge-traffic.ts';
import { EDGE_METRICS } from '../metrics.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { NGINX_TEMP_PATHS, nginxMainContext } from './nginx-unprivileged.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, permissivePorts, virtualService } from './mesh.ts';
import { FLV_IDLE_SECONDS, ORIGIN_MEDIA_PORT } from './origin-http.ts';

export { FLV_IDLE_SECONDS };
import { ORIGIN_REPLICAS_SERVICE, RTMP_ORIGIN } from './rtmp-origin.ts';
import { edgeSettings, onMesh, originSettings, streamingHosts, type EdgeSettings } from './settings.ts';
import { xiuContract } from './xiu-contract.ts';

export const EDGE_CACHE = 'edge-cache';
const NAMESPACE = stackNamespace('streaming');
const HTTP_PORT = 8080;
export const EDGE_METRICS_PORT = 4040;
/** nginx → exporter syslog, on the pod's loopback only. */
const SYSLOG_PORT = 5531;
const UID = 101; // the nginx-unprivileged image's user

/** The origin the edge proxies to: every replica, by the headless Service; a test checks it against the origin's. */
export const EDGE_UPSTREAM = {
  service: ORIGIN_REPLICAS_SERVICE,
  namespace: NAMESPACE,
  port: ORIGIN_MEDIA_PORT,
  host: `${ORIGIN_REPLICAS_SERVICE}.${NAMESPACE}.svc.cluster.local`,
} as const;
/** The cluster DNS Service (kube-dns is its name on every distribution, CoreDNS included). */
export const CLUSTER_RESOLVER = 'kube-dns.kube-system.svc.cluster.local';
/** How often the replica list is re-resolved: a new replica gets traffic, a removed one stops, within this + 1 s (nginx counts whole seconds). */
export const RESOLVE_VALID_SECONDS = 2;
/** Playlist freshness: cache lifetime and the bound on one refresh (all replicas tried). */
export const PLAYLIST_TTL_SECONDS = 1;
export const PLAYLIST_REFRESH_SECONDS = 2;
/** nginx counts cache validity in whole seconds: an entry cached for N s is served for up to N + 1 s. */
const NGINX_CLOCK_SECONDS = 1;
/** The oldest playlist a viewer can get: cached, then served stale while a refresh runs to its bound. */
export const PLAYLIST_STALE_BOUND_SECONDS = PLAYLIST_TTL_SECONDS + NGINX_CLOCK_SECONDS + PLAYLIST_REFRESH_SECONDS;

const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } },
};

/** Field order the exporter parses; `$upstream_cache_status` becomes the `cache_status` label. */
const LOG_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_cache_status $upstream_response_time $request_time';

const NAME = '[A-Za-z0-9_-]+';
const CORS_HEADERS = [
  '    add_header Access-Control-Allow-Origin * always;',
  '    add_header Access-Control-Allow-Methods "GET, HEAD, OPTIONS" always;',
  '    add_header Access-Control-Allow-Headers "Range, Origin, Accept" always;',
  '    add_header Access-Control-Expose-Headers "Content-Length, Content-Range, X-Cache-Status" always;',
];

export const edgeNginxConfig = (e: EdgeSettings): string => {
  // The stale bound must stay under the shortest segment xiu cuts, or a player could poll a playlist that is older
  // than its target duration.
  if (PLAYLIST_STALE_BOUND_SECONDS >= xiuContract().hlsSegmentSeconds) {
    throw new Error(`playlist stale bound ${PLAYLIST_STALE_BOUND_SECONDS}s >= segment length`);
  }
  return [
    ...nginxMainContext('auto', 4096),
    'http {',
    ...NGINX_TEMP_PATHS,
    `  log_format edge '${LOG_FORMAT}';`,
    `  access_log syslog:server=127.0.0.1:${SYSLOG_PORT},tag=nginx edge;`,
    '  error_log /dev/stderr warn;',
    '  sendfile on;',
    '  tcp_nopush on;',
    // A name in a variable is resolved per request with this resolver, so the replica list follows scaling.
    `  resolver ${CLUSTER_RESOLVER} valid=${RESOLVE_VALID_SECONDS}s ipv6=off;`,
    '  resolver_timeout 2s;',
    `  proxy_cache_path /var/cache/nginx/hls levels=1:2 keys_zone=hls:64m max_size=${e.cacheSize} inactive=10m use_temp_path=off;`,
    '  server {',
    `    listen ${HTTP_PORT};`,
    `    set $origin_replicas ${EDGE_UPSTREAM.host};`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    // Not the default ($proxy_host, with the port): Istio routes by the Service name.
    `    proxy_set_header Host ${EDGE_UPSTREAM.host};`,
    // "Not on this replica" is a 404: try the next replica, each once; a dead or starting replica likewise.
    '    proxy_next_upstream error timeout http_404 http_502 http_503 http_504;',
    '    proxy_next_upstream_tries 0;',
    '    proxy_connect_timeout 1s;',
    '    proxy_ignore_headers Cache-Control Expires Set-Cookie;',
    '    add_header X-Cache-Status $upstream_cache_status always;',
    ...CORS_HEADERS,
    '    location = /healthz { access_log off; return 200 "ok\\n"; }',
    `    location ~ "^/${NAME}/${NAME}/${NAME}\\.m3u8$" {`,
    '      if ($request_method = OPTIONS) { return 204; }',
    '      proxy_cache hls;',
    '      proxy_cache_key $uri;',
    `      proxy_cache_valid 200 ${PLAYLIST_TTL_SECONDS}s;`,
    '      proxy_cache_lock on;',
    `      proxy_cache_lock_timeout ${PLAYLIST_REFRESH_SECONDS}s;`,
    // Only while a refresh is in flight, which next_upstream_timeout bounds; never on errors.
    '      proxy_cache_use_stale updating;',
    `      proxy_next_upstream_timeout ${PLAYLIST_REFRESH_SECONDS}s;`,
    `      proxy_read_timeout ${PLAYLIST_REFRESH_SECONDS}s;`,
    `      proxy_pass http://$origin_replicas:${EDGE_UPSTREAM.port};`,
    '    }',
    `    location ~ "^/${NAME}/${NAME}/[0-9]+/[0-9]+\\.ts$" {`,
    '      if ($request_method = OPTIONS) { return 204; }',
    '      proxy_cache hls;',
    '      proxy_cache_key $uri;',
    `      proxy_cache_valid 200 ${e.segmentTtlSeconds}s;`,
    '      proxy_cache_lock on;',
    '      proxy_cache_lock_timeout 5s;',
    // Safe for segments: a URI's bytes never change.
    '      proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    '      proxy_next_upstream_timeout 10s;',
    `      proxy_pass http://$origin_replicas:${EDGE_UPSTREAM.port};`,
    '    }',
    `    location ~ "^/${NAME}/${NAME}\\.flv$" {`,
    '      if ($request_method = OPTIONS) { return 204; }',
    '      proxy_buffering off;',
    '      proxy_cache off;',
    `      proxy_read_timeout ${FLV_IDLE_SECONDS}s;`,
    `      proxy_send_timeout ${FLV_IDLE_SECONDS}s;`,
    '      proxy_next_upstream_timeout 5s;',
    `      proxy_pass http://$origin_replicas:${EDGE_UPSTREAM.port};`,
    '    }',
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');
};

/** prometheus-nginxlog-exporter: namespace `edge` yields EDGE_METRICS; cache status becomes a label. */
export const edgeExporterConfig = (): string =>
  [
    'listen:',
    `  port: ${EDGE_METRICS_PORT}`,
    '  address: "0.0.0.0"',
    '  metrics_endpoint: "/metrics"',
    'namespaces:',
    '  - name: edge',
    `    format: '${LOG_FORMAT}'`,
    '    source:',
    '      syslog:',
    `        listen_address: "udp://127.0.0.1:${SYSLOG_PORT}"`,
    '        format: "rfc3164"',
    '        tags: ["nginx"]',
    '    relabel_configs:',
    '      - target_label: cache_status',
    '        from: upstream_cache_status',
    ...edgeKindRelabelYaml('      '),
    '    histogram_buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]',
    '',
  ].join('\n');

const base = (ctx: BaseContext): K8sObject[] => {
  const config = edgeNginxConfig(edgeSettings(ctx.fleet));
  const exporter = edgeExporterConfig();
  return [
    configMap({
      name: `${EDGE_CACHE}-config`,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: EDGE_CACHE,
      data: { 'nginx.conf': config, 'exporter.yaml': exporter },
    }),
    deployment({
      name: EDGE_CACHE,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: UID,
      terminationGracePeriodSeconds: 30,
      podAnnotations: configChecksumAnnotation(config, exporter),
      containers: [
        {
          name: 'nginx',
          image: ctx.repository('nginx'),
          ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
          // Let the load balancer stop sending before nginx stops accepting.
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          resources: toK8sResources(defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
            { name: 'cache', mountPath: '/var/cache/nginx' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
        {
          name: 'log-exporter',
          image: ctx.repository('nginxlog-exporter'),
          args: ['-config-file', '/etc/exporter/exporter.yaml'],
          ports: [{ name: 'metrics', containerPort: EDGE_METRICS_PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/metrics', port: 'metrics' }, periodSeconds: 10 },
          livenessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 20, failureThreshold: 3 },
          resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: restrictedContainer(),
          volumeMounts: [{ name: 'config', mountPath: '/etc/exporter/exporter.yaml', subPath: 'exporter.yaml', readOnly: true }],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${EDGE_CACHE}-config` } },
        emptyDir('cache', '5Gi'),
        emptyDir('tmp', '256Mi'),
      ],
    }),
    service({
      name: EDGE_CACHE,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: EDGE_CACHE,
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: EDGE_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    }),
    podDisruptionBudget({ app: EDGE_CACHE, namespace: NAMESPACE, stack: 'streaming' }),
    serviceMonitor({ app: EDGE_CACHE, namespace: NAMESPACE, stack: 'streaming', port: 'metrics' }),
    allowIngress({
      app: EDGE_CACHE,
      namespace: NAMESPACE,
      rules: [
        // Viewers (and the k6 Job) come through the public host, i.e. the ingress controller or the Istio gateway.
        { from: [fromNamespace(INGRESS_NAMESPACE), fromNamespace(MESH_INGRESS_NAMESPACE)], ports: [HTTP_PORT] },
        { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [EDGE_METRICS_PORT] },
      ],
    }),
    allowEgress({ app: EDGE_CACHE, namespace: NAMESPACE, rules: [{ to: [fromApp(RTMP_ORIGIN)], ports: [ORIGIN_MEDIA_PORT] }] }),
  ];
};

const meshPolicies = (): K8sObject[] => [
  destinationRule({ app: EDGE_CACHE, service: EDGE_CACHE, maxConnections: 8192 }),
  permissivePorts({ app: EDGE_CACHE, ports: [EDGE_METRICS_PORT] }),
  authorizationPolicy({
    app: EDGE_CACHE,
    allows: [{ namespaces: [MESH_INGRESS_NAMESPACE, NAMESPACE], ports: [HTTP_PORT] }, { ports: [EDGE_METRICS_PORT] }],
  }),
];

/** HTTP-FLV through ingress-nginx: no buffering, and time out only when the stream stalls. */
const FLV_INGRESS_ANNOTATIONS = {
  'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
  'nginx.ingress.kubernetes.io/proxy-read-timeout': String(FLV_IDLE_SECONDS),
  'nginx.ingress.kubernetes.io/proxy-send-timeout': String(FLV_IDLE_SECONDS),
} as const;

/**
 * The public viewer hosts, all served by the edge. The hls./flv. objects keep the names they had when they pointed
 * at the origin: a renamed Ingress would be created while the old one still holds the host, which ingress-nginx's
 * admission webhook rejects, and prod does not prune.
 */
const cluster = (ctx: ClusterContext): K8sObject[] => {
  const o = originSettings(ctx.fleet);
  const hosts = streamingHosts(ctx.cluster.domain);
  const routes = [
    { name: EDGE_CACHE, host: hosts.cdn, stream: false },
    ...(o.hls ? [{ name: `${RTMP_ORIGIN}-hls`, host: hosts.hls, stream: false }] : []),
    ...(o.httpFlv ? [{ name: `${RTMP_ORIGIN}-flv`, host: hosts.flv, stream: true }] : []),
  ];
  if (onMesh(ctx.cluster)) {
    return routes.map((r) =>
      virtualService({ app: EDGE_CACHE, name: r.name, host: r.host, routes: [{ prefix: '/', service: EDGE_CACHE, port: 80, kind: r.stream ? 'stream' : 'media' }] }),
    );
  }
  return routes.map((r) =>
    tlsIngress({
      name: r.name,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: EDGE_CACHE,
      host: r.host,
      clusterIssuer: ctx.environment.clusterIssuer,
      serviceName: EDGE_CACHE,
      servicePort: 'http',
      // No CORS annotations: the edge sets CORS and cache headers itself, identically on mesh clusters.
      annotations: r.stream ? { ...FLV_INGRESS_ANNOTATIONS } : undefined,
    }),
  );
};

export const edgeCache: Component = {
  name: EDGE_CACHE,
  stack: 'streaming',
  description: 'nginx CDN edge: finds each stream\'s origin replica, caches HLS, passes HTTP-FLV through',
  requires: [],
  metrics: Object.values(EDGE_METRICS),
  images: [
    { image: 'nginx', via: 'transformer' },
    { image: 'nginxlog-exporter', via: 'transformer' },
  ],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: EDGE_CACHE,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  withCapability: { mesh: meshPolicies },
  cluster,
};
