// NetworkPolicies of a service. The system's namespace unit denies everything and allows DNS and OTLP
// (stacks.ts); each service then gets one ingress policy (who may reach which of its ports) and one egress policy
// (what it may reach). A dependency edge — `dependsOn`, or an env var reading another service's address — opens
// both ends: the caller's egress to the callee's ports and the callee's ingress from the caller. Policies name
// container ports: they apply after the Service has translated its port to the pod's.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { ServicePort, ServiceSpec } from '../../inventory/system-schema.ts';
import { appLabels, selectorLabels } from '../../lib/labels.ts';
import type { BaseContext, K8sObject } from '../component.ts';
import { ANYWHERE, fromApp, fromNamespace, INGRESS_NAMESPACE, MONITORING_NAMESPACE } from '../network-policies.ts';
import { MESH_INGRESS_NAMESPACE } from '../streaming/mesh.ts';
import { loadBalancerPorts, publicPort, sidecarMetricsPort, viaMesh } from './exposure.ts';
import { dependenciesOf, dependentsOf, serviceOf, type SystemView } from './system-view.ts';
import type { ServiceInput } from './types.ts';

interface Rule {
  readonly peers: readonly INetworkPolicyPeer[];
  readonly ports: readonly INetworkPolicyPort[];
}

const policyPort = (p: Pick<ServicePort, 'port' | 'protocol'>): INetworkPolicyPort => ({ port: p.port, protocol: p.protocol ?? 'TCP' });

/** Every port of a service's own spec (its sidecars' ports are for monitoring only). */
const ownPorts = (spec: ServiceSpec): INetworkPolicyPort[] => (spec.ports ?? []).map(policyPort);

const policy = (view: SystemView, app: string, direction: 'Ingress' | 'Egress', rules: readonly Rule[]): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${app}-${direction.toLowerCase()}`, namespace: view.namespace, labels: appLabels(app, view.system.name) },
  spec: {
    podSelector: { matchLabels: selectorLabels(app) },
    policyTypes: [direction],
    ...(direction === 'Ingress'
      ? { ingress: rules.map((r) => ({ from: [...r.peers], ports: [...r.ports] })) }
      : { egress: rules.map((r) => ({ to: [...r.peers], ports: [...r.ports] })) }),
  },
});

/** The metrics port's container port: the main container's, or the sidecar's that declares it. */
const metricsPort = (input: ServiceInput, ctx: BaseContext): INetworkPolicyPort | undefined => {
  const name = input.spec.metrics?.port;
  if (name === undefined) return undefined;
  const own = input.spec.ports?.find((p) => p.name === name);
  if (own) return policyPort(own);
  const sidecar = sidecarMetricsPort(input, ctx);
  if (sidecar === undefined) throw new Error(`${input.system.file}: services.${input.name}.metrics.port: no port named "${name}"`);
  return { port: sidecar.containerPort, protocol: 'TCP' };
};

/** Who may reach the service: its dependents, the public entry, load-balancer clients, and Prometheus. */
export const ingressRules = (view: SystemView, input: ServiceInput, ctx: BaseContext): Rule[] => {
  const { spec } = input;
  const rules: Rule[] = [];
  const dependents = dependentsOf(view, input.name);
  if (dependents.length > 0 && ownPorts(spec).length > 0) rules.push({ peers: dependents.map(fromApp), ports: ownPorts(spec) });
  if (spec.expose?.public) {
    rules.push({ peers: [fromNamespace(viaMesh(spec) ? MESH_INGRESS_NAMESPACE : INGRESS_NAMESPACE)], ports: [policyPort(publicPort(input))] });
  }
  const lb = loadBalancerPorts(spec);
  // externalTrafficPolicy Local keeps the client's address: the pods see the internet, not the nodes.
  if (lb.length > 0) rules.push({ peers: [ANYWHERE], ports: lb.map(policyPort) });
  const metrics = metricsPort(input, ctx);
  if (metrics) rules.push({ peers: [fromNamespace(MONITORING_NAMESPACE)], ports: [metrics] });
  return rules;
};

/** What the service may reach: each dependency on its ports, and the spec's external destinations. */
export const egressRules = (view: SystemView, input: ServiceInput): Rule[] => [
  ...dependenciesOf(input.spec).flatMap((dep): Rule[] => {
    const ports = ownPorts(serviceOf(view, dep).spec);
    return ports.length > 0 ? [{ peers: [fromApp(dep)], ports }] : [];
  }),
  ...(input.spec.egress ?? []).map((e): Rule => ({ peers: [{ ipBlock: { cidr: e.cidr } }], ports: e.ports.map((port) => ({ port, protocol: 'TCP' })) })),
];

/** The service's ingress and egress policies (each only when it allows something: deny-all already covers none). */
export const networkPolicies = (view: SystemView, input: ServiceInput, ctx: BaseContext): K8sObject[] => {
  const ingress = ingressRules(view, input, ctx);
  const egress = egressRules(view, input);
  return [...(ingress.length > 0 ? [policy(view, input.name, 'Ingress', ingress)] : []), ...(egress.length > 0 ? [policy(view, input.name, 'Egress', egress)] : [])];
};
