// RTMP ingest origin (xiu): publishers push RTMP on 1935 through a TCP load balancer; viewers pull HLS and
// HTTP-FLV through the CDN edge and the public hls./flv. hosts. Config is generated into a ConfigMap.
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
import { loadBalancerAnnotations } from '../load-balancer.ts';
import { ANYWHERE, allowIngress, fromApp, fromNamespace, INGRESS_NAMESPACE } from '../network-policies.ts';
import { stackNamespace } from '../stacks.ts';

export const RTMP_ORIGIN = 'rtmp-origin';
export const RTMP_PORT = 1935;
export const HLS_PORT = 8080;
export const FLV_PORT = 8081;
const NAMESPACE = stackNamespace('streaming');
const CONFIG_DIR = '/etc/xiu';
const UID = 10001;

const defaults = {
  replicas: 1,
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
};

/** xiu's TOML configuration; HLS and HTTP-FLV on their own ports so each can be routed and scaled apart. */
export const xiuConfig = (): string =>
  [
    '[rtmp]',
    'enabled = true',
    `port = ${RTMP_PORT}`,
    '# GOPs cached for instant playback start',
    'gop_num = 1',
    '',
    '[httpflv]',
    'enabled = true',
    `port = ${FLV_PORT}`,
    '',
    '[hls]',
    'enabled = true',
    `port = ${HLS_PORT}`,
    'need_record = false',
    '',
    '[log]',
    'level = "info"',
    '',
  ].join('\n');

const base = (ctx: BaseContext): K8sObject[] => {
  const config = xiuConfig();
  return [
    configMap({ name: `${RTMP_ORIGIN}-config`, namespace: NAMESPACE, stack: 'streaming', app: RTMP_ORIGIN, data: { 'config.toml': config } }),
    deployment({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      uid: UID,
      // Publishers reconnect on their own, but give in-flight segments time to be fetched.
      terminationGracePeriodSeconds: 30,
      podAnnotations: configChecksumAnnotation(config),
      containers: [
        {
          name: 'xiu',
          image: ctx.repository('xiu'),
          args: ['-c', `${CONFIG_DIR}/config.toml`],
          ports: [
            { name: 'rtmp', containerPort: RTMP_PORT, protocol: 'TCP' },
            { name: 'hls', containerPort: HLS_PORT, protocol: 'TCP' },
            { name: 'flv', containerPort: FLV_PORT, protocol: 'TCP' },
          ],
          startupProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 2, failureThreshold: 30 },
          readinessProbe: { tcpSocket: { port: 'rtmp' }, periodSeconds: 5, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/', port: 'hls' }, periodSeconds: 10, failureThreshold: 6 },
          resources: toK8sResources(defaults.resources),
          securityContext: restrictedContainer(),
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            { name: 'hls-segments', mountPath: '/var/lib/xiu' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
          workingDir: '/var/lib/xiu',
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${RTMP_ORIGIN}-config` } },
        emptyDir('hls-segments', '2Gi'),
        emptyDir('tmp', '64Mi'),
      ],
    }),
    // RTMP is TCP: a Service of type LoadBalancer; Local keeps the publisher's address and avoids a second hop.
    service({
      name: `${RTMP_ORIGIN}-rtmp`,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'rtmp', port: RTMP_PORT, targetPort: 'rtmp', protocol: 'TCP' }],
    }),
    // Viewing (HLS/FLV) is a separate ClusterIP Service, reached only through the edge and the ingress.
    service({
      name: RTMP_ORIGIN,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      ports: [
        { name: 'hls', port: HLS_PORT, targetPort: 'hls', protocol: 'TCP' },
        { name: 'flv', port: FLV_PORT, targetPort: 'flv', protocol: 'TCP' },
      ],
    }),
    podDisruptionBudget({ app: RTMP_ORIGIN, namespace: NAMESPACE, stack: 'streaming' }),
    allowIngress({
      app: RTMP_ORIGIN,
      namespace: NAMESPACE,
      rules: [
        { from: [ANYWHERE], ports: [RTMP_PORT] },
        { from: [fromNamespace(INGRESS_NAMESPACE), fromApp('edge-cache')], ports: [HLS_PORT, FLV_PORT] },
      ],
    }),
  ];
};

export const rtmpOrigin: Component = {
  name: RTMP_ORIGIN,
  stack: 'streaming',
  description: 'RTMP ingest origin (xiu) serving HLS and HTTP-FLV',
  requires: [],
  images: [{ image: 'xiu', via: 'transformer' }],
  workload: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: RTMP_ORIGIN,
    resourcesPath: '/spec/template/spec/containers/0/resources',
    replicasVia: 'transformer',
  },
  defaults,
  base,
  cluster: ({ cluster, environment }) => [
    tlsIngress({
      name: `${RTMP_ORIGIN}-hls`,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      host: `hls.${cluster.domain}`,
      clusterIssuer: environment.clusterIssuer,
      serviceName: RTMP_ORIGIN,
      servicePort: 'hls',
      annotations: {
        'nginx.ingress.kubernetes.io/enable-cors': 'true',
        'nginx.ingress.kubernetes.io/cors-allow-methods': 'GET, HEAD, OPTIONS',
      },
    }),
    tlsIngress({
      name: `${RTMP_ORIGIN}-flv`,
      namespace: NAMESPACE,
      stack: 'streaming',
      app: RTMP_ORIGIN,
      host: `flv.${cluster.domain}`,
      clusterIssuer: environment.clusterIssuer,
      serviceName: RTMP_ORIGIN,
      servicePort: 'flv',
      // HTTP-FLV is one long response: no buffering, hour-long read timeout.
      annotations: {
        'nginx.ingress.kubernetes.io/enable-cors': 'true',
        'nginx.ingress.kubernetes.io/cors-allow-methods': 'GET, HEAD, OPTIONS',
        'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      },
    }),
  ],
  clusterPatches: ({ cluster }) => {
    const annotations = loadBalancerAnnotations(cluster.loadBalancer);
    if (Object.keys(annotations).length === 0) return [];
    return [
      {
        target: { kind: 'Service', name: `${RTMP_ORIGIN}-rtmp` },
        ops: [{ op: 'add', path: '/metadata/annotations', value: annotations }],
      },
    ];
  },
};
