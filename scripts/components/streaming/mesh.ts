// Istio objects of the streaming stack, rendered only on clusters with the `mesh` capability. There the public
// HTTP hosts enter through the Istio ingress gateway (pods `istio: ingressgateway` in `istio-ingress`) instead of
// ingress-nginx, so one set of routing rules (retries, timeouts, outlier detection) applies; RTMP keeps its own
// TCP load balancer. Inside the namespace: STRICT mTLS and an allow-nothing AuthorizationPolicy, then explicit
// allows per app.
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import type { JsonPatch, K8sObject } from '../component.ts';
import { stackNamespace } from '../stacks.ts';

export const MESH_INGRESS_NAMESPACE = 'istio-ingress';
export const MESH_GATEWAY = 'streaming-public';
const NAMESPACE = stackNamespace('streaming');
const GATEWAY_REF = `${NAMESPACE}/${MESH_GATEWAY}`;
/** The certificate Secret must live beside the gateway pods, which read it through SDS. */
export const MESH_TLS_SECRET = 'streaming-public-tls';

/**
 * Routes to media are large; APIs answer fast or not at all; a stream (HTTP-FLV) is one response that never ends,
 * so its route has no timeout at all (Istio sets Envoy's route timeout to 0, i.e. none, when the VirtualService gives
 * none — Checked: https://github.com/istio/istio @ 1.30.3 : pilot/pkg/networking/core/route/route.go setTimeout).
 */
export const MESH_TIMEOUTS = { api: '30s', media: '300s', stream: undefined } as const;

/** Gateway (HTTP → HTTPS redirect, TLS from a cert-manager Certificate) and the Certificate for every public host. */
export const meshGateway = (s: { hosts: readonly string[]; clusterIssuer: string }): K8sObject[] => {
  const hosts = [...s.hosts].sort();
  const certificate: ICertificate & K8sObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: MESH_GATEWAY, namespace: MESH_INGRESS_NAMESPACE, labels: appLabels(MESH_GATEWAY, 'streaming') },
    spec: {
      secretName: MESH_TLS_SECRET,
      dnsNames: hosts,
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: s.clusterIssuer },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    },
  };
  const gateway: IGateway & K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: MESH_GATEWAY, namespace: NAMESPACE, labels: appLabels(MESH_GATEWAY, 'streaming') },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        { hosts, port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
        {
          hosts,
          port: { name: 'https', number: 443, protocol: 'HTTPS' },
          tls: { mode: 'SIMPLE', credentialName: MESH_TLS_SECRET, minProtocolVersion: 'TLSV1_2' },
        },
      ],
    },
  };
  return [certificate, gateway];
};

export interface MeshRoute {
  /** Path prefix on the host ('/' for the whole host). */
  readonly prefix: string;
  readonly service: string;
  readonly port: number;
  readonly kind: 'api' | 'media' | 'stream';
}

/** Retries: a stream may only be retried before it started (a connect failure); a per-try timeout would cut it. */
const retriesFor = (kind: MeshRoute['kind']): NonNullable<NonNullable<IVirtualService['spec']>['http']>[number]['retries'] =>
  kind === 'stream'
    ? { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable' }
    : { attempts: 3, perTryTimeout: kind === 'api' ? '10s' : '100s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,5xx' };

/** One VirtualService per app and host: retries and a timeout by traffic kind. */
export const virtualService = (s: { app: string; name?: string; host: string; routes: readonly MeshRoute[] }): IVirtualService & K8sObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: s.name ?? s.app, namespace: NAMESPACE, labels: appLabels(s.app, 'streaming') },
  spec: {
    gateways: [GATEWAY_REF],
    hosts: [s.host],
    http: s.routes.map((r) => ({
      name: r.service,
      match: [{ uri: { prefix: r.prefix } }],
      route: [{ destination: { host: `${r.service}.${NAMESPACE}.svc.cluster.local`, port: { number: r.port } } }],
      ...(MESH_TIMEOUTS[r.kind] === undefined ? {} : { timeout: MESH_TIMEOUTS[r.kind] }),
      retries: retriesFor(r.kind),
    })),
  },
});

/** Connection pool and outlier detection: eject a pod after 5 consecutive 5xx for 30 s. */
export const destinationRule = (s: { app: string; service: string; maxConnections: number }): IDestinationRule & K8sObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: s.service, namespace: NAMESPACE, labels: appLabels(s.app, 'streaming') },
  spec: {
    host: `${s.service}.${NAMESPACE}.svc.cluster.local`,
    trafficPolicy: {
      connectionPool: {
        tcp: { maxConnections: s.maxConnections, connectTimeout: '2s' },
        http: { http1MaxPendingRequests: 1024, http2MaxRequests: s.maxConnections, maxRequestsPerConnection: 0, idleTimeout: '60s' },
      },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      tls: { mode: 'ISTIO_MUTUAL' },
    },
  },
});

export interface MeshAllow {
  /** Source namespaces (mTLS identities); absent = any source, for plaintext ports (RTMP, metrics). */
  readonly namespaces?: readonly string[];
  readonly ports: readonly number[];
}

/** An ALLOW policy for one app; with the namespace's allow-nothing policy, everything else is denied. */
export const authorizationPolicy = (s: { app: string; allows: readonly MeshAllow[] }): IAuthorizationPolicy & K8sObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: s.app, namespace: NAMESPACE, labels: appLabels(s.app, 'streaming') },
  spec: {
    selector: { matchLabels: selectorLabels(s.app) },
    action: 'ALLOW',
    rules: s.allows.map((a) => ({
      ...(a.namespaces ? { from: [{ source: { namespaces: [...a.namespaces] } }] } : {}),
      to: [{ operation: { ports: a.ports.map(String) } }],
    })),
  },
});

/**
 * Ports of one app that accept plaintext despite STRICT mTLS: Prometheus scrapes without a mesh identity, and
 * RTMP publishers come straight from the load balancer.
 */
export const permissivePorts = (s: { app: string; ports: readonly number[] }): IPeerAuthentication & K8sObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: s.app, namespace: NAMESPACE, labels: appLabels(s.app, 'streaming') },
  spec: {
    selector: { matchLabels: selectorLabels(s.app) },
    mtls: { mode: 'STRICT' },
    portLevelMtls: Object.fromEntries(s.ports.map((p) => [String(p), { mode: 'PERMISSIVE' as const }])),
  },
});

/** Namespace-wide: STRICT mTLS and allow-nothing (an ALLOW policy without rules matches no request). */
export const meshNamespacePolicies = (): K8sObject[] => [
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: NAMESPACE, labels: appLabels('streaming-mesh', 'streaming') },
    spec: { mtls: { mode: 'STRICT' } },
  } satisfies IPeerAuthentication & K8sObject,
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'deny-by-default', namespace: NAMESPACE, labels: appLabels('streaming-mesh', 'streaming') },
    spec: {},
  } satisfies IAuthorizationPolicy & K8sObject,
];

/** Sidecar injection for the namespace (Istio CNI: no NET_ADMIN, so Pod Security restricted still holds). */
export const meshNamespacePatch = (): JsonPatch => ({
  target: { kind: 'Namespace', name: NAMESPACE, version: 'v1' },
  ops: [{ op: 'add', path: '/metadata/labels/istio-injection', value: 'enabled' }],
});
