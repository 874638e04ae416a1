// The web player: an hls.js page served by unprivileged nginx on play.<cluster domain>. The page is per cluster
// (it plays from that cluster's CDN host), so its ConfigMap is a cluster object and the pod template carries a
// checksum of it (a cluster patch) so a changed page rolls the pods.
import type { ClusterContext, Component, JsonPatch, K8sObject } from '../component.ts';
import { configChecksumAnnotation, configMap, deployment, emptyDir, podDisruptionBudget, restrictedContainer, service, tlsIngress, toK8sResources } from '../builders.ts';
import { allowIngress, fromNamespace, INGRESS_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { NGINX_TEMP_PATHS, nginxMainContext } from './nginx-unprivileged.ts';
import { loadTestObjects, loadTestPatch, LOAD_TEST } from './load-test.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, virtualService } from './mesh.ts';
import { onMesh, streamingHosts } from './settings.ts';

export const PLAYER = 'player';
const NAMESPACE = stackNamespace('streaming');
const HTTP_PORT = 8080;
const UID = 101;
/** hls.js release the page loads (pinned, with subresource integrity left to the CDN's immutable URL). */
export const HLS_JS_URL = 'https://cdn.jsdelivr.net/npm/hls.js@1.5.17/dist/hls.min.js';
const PAGE_CONFIG = `${PLAYER}-page`;

const defaults = {
  replicas: 2,
  resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } },
};

const NGINX_CONF = [
  ...nginxMainContext(1, 1024),
  'http {',
  '  include /etc/nginx/mime.types;',
  ...NGINX_TEMP_PATHS,
  '  access_log /dev/stdout;',
  '  error_log /dev/stderr warn;',
  '  server {',
  `    listen ${HTTP_PORT};`,
  '    root /usr/share/nginx/html;',
  '    location = /healthz { access_log off; return 200 "ok\\n"; }',
  '    location / { try_files $uri /index.html; add_header Cache-Control "no-cache"; }',
  '  }',
  '}',
  '',
].join('\n');

/** The page: `?stream=<name>` picks the live stream (default `test`), played from the cluster's CDN edge. */
export const playerPage = (cdnHost: string): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    '  <title>streamfleet player</title>',
    `  <script src="${HLS_JS_URL}"></script>`,
    '  <style>body{font-family:sans-serif;margin:2rem}video{width:100%;max-width:960px;background:#000}</style>',
    '</head>',
    '<body>',
    '  <video id="video" controls autoplay muted playsinline></video>',
    '  <p id="source"></p>',
    '  <script>',
    `    const cdn = 'https://${cdnHost}';`,
    "    const stream = new URLSearchParams(location.search).get('stream') || 'test';",
    '    const src = `${cdn}/live/${stream}/${stream}.m3u8`;',
    "    document.getElementById('source').textContent = src;",
    "    const video = document.getElementById('video');",
    '    if (window.Hls && Hls.isSupported()) {',
    '      const hls = new Hls({ lowLatencyMode: true, liveSyncDurationCount: 3 });',
    '      hls.loadSource(src);',
    '      hls.attachMedia(video);',
    "    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {",
    '      video.src = src;',
    '    }',
    '  </script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

const playerObjects = (ctx: { repository: (image: string) => string }): K8sObject[] => [
  configMap({ name: `${PLAYER}-nginx`, namespace: NAMESPACE, stack: 'streaming', app: PLAYER, data: { 'nginx.conf': NGINX_CONF } }),
  deployment({
    name: PLAYER,
    namespace: NAMESPACE,
    stack: 'streaming',
    uid: UID,
    terminationGracePeriodSeconds: 15,
    containers: [
      {
        name: 'nginx',
        image: ctx.repository('nginx'),
        ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        resources: toK8sResources(defaults.resources),
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'nginx', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
          { name: 'page', mountPath: '/usr/share/nginx/html', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ],
    volumes: [
      { name: 'nginx', configMap: { name: `${PLAYER}-nginx` } },
      { name: 'page', configMap: { name: PAGE_CONFIG } },
      emptyDir('tmp', '32Mi'),
    ],
  }),
  service({ name: PLAYER, namespace: NAMESPACE, stack: 'streaming', app: PLAYER, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
  podDisruptionBudget({ app: PLAYER, namespace: NAMESPACE, stack: 'streaming' }),
  allowIngress({
    app: PLAYER,
    namespace: NAMESPACE,
    rules: [{ from: [fromNamespace(INGRESS_NAMESPACE), fromNamespace(MESH_INGRESS_NAMESPACE)], ports: [HTTP_PORT] }],
  }),
];

const base = (ctx: { repository: (image: string) => string }): K8sObject[] => [...playerObjects(ctx), ...loadTestObjects(ctx)];

const cluster = (ctx: ClusterContext): K8sObject[] => {
  const hosts = streamingHosts(ctx.cluster.domain);
  const page = configMap({ name: PAGE_CONFIG, namespace: NAMESPACE, stack: 'streaming', app: PLAYER, data: { 'index.html': playerPage(hosts.cdn) } });
  const route = onMesh(ctx.cluster)
    ? [
        virtualService({ app: PLAYER, host: hosts.play, routes: [{ prefix: '/', service: PLAYER, port: 80, kind: 'api' }] }),
      ]
    : [
        tlsIngress({
          name: PLAYER,
          namespace: NAMESPACE,
          stack: 'streaming',
          app: PLAYER,
          host: hosts.play,
          clusterIssuer: ctx.environment.clusterIssuer,
          serviceName: PLAYER,
          servicePort: 'http',
        }),
      ];
  return [page, ...route];
};

const clusterPatches = (ctx: ClusterContext): JsonPatch[] => [
  loadTestPatch(ctx),
  {
    target: { group: 'apps', version: 'v1', kind: 'Deployment', name: PLAYER },
    ops: [
      {
        op: 'add',
        path: '/spec/template/metadata/annotations',
        value: configChecksumAnnotation(NGINX_CONF, playerPage(streamingHosts(ctx.cluster.domain).cdn)),
      },
    ],
  },
];

export const player: Component = {
  name: PLAYER,
  stack: 'streaming',
  description: `hls.js web player on play.<domain>; also owns the on-demand k6 load test (${LOAD_TEST})`,
  requires: [],
  images: [
    { image: 'nginx', via: 'transformer' },
    { image: 'k6', via: 'transformer' },
  ],
  workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: PLAYER, resourcesPath: '/spec/template/spec/containers/0/resources', replicasVia: 'transformer' },
  defaults,
  base,
  withCapability: {
    mesh: () => [
      destinationRule({ app: PLAYER, service: PLAYER, maxConnections: 1024 }),
      authorizationPolicy({ app: PLAYER, allows: [{ namespaces: [MESH_INGRESS_NAMESPACE], ports: [HTTP_PORT] }] }),
    ],
  },
  cluster,
  clusterPatches,
};
