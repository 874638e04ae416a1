// Rules about a service's ports and probes, on the spec completed by its preset: unique ports, probes that name a
// port the container has and speak its protocol, and a way for Kubernetes to tell that a served pod is ready.
import { exactlyOne, type ServiceContext } from './context.ts';
import type { Probe, ServicePort } from '../system-schema.ts';
import { didYouMean } from '../suggest.ts';

const PROBES = ['startup', 'readiness', 'liveness'] as const;
const HANDLERS = ['http', 'tcp', 'exec', 'grpc'] as const;

/** What the port speaks (appProtocol defaults to http, protocol to TCP: the schema's documented defaults). */
export const appProtocolOf = (port: ServicePort): string => port.appProtocol ?? 'http';
export const isUdp = (port: ServicePort): boolean => port.protocol === 'UDP';

/** The port a probe or route names, by name or by container port number. */
export const findPort = (ports: readonly ServicePort[], ref: string | number): ServicePort | undefined =>
  ports.find((p) => (typeof ref === 'string' ? p.name === ref : p.port === ref));

const describePort = (p: ServicePort): string => `"${p.name}" (${p.port}/${p.protocol ?? 'TCP'}, ${appProtocolOf(p)})`;

export function checkPorts(ctx: ServiceContext): void {
  const ports = ctx.full.ports ?? [];
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  const servicePorts = new Map<string, number>();
  ports.forEach((port, i) => {
    const firstName = names.get(port.name);
    if (firstName !== undefined) ctx.issue(['ports', i, 'name'], 'value', `duplicate port name "${port.name}": ports[${firstName}] has it`);
    else names.set(port.name, i);
    // One number may carry TCP and UDP (DNS does); the pair must be unique.
    const proto = port.protocol ?? 'TCP';
    const key = `${port.port}/${proto}`;
    const firstNumber = numbers.get(key);
    if (firstNumber !== undefined) ctx.issue(['ports', i, 'port'], 'value', `duplicate container port ${key}: ports[${firstNumber}] listens on it`);
    else numbers.set(key, i);
    const serviceKey = `${port.servicePort ?? port.port}/${proto}`;
    const firstService = servicePorts.get(serviceKey);
    if (firstService !== undefined && firstNumber === undefined) {
      ctx.issue(['ports', i, port.servicePort !== undefined ? 'servicePort' : 'port'], 'value', `duplicate Service port ${serviceKey}: ports[${firstService}] takes it`);
    } else if (firstService === undefined) servicePorts.set(serviceKey, i);
  });
  checkProbes(ctx, ports);
  const metrics = ctx.full.metrics;
  if (metrics !== undefined && !names.has(metrics.port)) {
    ctx.issue(['metrics', 'port'], 'value', `expected one of the service's ports (${[...names.keys()].join(', ') || 'it has none'}), found "${metrics.port}"${didYouMean(metrics.port, names.keys())}`);
  }
}

function checkProbes(ctx: ServiceContext, ports: readonly ServicePort[]): void {
  const probes = ctx.full.probes ?? {};
  const declared = PROBES.filter((kind) => probes[kind] !== undefined);
  if (declared.length === 0 && ports.length > 0) {
    ctx.issue(
      ['ports'],
      'key',
      'a service with ports and no probes: Kubernetes sends it traffic before it is ready and never restarts it when it hangs; ' +
        'expected probes.readiness (and liveness), e.g. readiness: { http: { path: /health, port: <http port> } } or { tcp: { port: <port> } }',
    );
  }
  for (const kind of declared) {
    const probe = probes[kind] as Probe;
    const at = ['probes', kind];
    const handler = exactlyOne(ctx.issue, at, probe, HANDLERS);
    if (handler === undefined || handler === 'exec') continue;
    const ref = handler === 'http' ? probe.http?.port : handler === 'tcp' ? probe.tcp?.port : probe.grpc?.port;
    if (ref === undefined) continue;
    const portAt = [...at, handler, 'port'];
    const port = findPort(ports, ref);
    if (port === undefined) {
      const names = ports.map((p) => (typeof ref === 'string' ? p.name : String(p.port)));
      ctx.issue(
        portAt,
        'value',
        `expected a ${kind} probe port among the service's ports (${ports.map(describePort).join(', ') || 'it has none'}), found ${typeof ref === 'string' ? `"${ref}"${didYouMean(ref, names)}` : ref}`,
      );
      continue;
    }
    const wrong = probeMismatch(handler, port);
    if (wrong !== undefined) ctx.issue(portAt, 'value', `${wrong}: port ${describePort(port)}`);
  }
}

/**
 * The probe cannot pass on that port. Kubelet HTTP and TCP probes dial TCP; gRPC probes speak the gRPC health
 * protocol (HTTP/2), which a plain HTTP or TCP server does not answer.
 * Checked: kubernetes/kubernetes @ 1454d31ec4 : pkg/probe/tcp/tcp.go (net.DialTimeout("tcp", …)); @ 04791b4906 :
 * pkg/probe/grpc/grpc.go (grpc.health.v1.Health/Check). Stored snapshots: the repository is too large to fetch a tag.
 */
function probeMismatch(handler: 'http' | 'tcp' | 'grpc', port: ServicePort): string | undefined {
  if (isUdp(port)) return `a ${handler === 'http' ? 'HTTP' : handler === 'tcp' ? 'TCP' : 'gRPC'} probe on a UDP port (probes connect over TCP)`;
  if (handler === 'http' && appProtocolOf(port) === 'tcp') return 'an HTTP probe on a TCP-only port (appProtocol: tcp); use a tcp probe, or exec for a protocol check';
  if (handler === 'grpc' && appProtocolOf(port) !== 'grpc') return `a gRPC probe on a port that does not speak gRPC (appProtocol: ${appProtocolOf(port)}); use an ${appProtocolOf(port) === 'http' ? 'http' : 'tcp'} probe`;
  return undefined;
}
