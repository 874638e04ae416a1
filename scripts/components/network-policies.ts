// NetworkPolicy allows that components declare; the namespace unit denies everything else.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { selectorLabels } from '../lib/labels.ts';
import type { K8sObject } from './component.ts';

/** The namespace the ingress controller add-on runs in. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
/** The namespace Prometheus runs in. */
export const MONITORING_NAMESPACE = 'monitoring';

export const fromNamespace = (ns: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
});

export const fromApp = (app: string): INetworkPolicyPeer => ({ podSelector: { matchLabels: selectorLabels(app) } });

/** Peer: anywhere, for internet-facing TCP such as RTMP publishers behind a load balancer. */
export const ANYWHERE: INetworkPolicyPeer = { ipBlock: { cidr: '0.0.0.0/0' } };

export interface IngressAllow {
  readonly from: readonly INetworkPolicyPeer[];
  readonly ports: readonly number[];
}

/** One policy per app: who may reach which of its ports. */
export const allowIngress = (s: {
  app: string;
  namespace: string;
  rules: readonly IngressAllow[];
}): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${s.app}-ingress`, namespace: s.namespace },
  spec: {
    podSelector: { matchLabels: selectorLabels(s.app) },
    policyTypes: ['Ingress'],
    ingress: s.rules.map((r) => ({
      from: [...r.from],
      ports: r.ports.map((port) => ({ port, protocol: 'TCP' })),
    })),
  },
});

export interface EgressAllow {
  readonly to: readonly INetworkPolicyPeer[];
  readonly ports: readonly number[];
}

export const allowEgress = (s: {
  app: string;
  namespace: string;
  rules: readonly EgressAllow[];
}): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `${s.app}-egress`, namespace: s.namespace },
  spec: {
    podSelector: { matchLabels: selectorLabels(s.app) },
    policyTypes: ['Egress'],
    egress: s.rules.map((r) => ({ to: [...r.to], ports: r.ports.map((port) => ({ port, protocol: 'TCP' })) })),
  },
});
