// CDN edge cache: nginx in front of the origin's HLS. Playlists change every segment, so they are cached
// for seconds; segments never change, so they are cached for long. One request per key fills the cache
// (cache lock) and stale entries are served while they refresh, so a viewer spike never stampedes the origin.
import type { BaseContext, Component, K8sObject } from '../component.ts';
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
import { allowEgress, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { HLS_PORT, RTMP_ORIGIN } from './rtmp-origin.ts';

export const EDGE_CACHE = 'edge-cache';
const NAMESPACE = stackNamespace('streaming');
const HTTP_PORT = 8080;
const UID = 101; // the nginx-unprivileged image's user

/** The origin Service the edge proxies to; a test checks it equals the origin's rendered Service. */
export const EDGE_UPSTREAM = { service: RTMP_ORIGIN, namespace: NAMESPACE, port: HLS_PORT } as const;

const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } },
};

export const edgeNginxConfig = (): string => {
  const upstream = `${EDGE_UPSTREAM.service}.${EDGE_UPSTREAM.namespace}.svc.cluster.local:${EDGE_UPSTREAM.port}`;
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
    '  access_log /dev/stdout;',
    '  error_log /dev/stderr warn;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  proxy_cache_path /var/cache/nginx/hls levels=1:2 keys_zone=hls:64m max_size=4g inactive=10m use_temp_path=off;',
    `  upstream origin { server ${upstream}; keepalive 32; }`,
    '  server {',
    `    listen ${HTTP_PORT};`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_cache hls;',
    '    proxy_cache_lock on;',
    '    proxy_cache_lock_timeout 5s;',
    '    proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    '    proxy_cache_background_update on;',
    '    add_header X-Cache-Status $upstream_cache_status always;',
    '    add_header Access-Control-Allow-Origin * always;',
    '    location = /healthz { access_log off; return 200 "ok\\n"; }',
    '    location ~ \\.m3u8$ {',
    '      proxy_cache_valid 200 2s;',
    '      proxy_pass http://origin;',
    '    }',
    '    location ~ \\.(ts|m4s|mp4|aac)$ {',
    '      proxy_cache_valid 200 10m;',
    '      proxy_pass http://origin;',
    '    }',
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');
};

const base = (ctx: BaseContext): K8sObject[] => {
  const config = edgeNginxConfig();
  return [
    configMap({ name: `${EDGE_CACHE}-config`, namespace: NAMESPACE, stack: 'streaming', app: EDGE_CACHE, data: { 'nginx.conf': config } }),
    deployment({
      name: EDGE_CACHE,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: UID,
      terminationGracePeriodSeconds: 30,
      podAnnotations: configChecksumAnnotation(config),
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
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    }),
    podDisruptionBudget({ app: EDGE_CACHE, namespace: NAMESPACE, stack: 'streaming' }),
    allowIngress({
      app: EDGE_CACHE,
      namespace: NAMESPACE,
      rules: [{ from: [fromNamespace(INGRESS_NAMESPACE)], ports: [HTTP_PORT] }],
    }),
    allowEgress({ app: EDGE_CACHE, namespace: NAMESPACE, rules: [{ to: [fromApp(RTMP_ORIGIN)], ports: [HLS_PORT] }] }),
  ];
};

export const edgeCache: Component = {
  name: EDGE_CACHE,
  stack: 'streaming',
  description: 'nginx CDN edge cache in front of the origin HLS',
  requires: [],
  images: [{ image: 'nginx', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: EDGE_CACHE,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  cluster: ({ cluster, environment }) => [
    tlsIngress({
      name: EDGE_CACHE,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: EDGE_CACHE,
      host: `cdn.${cluster.domain}`,
      clusterIssuer: environment.clusterIssuer,
      serviceName: EDGE_CACHE,
      servicePort: 'http',
    }),
  ],
};
