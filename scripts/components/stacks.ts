// Stack-wide facts and the namespace unit every stack starts with.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { StackName } from '../inventory/schema.ts';
import { LABEL_STACK, MANAGED_BY, selectorLabels } from '../lib/labels.ts';
import { MONITORING_NAMESPACE } from './network-policies.ts';
import { OTEL_COLLECTOR, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './telemetry.ts';
import type { K8sObject } from './component.ts';

/** Each stack lives in one namespace of the same name. */
export const stackNamespace = (stack: StackName): string => stack;

/**
 * Argo CD must never delete a namespace (and with it every PVC) because a file disappeared from Git:
 * pruning it needs a human confirmation, and deleting the Application leaves it in place.
 */
export const PROTECT_FROM_PRUNE = { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=confirm' } as const;

const namespaceObject = (stack: StackName): INamespace & K8sObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: stackNamespace(stack),
    annotations: { ...PROTECT_FROM_PRUNE },
    labels: {
      'app.kubernetes.io/managed-by': MANAGED_BY,
      [LABEL_STACK]: stack,
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    },
  },
});

/** Deny all traffic to and from every pod of the namespace; apps add explicit allows. */
const defaultDeny = (stack: StackName): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: stackNamespace(stack) },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

/** Every pod may resolve names through cluster DNS. */
const allowDns = (stack: StackName): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-dns-egress', namespace: stackNamespace(stack) },
  spec: {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ],
  },
});

/** Every pod may export traces to the monitoring stack's OpenTelemetry collector (see telemetry.ts). */
const allowOtlp = (stack: StackName): INetworkPolicy & K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-otlp-egress', namespace: stackNamespace(stack) },
  spec: {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': MONITORING_NAMESPACE } }, podSelector: { matchLabels: selectorLabels(OTEL_COLLECTOR) } }],
        ports: [
          { port: OTLP_GRPC_PORT, protocol: 'TCP' },
          { port: OTLP_HTTP_PORT, protocol: 'TCP' },
        ],
      },
    ],
  },
});

export const namespaceUnit = (stack: StackName): K8sObject[] => [
  namespaceObject(stack),
  defaultDeny(stack),
  allowDns(stack),
  allowOtlp(stack),
];
