// CDN edge cache: nginx in front of the origin's HLS. Playlists change every segment, so they are cached for
// half a segment; segments never change, so they are cached for long. One request per key fills the cache
// (cache lock) and stale entries are served while they refresh in the background (stale-while-revalidate), so a
// viewer spike never stampedes the origin. Access logs go over syslog on localhost to an exporter sidecar that
// turns them into EDGE_METRICS, labelled with the cache status.
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
import { EDGE_METRICS } from '../metrics.ts';
import { serviceMonitor } from '../monitors.ts';
import { allowEgress, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, permissivePorts, virtualService } from './mesh.ts';
import { HLS_PORT, RTMP_ORIGIN } from './rtmp-origin.ts';
import { edgeSettings, onMesh, originSettings, streamingHosts, type EdgeSettings } from './settings.ts';

export const EDGE_CACHE = 'edge-cache';
const NAMESPACE = stackNamespace('streaming');
const HTTP_PORT = 8080;
export const EDGE_METRICS_PORT = 4040;
/** nginx → exporter syslog, on the pod's loopback only. */
const SYSLOG_PORT = 5531;
const UID = 101; // the nginx-unprivileged image's user

/** The origin Service the edge proxies to; a test checks it equals the origin's rendered Service. */
export const EDGE_UPSTREAM = { service: RTMP_ORIGIN, namespace: NAMESPACE, port: HLS_PORT } as const;

const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } },
};

/** Field order the exporter parses; `$upstream_cache_status` becomes the `cache_status` label. */
const LOG_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_cache_status $upstream_response_time';

export const edgeNginxConfig = (e: EdgeSettings, segmentSeconds: number): string => {
  const upstream = `${EDGE_UPSTREAM.service}.${EDGE_UPSTREAM.namespace}.svc.cluster.local:${EDGE_UPSTREAM.port}`;
  // A playlist older than half a segment may miss the newest one; players poll about once per segment.
  const playlistTtl = Math.max(1, Math.floor(segmentSeconds / 2));
  return [
    'worker_processes auto;',
    'pid /tmp/nginx.pid;',
    'events { worker_connections 4096; }',
    'http {',
    '  client_body_temp_path /tmp/client_temp;',
    '  proxy_temp_path /tmp/proxy_temp;',
    '  fastcgi_temp_path /tmp/fastcgi_temp;',
    '  uwsgi_temp_path /tmp/uwsgi_temp;',
    '  scgi_temp_path /tmp/scgi_temp;',
    `  log_format edge '${LOG_FORMAT}';`,
    `  access_log syslog:server=127.0.0.1:${SYSLOG_PORT},tag=nginx edge;`,
    '  error_log /dev/stderr warn;',
    '  sendfile on;',
    '  tcp_nopush on;',
    `  proxy_cache_path /var/cache/nginx/hls levels=1:2 keys_zone=hls:64m max_size=${e.cacheSize} inactive=10m use_temp_path=off;`,
    `  upstream origin { server ${upstream}; keepalive 32; }`,
    '  server {',
    `    listen ${HTTP_PORT};`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_cache hls;',
    '    proxy_cache_key $uri;',
    '    proxy_cache_lock on;',
    '    proxy_cache_lock_timeout 5s;',
    '    proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    '    proxy_cache_background_update on;',
    '    proxy_ignore_headers Cache-Control Expires Set-Cookie;',
    '    add_header X-Cache-Status $upstream_cache_status always;',
    '    add_header Access-Control-Allow-Origin * always;',
    '    add_header Access-Control-Allow-Methods "GET, HEAD, OPTIONS" always;',
    '    add_header Access-Control-Allow-Headers "Range, Origin, Accept" always;',
    '    add_header Access-Control-Expose-Headers "Content-Length, Content-Range, X-Cache-Status" always;',
    '    location = /healthz { access_log off; return 200 "ok\\n"; }',
    '    location ~ \\.m3u8$ {',
    '      if ($request_method = OPTIONS) { return 204; }',
    `      proxy_cache_valid 200 ${playlistTtl}s;`,
    '      proxy_cache_valid 404 1s;',
    '      proxy_pass http://origin;',
    '    }',
    '    location ~ \\.(ts|m4s|mp4|aac)$ {',
    '      if ($request_method = OPTIONS) { return 204; }',
    `      proxy_cache_valid 200 ${e.segmentTtlSeconds}s;`,
    '      proxy_cache_valid 404 1s;',
    '      proxy_pass http://origin;',
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
    '    histogram_buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]',
    '',
  ].join('\n');

const base = (ctx: BaseContext): K8sObject[] => {
  const config = edgeNginxConfig(edgeSettings(ctx.fleet), originSettings(ctx.fleet).segmentSeconds);
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
    allowEgress({ app: EDGE_CACHE, namespace: NAMESPACE, rules: [{ to: [fromApp(RTMP_ORIGIN)], ports: [HLS_PORT] }] }),
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

const cluster = (ctx: ClusterContext): K8sObject[] => {
  const host = streamingHosts(ctx.cluster.domain).cdn;
  if (onMesh(ctx.cluster)) {
    return [
      virtualService({ app: EDGE_CACHE, host, routes: [{ prefix: '/', service: EDGE_CACHE, port: 80, kind: 'media' }] }),
    ];
  }
  return [
    tlsIngress({
      name: EDGE_CACHE,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: EDGE_CACHE,
      host,
      clusterIssuer: ctx.environment.clusterIssuer,
      serviceName: EDGE_CACHE,
      servicePort: 'http',
      // No CORS annotations: the edge sets CORS and cache headers itself, identically on mesh clusters.
    }),
  ];
};

export const edgeCache: Component = {
  name: EDGE_CACHE,
  stack: 'streaming',
  description: 'nginx CDN edge cache in front of the origin HLS',
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
