// Rules about how a service is reached from outside: a public route serves an HTTP port, a mesh route runs only where
// the mesh is, a load balancer serves ports the service has with one transport.
import type { ServiceContext } from './context.ts';
import { appProtocolOf, isUdp } from './ports.ts';
import { didYouMean } from '../suggest.ts';

export function checkExposure(ctx: ServiceContext): void {
  const expose = ctx.spec.expose;
  if (expose === undefined) return;
  const ports = ctx.full.ports ?? [];
  const names = ports.map((p) => p.name);
  const route = expose.public;
  if (route !== undefined) {
    const served = (p: (typeof ports)[number]): boolean => !isUdp(p) && appProtocolOf(p) !== 'tcp';
    if (route.port !== undefined) {
      const port = ports.find((p) => p.name === route.port);
      if (port === undefined) {
        ctx.issueOwn(['expose', 'public', 'port'], 'value', `unknown port "${route.port}"${didYouMean(route.port, names)}; the service's ports: ${names.join(', ') || 'none'}`);
      } else if (!served(port)) {
        ctx.issueOwn(
          ['expose', 'public', 'port'],
          'value',
          `expected an HTTP or gRPC port for a public route, found "${port.name}" (${port.protocol ?? 'TCP'}, appProtocol ${appProtocolOf(port)}); serve TCP through expose.loadBalancer`,
        );
      }
    } else if (!ports.some((p) => served(p) && appProtocolOf(p) === 'http')) {
      ctx.issueOwn(['expose', 'public'], 'key', `a public route needs an HTTP port: expected a port with appProtocol http (the default), found ${names.length === 0 ? 'no ports' : `only ${names.join(', ')}`}`);
    }
    if (route.via === 'mesh') {
      const capabilities = [...(ctx.system.placement?.capabilities ?? []), ...(ctx.spec.placement?.capabilities ?? [])];
      if (!capabilities.includes('mesh')) {
        ctx.issueOwn(
          ['expose', 'public', 'via'],
          'value',
          'a mesh route on a cluster without the mesh: expected placement.capabilities to include mesh (of the service or the system), so the service runs only where the Istio gateway is',
        );
      }
    }
  }
  const lb = expose.loadBalancer;
  if (lb !== undefined) {
    const transports = new Set<string>();
    lb.ports.forEach((name, i) => {
      const port = ports.find((p) => p.name === name);
      if (port === undefined) {
        ctx.issueOwn(['expose', 'loadBalancer', 'ports', i], 'value', `unknown port "${name}"${didYouMean(name, names)}; the service's ports: ${names.join(', ') || 'none'}`);
        return;
      }
      transports.add(port.protocol ?? 'TCP');
    });
    // The API accepts a LoadBalancer Service with TCP and UDP ports (MixedProtocolLBService, stable in 1.26), but
    // "the set of protocols that can be used for load balanced Services is defined by your cloud provider; they may
    // impose restrictions beyond what the Kubernetes API enforces": one protocol per load balancer works everywhere.
    // Checked: kubernetes/website (stored copy) : docs/concepts/services-networking/service.md (Load balancers with
    // mixed protocol types).
    if (transports.size > 1) {
      ctx.issueOwn(
        ['expose', 'loadBalancer', 'ports'],
        'key',
        'expected the load balancer ports to share one protocol, found TCP and UDP: which protocols a load balancer may mix is up to the cloud provider; split the UDP ports into another service',
      );
    }
  }
}
