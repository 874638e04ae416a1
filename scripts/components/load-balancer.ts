// Per-cloud Service annotations for the TCP (RTMP) load balancer, keyed by the cluster's flavour, and the record of
// which controller reads them. The RTMP origin's Service and the ingress-nginx and Istio gateway Services
// (platform/addon-cluster-values.ts) get these annotations; every one of them has `externalTrafficPolicy: Local`.
//
// Rule: each flavour's annotations are read by a controller that is certainly running on that kind of cluster,
// without any add-on from inventory/fleet.yaml. A key that only an uninstalled controller reads does nothing, and
// on AWS it does worse: `aws-load-balancer-type: external` makes the in-cluster cloud controller step aside
// (`cloudprovider.ImplementedElsewhere`), so the Service stays <pending> for ever. docs/load-balancers.md says
// what each flavour needs on the cluster; tests/components/load-balancer.test.ts holds the emitted annotations to
// the upstream record below.
import type { LoadBalancerFlavour } from '../inventory/schema.ts';

/** One annotation key as the controller reads it in its source. */
export interface UpstreamKey {
  readonly key: string;
  /** Values that give the behaviour we want, as read in the source; undefined: the value names an object (a pool). */
  readonly values?: readonly string[];
  /** What the controller does with it. */
  readonly effect: string;
}

/** The controller that acts on a flavour's annotations, and where its source was read. */
export interface FlavourContract {
  readonly controller: string;
  /** Why the controller is running on every cluster of this flavour (or what the cluster must bring). */
  readonly present: string;
  /** `repo @ tag : path` of each place the keys and values below were read. */
  readonly checked: readonly string[];
  /** Exactly the keys this flavour emits. */
  readonly keys: readonly UpstreamKey[];
}

const AWS_CCM_TAG = 'kubernetes/cloud-provider-aws @ v1.32.8';

/**
 * aws-nlb: an NLB from the AWS cloud controller manager (kubernetes/cloud-provider-aws), which every EKS cluster runs
 * for Services of type LoadBalancer; the AWS Load Balancer Controller is not a platform add-on here.
 *
 * Trade-off (chosen over adding the AWS Load Balancer Controller): the cloud controller builds an NLB with instance
 * targets only (ensureTargetGroup hard-codes TargetTypeEnumInstance), so traffic enters through a node port and
 * kube-proxy, never straight to pod IPs; there are no NLB security groups, and it is the legacy path AWS develops
 * no further. What we need still holds: with `externalTrafficPolicy: Local` the controller health-checks
 * kube-proxy's healthCheckNodePort over HTTP (buildNLBHealthCheckConfiguration), so only nodes running an endpoint
 * receive traffic and kube-proxy does not SNAT, and instance targets keep the client address (client IP
 * preservation is on by default for instance targets: AWS's target-group documentation, not this source). The NLB
 * is internet-facing unless `aws-load-balancer-internal` is set to anything but "false" (EnsureLoadBalancer).
 *
 * Every key and value below is read the same way at v1.32.0, the line's first release (an EKS 1.32 cluster may run
 * any patch of it). `aws-load-balancer-target-group-attributes` (preserve_client_ip.enabled) is not used: it
 * appears only from v1.32.6.
 */
const AWS_NLB: FlavourContract = {
  controller: 'AWS cloud controller manager (kubernetes/cloud-provider-aws), service controller',
  present: 'EKS runs it in the control plane for every Service of type LoadBalancer the AWS Load Balancer Controller does not claim.',
  checked: [
    `${AWS_CCM_TAG} : pkg/providers/v1/aws.go (annotation constants; EnsureLoadBalancer: internal annotation, NLB path, buildNLBHealthCheckConfiguration)`,
    `${AWS_CCM_TAG} : pkg/providers/v1/aws_loadbalancer.go (isNLB, isLBExternal, ensureLoadBalancerv2, reconcileLBAttributes, ensureTargetGroup)`,
    'kubernetes/cloud-provider-aws @ v1.32.0 : the same two files (same keys, same values)',
  ],
  keys: [
    {
      key: 'service.beta.kubernetes.io/aws-load-balancer-type',
      // isNLB: == "nlb". isLBExternal: "nlb-ip" or "external" → ImplementedElsewhere (see AWS_CCM_HANDS_OFF_TYPES).
      values: ['nlb'],
      effect: 'an elbv2 Network Load Balancer instead of a Classic ELB',
    },
    {
      key: 'service.beta.kubernetes.io/aws-load-balancer-internal',
      // EnsureLoadBalancer: "false" → internalELB = false; any other non-empty value → internal.
      values: ['false'],
      effect: 'internet-facing scheme, said explicitly (also the default); the AWS Load Balancer Controller reads the same key the same way (its legacy scheme annotation), so the NLB stays public should it ever claim the Service',
    },
    {
      key: 'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled',
      // reconcileLBAttributes: strconv.ParseBool; defaults to "false".
      values: ['true'],
      effect: 'load_balancing.cross_zone.enabled: every zone\'s NLB address reaches the nodes that run an endpoint, whichever zone they are in',
    },
  ],
};

