// Per-cloud Service annotations for the TCP (RTMP) load balancer, keyed by the cluster's flavour.
import type { LoadBalancerFlavour } from '../inventory/schema.ts';

/**
 * Annotations that make each cloud provision an L4 pass-through load balancer that preserves the client
 * address (with `externalTrafficPolicy: Local` on the Service). klipper (k3s/k3d servicelb) needs none.
 */
export const loadBalancerAnnotations = (flavour: LoadBalancerFlavour): Record<string, string> => {
  switch (flavour) {
    case 'aws-nlb':
      return {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      };
    case 'gcp-l4':
      return { 'cloud.google.com/l4-rbs': 'enabled' };
    case 'azure-lb':
      return { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol': 'tcp' };
    case 'metallb':
      return { 'metallb.io/address-pool': 'streaming-public' };
    case 'klipper':
      return {};
  }
};
