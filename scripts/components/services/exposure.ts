// How a service is reached. Inside the cluster: a ClusterIP Service on the ports the spec declares (the Service
// port is `servicePort`, else the container port; never a fixed 80). From outside: a public HTTPS route through
// ingress-nginx or the Istio ingress gateway, and TCP ports on a cloud load balancer of the cluster's flavour.
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { AppProtocol, PublicRoute, ServicePort, ServiceSpec } from '../../inventory/system-schema.ts';
import { appLabels } from '../../lib/labels.ts';
import { service, tlsIngress } from '../builders.ts';
import type { BaseContext, ClusterContext, K8sObject } from '../component.ts';
import { loadBalancerAnnotations } from '../load-balancer.ts';
import { MESH_INGRESS_NAMESPACE } from '../streaming/mesh.ts';
import { onMesh } from '../streaming/settings.ts';
import { serviceHost, servicePortNumber, type SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';

/**
 * A port's `appProtocol`: what Istio reads to pick the protocol (it takes appProtocol over the port name) and what
 * Kubernetes standardises. gRPC is HTTP/2 over cleartext: Kubernetes' own name for that is `kubernetes.io/h2c`,
 * which Istio maps to HTTP2 (`grpc` would be Istio-only, not an IANA service name). `tcp` is what Istio reads as
 * opaque TCP (no sniffing of server-first protocols); Kubernetes accepts it (label syntax) as the RTMP Service does.
 * UDP ports carry none: Istio treats every UDP port as UDP whatever the name.
 * Checked: kubernetes/api @ v0.32.0 : core/v1/types.go (ServicePort.appProtocol: IANA names or kubernetes.io/h2c,
 * ws, wss); istio/istio @ 1.30.3 : pkg/config/kube/conversion.go (ConvertProtocol: UDP first, appProtocol before the
 * name, kubernetes.io/h2c → HTTP2), pkg/config/protocol/instance.go (Parse: "http", "tcp", "grpc").
 */
const APP_PROTOCOL: Readonly<Record<AppProtocol, string>> = { http: 'http', grpc: 'kubernetes.io/h2c', tcp: 'tcp' };

export const appProtocolOf = (p: ServicePort): AppProtocol => p.appProtocol ?? 'http';

/** A spec port as a Service port: listens on servicePort (else the container port), targets the port by name. */
export const toServicePort = (p: ServicePort): IServicePort => {
  const protocol = p.protocol ?? 'TCP';
  return {
    name: p.name,
    port: servicePortNumber(p),
    targetPort: p.name,
    protocol,
    ...(protocol === 'TCP' ? { appProtocol: APP_PROTOCOL[appProtocolOf(p)] } : {}),
  };
};

/**
 * A sidecar's metrics port on the Service, so a ServiceMonitor scrapes it through the Service like every other
 * monitored port (exporters speak HTTP).
 */
const sidecarServicePort = (p: IContainerPort & { name: string }): IServicePort => ({
  name: p.name,
  port: p.containerPort,
  targetPort: p.name,
  protocol: 'TCP',
  appProtocol: APP_PROTOCOL.http,
});

/** The metrics port when a preset's sidecar (not the main container) declares it. */
export const sidecarMetricsPort = (input: ServiceInput, ctx: BaseContext): (IContainerPort & { name: string }) | undefined => {
  const metrics = input.spec.metrics?.port;
  if (metrics === undefined || (input.spec.ports ?? []).some((p) => p.name === metrics)) return undefined;
  const port = (input.preset?.sidecars(ctx.repository) ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === metrics);
  return port === undefined ? undefined : { ...port, name: metrics };
};

/** Whether the service gets a ClusterIP Service: it has ports. Workers (no ports) get none. */
export const hasService = (spec: ServiceSpec): boolean => (spec.ports ?? []).length > 0;

/** The service's ClusterIP Service `<service>`: its ports, and a sidecar's metrics port. */
export const clusterService = (view: SystemView, input: ServiceInput, ctx: BaseContext): K8sObject[] => {
  if (!hasService(input.spec)) return [];
  const sidecar = sidecarMetricsPort(input, ctx);
  return [
    service({
      name: input.name,
      namespace: view.namespace,
      stack: view.system.name,
      app: input.name,
      ports: [...(input.spec.ports ?? []).map(toServicePort), ...(sidecar ? [sidecarServicePort(sidecar)] : [])],
    }),
  ];
};

/** The load-balancer Service's name (the ClusterIP Service keeps the service's name for in-cluster clients). */
export const loadBalancerServiceName = (service: string): string => `${service}-lb`;

/** Spec ports a load balancer serves. */
export const loadBalancerPorts = (spec: ServiceSpec): ServicePort[] =>
  (spec.expose?.loadBalancer?.ports ?? []).map((name) => {
    const port = spec.ports?.find((p) => p.name === name);
    if (port === undefined) throw new Error(`expose.loadBalancer.ports: no port named "${name}"`);
    return port;
  });

/**
 * `<service>-lb`: a Service of type LoadBalancer for the named ports, annotated for the cluster's flavour
 * (load-balancer.ts), `externalTrafficPolicy: Local` to keep client addresses and skip the second hop, as the RTMP
 * Service does. Per cluster, because the annotations are.
 */
export const loadBalancerService = (view: SystemView, input: ServiceInput, ctx: ClusterContext): K8sObject[] => {
  const ports = loadBalancerPorts(input.spec);
  if (ports.length === 0) return [];
  const svc: IService & K8sObject = service({
    name: loadBalancerServiceName(input.name),
    namespace: view.namespace,
    stack: view.system.name,
    app: input.name,
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    ports: ports.map(toServicePort),
  });
  const annotations = loadBalancerAnnotations(ctx.cluster.loadBalancer);
  return [Object.keys(annotations).length > 0 ? { ...svc, metadata: { ...svc.metadata, annotations } } : svc];
};

/** The port a public route serves: the named one, else the first http port. */
export const publicPort = (input: ServiceInput): ServicePort => {
  const route = input.spec.expose?.public;
  const ports = input.spec.ports ?? [];
  const port = route?.port !== undefined ? ports.find((p) => p.name === route.port) : ports.find((p) => appProtocolOf(p) === 'http');
  if (port === undefined) {
    throw new Error(`${input.system.file}: services.${input.name}.expose.public: ${route?.port !== undefined ? `no port named "${route.port}"` : 'no http port to serve'}`);
  }
  return port;
};

/** The route's public host on a cluster: `{domain}` is the cluster's domain. */
export const publicHost = (route: PublicRoute, domain: string): string => route.host.replaceAll('{domain}', domain);

/** ingress-nginx annotation keys. Checked: kubernetes/ingress-nginx @ controller-v1.15.1 (chart 4.15.1). */
const NGINX = 'nginx.ingress.kubernetes.io';

/**
 * The route's timeout and retries as ingress-nginx annotations (values: integers, seconds).
 * - A timeout bounds each read and write to the pod (proxy-read/send-timeout; the controller's default is 60 s).
 *   With retries, the per-try timeout takes that role and the route timeout bounds the whole retry sequence
 *   (proxy-next-upstream-timeout).
 * - Retries: nginx counts every try, the first included, so `attempts` retries are attempts + 1 tries; it retries
 *   on connection errors, timeouts and gateway errors (502/503/504), and never a POST, LOCK or PATCH it has already
 *   sent (non_idempotent is not listed): "retries of failed idempotent requests" as the spec says.
 * - A gRPC port is proxied as gRPC (backend-protocol GRPC; its grpc_*_timeout inherit the proxy timeouts).
 * Without timeout or retries, nothing: the controller's defaults (60 s, 3 tries on error/timeout) stay.
 * Checked: kubernetes/ingress-nginx @ controller-v1.15.1 : internal/ingress/annotations/proxy/main.go
 * (proxy-read-timeout, proxy-send-timeout, proxy-next-upstream(-timeout, -tries): ValidateInt / the upstream regex),
 * internal/ingress/annotations/backendprotocol/main.go (GRPC), internal/ingress/controller/config/config.go
 * (defaults), docs/user-guide/nginx-configuration/annotations.md (Custom timeouts: unitless seconds);
 * images/nginx/rootfs/build.sh (NGINX 1.27.1); nginx/nginx @ release-1.27.1 : src/http/ngx_http_upstream.c
 * (peer.tries capped at next_upstream_tries; POST/LOCK/PATCH once sent need NON_IDEMPOTENT).
 */
export const ingressAnnotations = (route: PublicRoute, port: ServicePort): Record<string, string> => {
  const out: Record<string, string> = {};
  if (appProtocolOf(port) === 'grpc') out[`${NGINX}/backend-protocol`] = 'GRPC';
  const perTry = route.retries?.perTryTimeoutSeconds ?? route.timeoutSeconds;
  if (perTry !== undefined) {
    out[`${NGINX}/proxy-read-timeout`] = String(perTry);
    out[`${NGINX}/proxy-send-timeout`] = String(perTry);
  }
  if (route.retries) {
    out[`${NGINX}/proxy-next-upstream`] = 'error timeout http_502 http_503 http_504';
    out[`${NGINX}/proxy-next-upstream-tries`] = String(route.retries.attempts + 1);
    if (route.timeoutSeconds !== undefined) out[`${NGINX}/proxy-next-upstream-timeout`] = String(route.timeoutSeconds);
  }
  return out;
};

/** The public route through ingress-nginx: a TLS Ingress with a certificate from the environment's ClusterIssuer. */
const ingressRoute = (view: SystemView, input: ServiceInput, ctx: ClusterContext, route: PublicRoute): K8sObject[] => {
  const port = publicPort(input);
  const ingress = tlsIngress({
    name: input.name,
    namespace: view.namespace,
    stack: view.system.name,
    app: input.name,
    host: publicHost(route, ctx.cluster.domain),
    clusterIssuer: ctx.environment.clusterIssuer,
    serviceName: input.name,
    servicePort: port.name,
    annotations: ingressAnnotations(route, port),
  });
  const path = route.path ?? '/';
  if (path === '/') return [ingress];
  const rules = ingress.spec!.rules!.map((r) => ({ ...r, http: { paths: r.http!.paths.map((p) => ({ ...p, path })) } }));
  return [{ ...ingress, spec: { ...ingress.spec, rules } }];
};

/** Gateway, Certificate and its Secret of a mesh-exposed service (the certificate lives beside the gateway pods). */
export const meshGatewayName = (service: string): string => `${service}-public`;
const meshCertificateName = (system: string, service: string): string => `${system}-${service}-public`;

/**
 * The public route through the Istio ingress gateway (pods `istio: ingressgateway` in istio-ingress), as the
 * streaming stack binds its hosts (streaming/mesh.ts): a cert-manager Certificate in the gateway namespace, a
 * Gateway (HTTP redirects to HTTPS) for the host, and a VirtualService with the route's timeout and retries.
 *
 * The system's namespace gets no sidecar injection: the gateway reaches pods without a sidecar in plaintext (Istio's
 * auto mTLS picks TLS only for endpoints labelled `security.istio.io/tlsMode: istio`), so the route, its timeout and
 * its retries work as they are, and the system's Pod Security and NetworkPolicies stay what this compiler renders.
 * Checked: istio/istio @ 1.30.3 : pilot/pkg/networking/core/cluster_tls.go (tlsMode-istio transport socket match,
 * defaultTransportSocketMatch plaintext for endpoints without the label); pilot/pkg/networking/core/route/retry/
 * retry.go (ConvertPolicy: attempts → num_retries, an empty retryOn keeps Istio's default
 * "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes").
 */
const meshRoute = (view: SystemView, input: ServiceInput, ctx: ClusterContext, route: PublicRoute): K8sObject[] => {
  if (!onMesh(ctx.cluster)) {
    throw new Error(
      `${view.system.file}: services.${input.name}.expose.public.via is mesh, but cluster ${ctx.cluster.name} has no mesh capability (place the service with placement.capabilities: [mesh])`,
    );
  }
  const port = publicPort(input);
  const host = publicHost(route, ctx.cluster.domain);
  const stack = view.system.name;
  const labels = appLabels(input.name, stack);
  const secretName = `${meshCertificateName(stack, input.name)}-tls`;
  const certificate: ICertificate & K8sObject = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: meshCertificateName(stack, input.name), namespace: MESH_INGRESS_NAMESPACE, labels },
    spec: {
      secretName,
      dnsNames: [host],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: ctx.environment.clusterIssuer },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    },
  };
  const gateway: IGateway & K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: meshGatewayName(input.name), namespace: view.namespace, labels },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        { hosts: [host], port: { name: 'http', number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
        { hosts: [host], port: { name: 'https', number: 443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: secretName, minProtocolVersion: 'TLSV1_2' } },
      ],
    },
  };
  const virtualService: IVirtualService & K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: input.name, namespace: view.namespace, labels },
    spec: {
      gateways: [`${view.namespace}/${meshGatewayName(input.name)}`],
      hosts: [host],
      http: [
        {
          name: input.name,
          match: [{ uri: { prefix: route.path ?? '/' } }],
          route: [{ destination: { host: serviceHost(input.name, view.namespace), port: { number: servicePortNumber(port) } } }],
          ...(route.timeoutSeconds !== undefined ? { timeout: `${route.timeoutSeconds}s` } : {}),
          ...(route.retries
            ? { retries: { attempts: route.retries.attempts, ...(route.retries.perTryTimeoutSeconds !== undefined ? { perTryTimeout: `${route.retries.perTryTimeoutSeconds}s` } : {}) } }
            : {}),
        },
      ],
    },
  };
  return [certificate, gateway, virtualService];
};

/** Whether the public route enters through the mesh gateway (else ingress-nginx). */
export const viaMesh = (spec: ServiceSpec): boolean => spec.expose?.public?.via === 'mesh';

/** The per-cluster objects of the public route, if the service has one. */
export const publicRouteObjects = (view: SystemView, input: ServiceInput, ctx: ClusterContext): K8sObject[] => {
  const route = input.spec.expose?.public;
  if (route === undefined) return [];
  return viaMesh(input.spec) ? meshRoute(view, input, ctx, route) : ingressRoute(view, input, ctx, route);
};