/**
 * Values of `aws-load-balancer-type` for which the AWS cloud controller returns ImplementedElsewhere and leaves the
 * Service to the AWS Load Balancer Controller. Checked: kubernetes/cloud-provider-aws @ v1.32.8 :
 * pkg/providers/v1/aws_loadbalancer.go (isLBExternal).
 */
export const AWS_CCM_HANDS_OFF_TYPES: readonly string[] = ['external', 'nlb-ip'];

/**
 * Every `service.beta.kubernetes.io/aws-*` key the AWS cloud controller reads.
 * Checked: kubernetes/cloud-provider-aws @ v1.32.8 : pkg/providers/v1 (all non-test files; the constants live in aws.go).
 */
export const AWS_CCM_KEYS: readonly string[] = [
  'access-log-emit-interval', 'access-log-enabled', 'access-log-s3-bucket-name', 'access-log-s3-bucket-prefix',
  'additional-resource-tags', 'backend-protocol', 'connection-draining-enabled', 'connection-draining-timeout',
  'connection-idle-timeout', 'cross-zone-load-balancing-enabled', 'eip-allocations', 'extra-security-groups',
  'healthcheck-healthy-threshold', 'healthcheck-interval', 'healthcheck-path', 'healthcheck-port', 'healthcheck-protocol',
  'healthcheck-timeout', 'healthcheck-unhealthy-threshold', 'internal', 'proxy-protocol', 'security-groups',
  'ssl-cert', 'ssl-negotiation-policy', 'ssl-ports', 'subnets', 'target-group-attributes', 'target-node-labels', 'type',
].map((suffix) => `service.beta.kubernetes.io/aws-load-balancer-${suffix}`);

/**
 * Every Service annotation key the AWS Load Balancer Controller reads (its service controller's parser prefixes each
 * suffix with `service.beta.kubernetes.io`). `aws-load-balancer-listener-attributes` is a prefix (`….TCP-1935`).
 * Checked: kubernetes-sigs/aws-load-balancer-controller @ v2.17.1 : pkg/annotations/constants.go (SvcLBSuffix*)
 * and controllers/service/service_controller.go (serviceAnnotationPrefix).
 */
export const AWS_LB_CONTROLLER_KEYS: readonly string[] = [
  'load-balancer-source-ranges',
  ...[
    'access-log-enabled', 'access-log-s3-bucket-name', 'access-log-s3-bucket-prefix', 'additional-resource-tags',
    'alpn-policy', 'attributes', 'backend-protocol', 'cross-zone-load-balancing-enabled', 'disable-nlb-sg',
    'eip-allocations', 'enable-icmp-for-path-mtu-discovery', 'enable-prefix-for-ipv6-source-nat',
    'enable-tcp-udp-listener', 'healthcheck-healthy-threshold', 'healthcheck-interval', 'healthcheck-path',
    'healthcheck-port', 'healthcheck-protocol', 'healthcheck-success-codes', 'healthcheck-timeout',
    'healthcheck-unhealthy-threshold', 'inbound-sg-rules-on-private-link-traffic', 'internal', 'ip-address-type',
    'ipv6-addresses', 'listener-attributes', 'manage-backend-security-group-rules', 'minimum-load-balancer-capacity',
    'multi-cluster-target-group', 'name', 'nlb-target-type', 'private-ipv4-addresses', 'proxy-protocol',
    'proxy-protocol-per-target-group', 'quic-enabled-ports', 'scheme', 'security-group-prefix-lists',
    'security-groups', 'source-nat-ipv6-prefixes', 'ssl-cert', 'ssl-negotiation-policy', 'ssl-ports', 'subnets',
    'target-group-attributes', 'target-node-labels', 'type',
  ].map((suffix) => `aws-load-balancer-${suffix}`),
].map((suffix) => `service.beta.kubernetes.io/${suffix}`);

/**
 * Keys only the AWS Load Balancer Controller reads: on a cluster without it they do nothing. Leaves out
 * `load-balancer-source-ranges`, which the cloud controller reads too through k8s.io/cloud-provider's
 * servicehelpers.GetLoadBalancerSourceRanges (aws.go, EnsureLoadBalancer).
 */
export const AWS_LB_CONTROLLER_ONLY_KEYS: readonly string[] = AWS_LB_CONTROLLER_KEYS.filter(
  (k) => !AWS_CCM_KEYS.includes(k) && k !== 'service.beta.kubernetes.io/load-balancer-source-ranges',
);

/**
 * The upstream record: for each flavour, the controller, where it was read, and exactly the keys emitted.
 * Kubernetes 1.32 (inventory/fleet.yaml kubernetesVersion) picks the cloud controllers' release lines.
 */
