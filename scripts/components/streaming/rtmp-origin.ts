// RTMP ingest origin (xiu): publishers push RTMP on 1935 (token-checked, see ingest-auth.ts) through a TCP load
// balancer or the ingress controller's TCP map, and land on any replica. Viewers never reach xiu directly: every
// public host (cdn., hls., flv.) goes to the CDN edge, which finds the replica holding a stream by asking each one
// through the headless Service `rtmp-origin-replicas`, where every pod answers on its origin-http sidecar
// (origin-http.ts). Config is generated into a ConfigMap from the inventory, against the facts of xiu-contract.ts.
//
// Multi-replica design, and why: xiu 0.13 can relay (rtmp push/pull), but only to one static address for all
// streams, so replicas cannot hand a stream to "its" replica; and a TCP load balancer cannot place a publisher by
// stream key (the key is inside the RTMP session). So a stream lives on whichever replica its publisher reached,
// and the edge locates it: a 404 from a replica's sidecar means "not here", and nginx tries the next replica.
// Trade-offs: a cache miss at the edge costs up to one request per replica (only for playlists and segments the
// edge does not have yet, a few per stream and second); a rollout or scale-in moves the publishers of the removed
// replica (origin-drain.ts).
import { publicStreamingAppHosts } from '../http-service.ts';
import type { IService } from 'kubernetes-models/v1/Service';
import type { BaseContext, ClusterContext, Component, K8sObject } from '../component.ts';
import type { Autoscaling } from '../../inventory/schema.ts';
import {
  configChecksumAnnotation,
  configMap,
  deployment,
  emptyDir,
  headlessService,
  podDisruptionBudget,
  restrictedContainer,
  service,
  toK8sResources,
} from '../builders.ts';
import { loadBalancerAnnotations } from '../load-balancer.ts';
import { ORIGIN_METRICS } from '../metrics.ts';
import { serviceMonitor } from '../monitors.ts';
import { ANYWHERE, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';
import { DEFAULT_PACE, horizontalPodAutoscaler } from '../scaling.ts';
import { ingestSecret, RENDERED_CONFIG_DIR, renderConfigInit, renderedConfigVolume, TOKEN_PLACEHOLDER } from './ingest-auth.ts';
import { authorizationPolicy, destinationRule, meshGateway, meshNamespacePatch, meshNamespacePolicies, permissivePorts } from './mesh.ts';
import { drainScript, originScaleDownPolicy, terminationGraceSeconds } from './origin-drain.ts';
import { ORIGIN_MEDIA_PORT, originHttpContainer, originHttpNginxConfig, originHttpScript, XIU_WORKDIR } from './origin-http.ts';
import { onMesh, originSettings, rtmpExposure, streamingHosts, type OriginSettings } from './settings.ts';
import { xiuContract } from './xiu-contract.ts';

export const RTMP_ORIGIN = 'rtmp-origin';
/** The RTMP Service; ingress-nginx's TCP map on ingress-tcp clusters points at `streaming/rtmp-origin-rtmp:1935`. */
export const RTMP_SERVICE = `${RTMP_ORIGIN}-rtmp`;
/** Headless: one DNS answer per replica, which is how the edge reaches each replica's origin-http sidecar. */
export const ORIGIN_REPLICAS_SERVICE = `${RTMP_ORIGIN}-replicas`;
export const RTMP_PORT = 1935;
export const HLS_PORT = 8080;
export const FLV_PORT = 8081;
/** xiu's HTTP API (it binds every address, so the NetworkPolicy keeps it in the pod): the sidecars read it. */
export const XIU_API_PORT = xiuContract().defaultApiPort;
export const ORIGIN_METRICS_PORT = 9102;
const NAMESPACE = stackNamespace('streaming');
const CONFIG_DIR = '/etc/xiu';
const ORIGIN_HTTP_CONFIG = `${RTMP_ORIGIN}-http`;
const UID = 10001;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

/**
 * xiu's TOML configuration (keys: xiu-contract.ts). HLS and HTTP-FLV listen on their own ports, which only the
 * origin-http sidecar uses. With ingest auth, push needs `?token=` equal to the `[authsecret]` password (a
 * placeholder here, see ingest-auth.ts); pull (viewing) never does. `[authsecret]` is written either way: xiu
 * requires the table and does not start without it.
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
    `# Segments are cut at the first keyframe after ${xiuContract().hlsSegmentSeconds} s; xiu has no setting for it.`,
    '[hls]',
    `enabled = ${o.hls}`,
    `port = ${HLS_PORT}`,
    'need_record = false',
    '',
    '[httpapi]',
    `port = ${XIU_API_PORT}`,
    '',
    '[authsecret]',
    'key = ""',
    `password = "${o.ingestAuth.enabled ? TOKEN_PLACEHOLDER : ''}"`,
    '',
    '[log]',
    `level = "${o.logLevel}"`,
    '',
  ].join('\n');

const ORIGIN_HTTP_PORTS = { api: XIU_API_PORT, flv: FLV_PORT } as const;

const base = (ctx: BaseContext): K8sObject[] => {
  const o = originSettings(ctx.fleet);
  const config = xiuConfig(o);
  const httpConfig = { 'nginx.conf': originHttpNginxConfig(ORIGIN_HTTP_PORTS), 'origin.js': originHttpScript(ORIGIN_HTTP_PORTS) };
  const auth = o.ingestAuth.enabled;
  const configFile = `${auth ? RENDERED_CONFIG_DIR : CONFIG_DIR}/config.toml`;
  const xiu = xiuContract();
  return [
    configMap({ name: `${RTMP_ORIGIN}-config`, namespace: NAMESPACE, stack: 'streaming', app: RTMP_ORIGIN, data: { 'config.toml': config } }),
    configMap({ name: ORIGIN_HTTP_CONFIG, namespace: NAMESPACE, stack: 'streaming', app: RTMP_ORIGIN, data: httpConfig }),
    ...(auth ? [ingestSecret({ app: RTMP_ORIGIN, namespace: NAMESPACE, remoteKey: o.ingestAuth.remoteKey })] : []),
    deployment({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: UID,
      terminationGracePeriodSeconds: terminationGraceSeconds(o.drainSeconds),
      podAnnotations: configChecksumAnnotation(config, httpConfig['nginx.conf'], httpConfig['origin.js']),
      initContainers: auth ? [renderConfigInit({ image: ctx.repository('nginx'), configDir: CONFIG_DIR })] : undefined,
      containers: [
        {
          name: 'xiu',
          image: ctx.repository('xiu'),
          // The image has no ENTRYPOINT or CMD and /app is not on PATH: name the binary.
          command: [xiu.binary],
          args: [xiu.configFlag, configFile],
          ports: [
            { name: 'rtmp', containerPort: RTMP_PORT, protocol: 'TCP' },
            { name: 'hls', containerPort: HLS_PORT, protocol: 'TCP' },
            { name: 'flv', containerPort: FLV_PORT, protocol: 'TCP' },
            { name: 'api', containerPort: XIU_API_PORT, protocol: 'TCP' },
          ],
          startupProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 2, failureThreshold: 30 },
          readinessProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 5, failureThreshold: 3 },
          // Alive = xiu's HTTP API answers (`GET /` prints its usage; api.rs). Ready = it accepts RTMP. The media
          // servers have no health path (everything unknown is a 404).
          livenessProbe: { httpGet: { path: '/', port: 'api' }, periodSeconds: 10, failureThreshold: 6 },
          lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', drainScript(RTMP_PORT, o.drainSeconds)] } } },
          resources: toK8sResources(defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            ...(auth ? [{ name: 'rendered-config', mountPath: RENDERED_CONFIG_DIR, readOnly: true }] : []),
            { name: 'hls-segments', mountPath: XIU_WORKDIR },
            { name: 'tmp', mountPath: '/tmp' },
          ],
          // xiu writes HLS to ./<app>/<stream>/ of its working directory; origin-http reads it from there.
          workingDir: XIU_WORKDIR,
        },
        originHttpContainer({
          image: ctx.repository('nginx'),
          apiPort: XIU_API_PORT,
          drainSeconds: o.drainSeconds,
          configVolume: 'http-config',
          mediaVolume: 'hls-segments',
        }),
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
        { name: 'http-config', configMap: { name: ORIGIN_HTTP_CONFIG } },
        ...(auth ? [renderedConfigVolume()] : []),
        // xiu keeps 6 segments per stream on disk (xiu-contract.ts) and deletes older ones.
        emptyDir('hls-segments', '2Gi'),
        emptyDir('tmp', '64Mi'),
      ],
    }),
    // Metrics only: viewers reach the replicas through the headless Service below, publishers through RTMP's own.
    service({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      ports: [{ name: 'metrics', port: ORIGIN_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' }],
    }),
    headlessService({
      name: ORIGIN_REPLICAS_SERVICE,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      // appProtocol tells Istio's sidecars this is HTTP (port names alone would leave it to sniffing).
      ports: [{ name: 'media', port: ORIGIN_MEDIA_PORT, targetPort: 'media', protocol: 'TCP', appProtocol: 'http' }],
    }),
    podDisruptionBudget({ app: RTMP_ORIGIN, namespace: NAMESPACE, stack: 'streaming' }),
    serviceMonitor({ app: RTMP_ORIGIN, namespace: NAMESPACE, stack: 'streaming', port: 'metrics' }),
    allowIngress({
      app: RTMP_ORIGIN,
      namespace: NAMESPACE,
      rules: [
        // Publishers: straight from the load balancer (client address kept), or via ingress-nginx's TCP map.
        { from: [ANYWHERE, fromNamespace(INGRESS_NAMESPACE)], ports: [RTMP_PORT] },
        // Viewers only through the edge; xiu's own HTTP ports and API stay inside the pod.
        { from: [fromApp('edge-cache')], ports: [ORIGIN_MEDIA_PORT] },
        { from: [fromNamespace(MONITORING_NAMESPACE)], ports: [ORIGIN_METRICS_PORT] },
      ],
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
  // The gateway lives with the origin: the stack's one always-present component. Its routes are the edge's.
  return meshGateway({
    hosts: [hosts.api, hosts.cdn, hosts.play, ...(o.hls ? [hosts.hls] : []), ...(o.httpFlv ? [hosts.flv] : []), ...publicStreamingAppHosts(ctx.fleet, ctx.cluster.domain)],
    clusterIssuer: ctx.environment.clusterIssuer,
  });
};

/** Namespace-wide policies (the origin is the stack's one always-present component) and the origin's own. */
const meshPolicies = (): K8sObject[] => [
  ...meshNamespacePolicies(),
  // The edge reaches each replica by its pod address; the sidecar forwards to that address (a headless Service is
  // an ORIGINAL_DST cluster in Istio) and, with this rule, over mTLS.
  destinationRule({ app: RTMP_ORIGIN, service: ORIGIN_REPLICAS_SERVICE, maxConnections: 4096 }),
  permissivePorts({ app: RTMP_ORIGIN, ports: [RTMP_PORT, ORIGIN_METRICS_PORT] }),
  authorizationPolicy({
    app: RTMP_ORIGIN,
    allows: [{ ports: [RTMP_PORT, ORIGIN_METRICS_PORT] }, { namespaces: [NAMESPACE], ports: [ORIGIN_MEDIA_PORT] }],
  }),
];

/** Scale-in removes one replica per drain period (origin-drain.ts); scale-up is as fast as every HPA's. */
const scaler = (a: Autoscaling, ctx: BaseContext): K8sObject[] => {
  const o = originSettings(ctx.fleet);
  // The inventory cannot set scaleDown for the origin (settings-checks: fixedScaleDown); the stabilization window it may.
  return [horizontalPodAutoscaler(rtmpOrigin, a, { ...DEFAULT_PACE, scaleDown: { selectPolicy: 'Min', policies: [originScaleDownPolicy(o.drainSeconds)] } })];
};

export const rtmpOrigin: Component = {
  name: RTMP_ORIGIN,
  fixedScaleDown: 'the origin removes one replica per drain period (streaming.origin.drainSeconds)',
  stack: 'streaming',
  description: 'RTMP ingest origin (xiu) serving HLS and HTTP-FLV',
  requires: [],
  metrics: Object.values(ORIGIN_METRICS),
  images: [
    { image: 'xiu', via: 'transformer' },
    { image: 'xiu-exporter', via: 'transformer' },
    // The origin-http sidecar and the config-render init container.
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
  scaler,
  cluster: (ctx) => [rtmpService(ctx), ...(onMesh(ctx.cluster) ? meshObjects(ctx) : [])],
  clusterPatches: ({ cluster }) => (onMesh(cluster) ? [meshNamespacePatch()] : []),
};
