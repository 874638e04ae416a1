// RTMP ingest origin (xiu): publishers push RTMP on 1935 (token-checked, see ingest-auth.ts) through a TCP load
// balancer or the ingress controller's TCP map; viewers pull HLS and HTTP-FLV through the CDN edge and the public
// hls./flv. hosts, which never need the publish token. Config is generated into a ConfigMap from the inventory.
import { publicStreamingAppHosts } from '../http-service.ts';
import type { IService } from 'kubernetes-models/v1/Service';
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
import { loadBalancerAnnotations } from '../load-balancer.ts';
import { ORIGIN_METRICS } from '../metrics.ts';
import { serviceMonitor } from '../monitors.ts';
import { ANYWHERE, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { ingestSecret, RENDERED_CONFIG_DIR, renderConfigInit, renderedConfigVolume, TOKEN_PLACEHOLDER } from './ingest-auth.ts';
import { authorizationPolicy, destinationRule, MESH_INGRESS_NAMESPACE, meshGateway, meshNamespacePatch, meshNamespacePolicies, permissivePorts, virtualService } from './mesh.ts';
import { onMesh, originSettings, rtmpExposure, streamingHosts, type OriginSettings } from './settings.ts';

export const RTMP_ORIGIN = 'rtmp-origin';
/** The RTMP Service; ingress-nginx's TCP map on ingress-tcp clusters points at `streaming/rtmp-origin-rtmp:1935`. */
export const RTMP_SERVICE = `${RTMP_ORIGIN}-rtmp`;
export const RTMP_PORT = 1935;
export const HLS_PORT = 8080;
export const FLV_PORT = 8081;
/** xiu's HTTP API: only the exporter sidecar reads it, over localhost. */
export const XIU_API_PORT = 8000;
export const ORIGIN_METRICS_PORT = 9102;
const NAMESPACE = stackNamespace('streaming');
const CONFIG_DIR = '/etc/xiu';
const UID = 10001;
/** Browser players fetch from another origin (play./cdn. hosts). */
export const CORS_ANNOTATIONS = {
  'nginx.ingress.kubernetes.io/enable-cors': 'true',
  'nginx.ingress.kubernetes.io/cors-allow-methods': 'GET, HEAD, OPTIONS',
  'nginx.ingress.kubernetes.io/cors-allow-origin': '*',
  'nginx.ingress.kubernetes.io/cors-allow-headers': 'Range, Origin, Accept',
  'nginx.ingress.kubernetes.io/cors-expose-headers': 'Content-Length, Content-Range',
} as const;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

/**
 * xiu's TOML configuration; HLS and HTTP-FLV on their own ports so each can be routed and scaled apart. With
 * ingest auth, push needs `?token=` equal to the `[authsecret]` password (a placeholder here, see ingest-auth.ts);
 * pull (viewing) never does.
 */
export const xiuConfig = (o: OriginSettings): string =>
  [
    '[rtmp]',
    'enabled = true',
    `port = ${RTMP_PORT}`,
    '# GOPs cached for instant playback start',
    `gop_num = ${o.gopCache}`,
    ...(o.ingestAuth.enabled ? ['[rtmp.auth]', 'pull_enabled = false', 'push_enabled = true', 'algorithm = "simple"'] : []),
    '',
    '[httpflv]',
    `enabled = ${o.httpFlv}`,
    `port = ${FLV_PORT}`,
    '',
    '# Segments are cut on keyframes: publishers set their keyframe interval to the target segment length.',
    `# target segment length: ${o.segmentSeconds}s`,
    '[hls]',
    `enabled = ${o.hls}`,
    `port = ${HLS_PORT}`,
    'need_record = false',
    '',
    '[httpapi]',
    `port = ${XIU_API_PORT}`,
    '',
    ...(o.ingestAuth.enabled ? ['[authsecret]', 'key = ""', `password = "${TOKEN_PLACEHOLDER}"`, ''] : []),
    '[log]',
    `level = "${o.logLevel}"`,
    '',
  ].join('\n');

const base = (ctx: BaseContext): K8sObject[] => {
  const o = originSettings(ctx.fleet);
  const config = xiuConfig(o);
  const auth = o.ingestAuth.enabled;
  const configFile = `${auth ? RENDERED_CONFIG_DIR : CONFIG_DIR}/config.toml`;
  const mediaPorts = [...(o.hls ? [HLS_PORT] : []), ...(o.httpFlv ? [FLV_PORT] : [])];
  return [
    configMap({ name: `${RTMP_ORIGIN}-config`, namespace: NAMESPACE, stack: 'streaming', app: RTMP_ORIGIN, data: { 'config.toml': config } }),
    ...(auth ? [ingestSecret({ app: RTMP_ORIGIN, namespace: NAMESPACE, remoteKey: o.ingestAuth.remoteKey })] : []),
    deployment({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: UID,
      // Publishers reconnect on their own, but give in-flight segments time to be fetched.
      terminationGracePeriodSeconds: 30,
      podAnnotations: configChecksumAnnotation(config),
      initContainers: auth ? [renderConfigInit({ image: ctx.repository('nginx'), configDir: CONFIG_DIR })] : undefined,
      containers: [
        {
          name: 'xiu',
          image: ctx.repository('xiu'),
          args: ['-c', configFile],
          ports: [
            { name: 'rtmp', containerPort: RTMP_PORT, protocol: 'TCP' },
            { name: 'hls', containerPort: HLS_PORT, protocol: 'TCP' },
            { name: 'flv', containerPort: FLV_PORT, protocol: 'TCP' },
          ],
          startupProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 2, failureThreshold: 30 },
          readinessProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 5, failureThreshold: 3 },
          // Liveness on the HLS listener, but TCP: xiu's HLS server answers 404 to every path that is not a live
          // playlist or segment (there is no health path), so an httpGet would restart idle origins forever; and
          // its HTTP API listens on localhost only, out of the kubelet's reach.
          livenessProbe: { tcpSocket: { port: o.hls ? 'hls' : o.httpFlv ? 'flv' : 'rtmp' }, periodSeconds: 10, failureThreshold: 6 },
          resources: toK8sResources(defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            ...(auth ? [{ name: 'rendered-config', mountPath: RENDERED_CONFIG_DIR, readOnly: true }] : []),
            { name: 'hls-segments', mountPath: '/var/lib/xiu' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
          workingDir: '/var/lib/xiu',
        },
        {
          // Turns xiu's HTTP API into Prometheus metrics (ORIGIN_METRICS).
          name: 'exporter',
          image: ctx.repository('xiu-exporter'),
          args: [`--xiu-api=http://127.0.0.1:${XIU_API_PORT}`, `--listen=:${ORIGIN_METRICS_PORT}`],
          ports: [{ name: 'metrics', containerPort: ORIGIN_METRICS_PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/metrics', port: 'metrics' }, periodSeconds: 10 },
          livenessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 20, failureThreshold: 3 },
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
          securityContext: restrictedContainer(),
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${RTMP_ORIGIN}-config` } },
        ...(auth ? [renderedConfigVolume()] : []),
        emptyDir('hls-segments', '2Gi'),
        emptyDir('tmp', '64Mi'),
      ],
    }),
    // Viewing (HLS/FLV) is a ClusterIP Service, reached only through the edge and the ingress; RTMP has its own.
    service({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      ports: [
        // appProtocol tells Istio's sidecars these are HTTP (port names alone would leave them to sniffing).
        { name: 'hls', port: HLS_PORT, targetPort: 'hls', protocol: 'TCP', appProtocol: 'http' },
        { name: 'flv', port: FLV_PORT, targetPort: 'flv', protocol: 'TCP', appProtocol: 'http' },
        { name: 'metrics', port: ORIGIN_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    }),
    podDisruptionBudget({ app: RTMP_ORIGIN, namespace: NAMESPACE, stack: 'streaming' }),
    serviceMonitor({ app: RTMP_ORIGIN, namespace: NAMESPACE, stack: 'streaming', port: 'metrics' }),
    allowIngress({
      app: RTMP_ORIGIN,
      namespace: NAMESPACE,
      rules: [
        // Publishers: straight from the load balancer (client address kept), or via ingress-nginx's TCP map.
        { from: [ANYWHERE, fromNamespace(INGRESS_NAMESPACE)], ports: [RTMP_PORT] },
        {
          from: [fromNamespace(INGRESS_NAMESPACE), fromNamespace(MESH_INGRESS_NAMESPACE), fromApp('edge-cache')],
          ports: mediaPorts,
        },
        { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [ORIGIN_METRICS_PORT] },
      ].filter((r) => r.ports.length > 0),
    }),
  ];
};

/** RTMP Service: its own TCP load balancer, or a ClusterIP the ingress controller's TCP map forwards to. */
const rtmpService = ({ cluster }: ClusterContext): IService & K8sObject => {
  const viaLoadBalancer = rtmpExposure(cluster) === 'load-balancer';
  const annotations = viaLoadBalancer ? loadBalancerAnnotations(cluster.loadBalancer) : {};
  const svc = service({
    name: RTMP_SERVICE,
    namespace: NAMESPACE,
    stack: 'streaming',
    app: RTMP_ORIGIN,
    type: viaLoadBalancer ? 'LoadBalancer' : 'ClusterIP',
    // Local keeps the publisher's address and avoids a second hop.
    externalTrafficPolicy: viaLoadBalancer ? 'Local' : undefined,
    ports: [{ name: 'rtmp', port: RTMP_PORT, targetPort: 'rtmp', protocol: 'TCP', appProtocol: 'tcp' }],
  });
  return Object.keys(annotations).length > 0 ? { ...svc, metadata: { ...svc.metadata, annotations } } : svc;
};

const meshObjects = (ctx: ClusterContext): K8sObject[] => {
  const o = originSettings(ctx.fleet);
  const hosts = streamingHosts(ctx.cluster.domain);
  // The gateway lives with the origin: the stack's one always-present component.
  return [
    ...meshGateway({
      hosts: [hosts.api, hosts.cdn, hosts.play, ...(o.hls ? [hosts.hls] : []), ...(o.httpFlv ? [hosts.flv] : []), ...publicStreamingAppHosts(ctx.fleet, ctx.cluster.domain)],
      clusterIssuer: ctx.environment.clusterIssuer,
    }),
    ...(o.hls ? [virtualService({ app: RTMP_ORIGIN, name: `${RTMP_ORIGIN}-hls`, host: hosts.hls, routes: [{ prefix: '/', service: RTMP_ORIGIN, port: HLS_PORT, kind: 'media' }] })] : []),
    ...(o.httpFlv ? [virtualService({ app: RTMP_ORIGIN, name: `${RTMP_ORIGIN}-flv`, host: hosts.flv, routes: [{ prefix: '/', service: RTMP_ORIGIN, port: FLV_PORT, kind: 'media' }] })] : []),
  ];
};

/** Namespace-wide policies (the origin is the stack's one always-present component) and the origin's own. */
const meshPolicies = (): K8sObject[] => [
    ...meshNamespacePolicies(),
    destinationRule({ app: RTMP_ORIGIN, service: RTMP_ORIGIN, maxConnections: 4096 }),
    permissivePorts({ app: RTMP_ORIGIN, ports: [RTMP_PORT, ORIGIN_METRICS_PORT] }),
    authorizationPolicy({
      app: RTMP_ORIGIN,
      allows: [
        { ports: [RTMP_PORT, ORIGIN_METRICS_PORT] },
        { namespaces: [MESH_INGRESS_NAMESPACE, NAMESPACE], ports: [HLS_PORT, FLV_PORT] },
      ],
    }),
];

const nginxIngresses = ({ cluster, environment, fleet }: ClusterContext): K8sObject[] => {
  const o = originSettings(fleet);
  const hosts = streamingHosts(cluster.domain);
  return [
    ...(o.hls
      ? [
          tlsIngress({
            name: `${RTMP_ORIGIN}-hls`,
            namespace: NAMESPACE,
            stack: 'streaming',
            app: RTMP_ORIGIN,
            host: hosts.hls,
            clusterIssuer: environment.clusterIssuer,
            serviceName: RTMP_ORIGIN,
            servicePort: 'hls',
            annotations: { ...CORS_ANNOTATIONS },
          }),
        ]
      : []),
    ...(o.httpFlv
      ? [
          tlsIngress({
            name: `${RTMP_ORIGIN}-flv`,
            namespace: NAMESPACE,
            stack: 'streaming',
            app: RTMP_ORIGIN,
            host: hosts.flv,
            clusterIssuer: environment.clusterIssuer,
            serviceName: RTMP_ORIGIN,
            servicePort: 'flv',
            // HTTP-FLV is one long response: no buffering, hour-long read/send timeouts.
            annotations: {
              ...CORS_ANNOTATIONS,
              'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
              'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
              'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
            },
          }),
        ]
      : []),
  ];
};

export const rtmpOrigin: Component = {
  name: RTMP_ORIGIN,
  stack: 'streaming',
  description: 'RTMP ingest origin (xiu) serving HLS and HTTP-FLV',
  requires: [],
  metrics: Object.values(ORIGIN_METRICS),
  images: [
    { image: 'xiu', via: 'transformer' },
    { image: 'xiu-exporter', via: 'transformer' },
    // The config-render init container.
    { image: 'nginx', via: 'transformer' },
  ],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: RTMP_ORIGIN,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  withCapability: { mesh: meshPolicies },
  cluster: (ctx) => [rtmpService(ctx), ...(onMesh(ctx.cluster) ? meshObjects(ctx) : nginxIngresses(ctx))],
  clusterPatches: ({ cluster }) => (onMesh(cluster) ? [meshNamespacePatch()] : []),
};