export const LOAD_BALANCER_CONTRACTS: Readonly<Record<LoadBalancerFlavour, FlavourContract>> = {
  'aws-nlb': AWS_NLB,
  'gcp-l4': {
    controller: 'GKE L4 NetLB controller (kubernetes/ingress-gce, L4NetLBController), run by Google in the GKE control plane',
    present: 'GKE runs it while the HttpLoadBalancing add-on is enabled (the default); Google picks its version, and the repository\'s GKE version table stops at 1.21, so the tag is the newest release rather than a 1.32 line.',
    checked: [
      'kubernetes/ingress-gce @ v1.41.1 : pkg/l4/annotations/service.go (RBSAnnotationKey, RBSEnabled, HasRBSAnnotation)',
      'kubernetes/ingress-gce @ v1.41.1 : pkg/l4/controllers/l4netlbcontroller.go (isRBSBasedService)',
      'kubernetes/ingress-gce @ v1.17.0, v1.20.0, v1.25.0, v1.30.0 : the same key and value',
      'Google\'s GKE guide "Create a backend service-based external load balancer" (external-svc-lb-rbs): requirements',
    ],
    keys: [
      {
        key: 'cloud.google.com/l4-rbs',
        values: ['enabled'],
        effect: 'a backend-service-based external passthrough Network Load Balancer instead of a target-pool one; a passthrough LB hands packets to the nodes with their client source address',
      },
    ],
  },
  'azure-lb': {
    controller: 'Azure cloud controller manager (kubernetes-sigs/cloud-provider-azure), service controller',
    present: 'AKS runs it for every Service of type LoadBalancer.',
    checked: [
      'kubernetes-sigs/cloud-provider-azure @ v1.32.20 : pkg/consts/consts.go (ServiceAnnotationLoadBalancerHealthProbeProtocol)',
      'kubernetes-sigs/cloud-provider-azure @ v1.32.20 : pkg/consts/helpers.go (IsK8sServiceUsingInternalLoadBalancer: public unless internal is "true")',
      'kubernetes-sigs/cloud-provider-azure @ v1.32.20 : pkg/provider/azure_loadbalancer_healthprobe.go (buildHealthProbeRulesForPort)',
      'kubernetes-sigs/cloud-provider-azure @ v1.32.20 : pkg/provider/azure_loadbalancer.go (getExpectedLBRules: Local → kube-proxy health probe)',
      'kubernetes-sigs/cloud-provider-azure @ v1.32.0 : pkg/consts/consts.go (same key)',
    ],
    keys: [
      {
        key: 'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol',
        // EqualFold against Tcp / Http / Https; a port's appProtocol wins over this Service-wide key.
        values: ['tcp'],
        effect: 'TCP health probes for ports without appProtocol on externalTrafficPolicy Cluster Services; with Local (all of ours) the controller probes kube-proxy\'s healthCheckNodePort over HTTP and ignores it',
      },
    ],
  },
  metallb: {
    controller: 'MetalLB controller (metallb/metallb)',
    present: 'No add-on installs it: the cluster must run MetalLB v0.14.9 or later with an IPAddressPool named streaming-public.',
    checked: [
      'metallb/metallb @ v0.16.1 : controller/service.go (AnnotationAddressPool = "metallb.io/address-pool"; the deprecated metallb.universe.tf/address-pool is still read as a fallback)',
      'metallb/metallb @ v0.14.9 : controller/service.go (first release reading metallb.io/; v0.14.8 and older read only metallb.universe.tf/address-pool)',
    ],
    keys: [{ key: 'metallb.io/address-pool', effect: 'allocate the address from the named IPAddressPool' }],
  },
  klipper: {
    controller: 'k3s ServiceLB (klipper-lb)',
    present: 'k3s and k3d run it unless the server disables servicelb.',
    checked: [],
    keys: [],
  },
};

/** The MetalLB IPAddressPool the streaming clusters' public addresses come from. */
export const METALLB_ADDRESS_POOL = 'streaming-public';

/**
 * Annotations that make each cloud provision an L4 pass-through load balancer that preserves the client
 * address (with `externalTrafficPolicy: Local` on the Service). klipper (k3s/k3d servicelb) needs none.
 */
export const loadBalancerAnnotations = (flavour: LoadBalancerFlavour): Record<string, string> => {
  switch (flavour) {
    case 'aws-nlb':
      return {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        'service.beta.kubernetes.io/aws-load-balancer-internal': 'false',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      };
    case 'gcp-l4':
      return { 'cloud.google.com/l4-rbs': 'enabled' };
    case 'azure-lb':
      return { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol': 'tcp' };
    case 'metallb':
      return { 'metallb.io/address-pool': METALLB_ADDRESS_POOL };
    case 'klipper':
      return {};
  }
};
