// Contract between the load-balancer annotations we emit and the controllers that read them: each flavour emits
// exactly the keys recorded from its controller's source (scripts/components/load-balancer.ts), with values that
// controller gives the meaning we want, and aws-nlb emits nothing only the (uninstalled) AWS Load Balancer
// Controller reads. The old `aws-load-balancer-type: external` left every EKS Service <pending>: the AWS cloud
// controller hands such Services to the LB controller, which no add-on installs.
import { describe, expect, it } from 'vitest';
import {
  AWS_CCM_HANDS_OFF_TYPES,
  AWS_CCM_KEYS,
  AWS_LB_CONTROLLER_KEYS,
  AWS_LB_CONTROLLER_ONLY_KEYS,
  LOAD_BALANCER_CONTRACTS,
  loadBalancerAnnotations,
  type FlavourContract,
} from '../../scripts/components/load-balancer.ts';
import { LOAD_BALANCERS, type LoadBalancerFlavour } from '../../scripts/inventory/schema.ts';

const AWS_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';

/** Why an annotation set breaks its flavour's contract; empty when it keeps it. */
const violations = (annotations: Record<string, string>, contract: FlavourContract): string[] => {
  const recorded = new Map(contract.keys.map((k) => [k.key, k]));
  return [
    ...Object.entries(annotations).flatMap(([key, value]) => {
      const k = recorded.get(key);
      if (!k) return [`${key}: not read by ${contract.controller}`];
      return k.values && !k.values.includes(value) ? [`${key}=${value}: expected one of ${k.values.join(', ')}`] : [];
    }),
    ...[...recorded.keys()].filter((key) => !(key in annotations)).map((key) => `${key}: recorded but not emitted`),
  ];
};

/** Matches a recorded LB-controller key, some of which are prefixes (`…-listener-attributes.TCP-1935`). */
const isLbControllerOnly = (key: string): boolean => AWS_LB_CONTROLLER_ONLY_KEYS.some((k) => key === k || key.startsWith(`${k}.`));

describe('load-balancer annotations against the upstream record', () => {
  it('records a contract for every flavour the inventory accepts', () => {
    expect(Object.keys(LOAD_BALANCER_CONTRACTS).sort()).toEqual([...LOAD_BALANCERS].sort());
  });

  it.each(LOAD_BALANCERS.map((flavour) => ({ flavour })))('$flavour emits exactly the recorded keys with accepted values', ({ flavour }) => {
    const contract = LOAD_BALANCER_CONTRACTS[flavour];
    expect(Object.keys(loadBalancerAnnotations(flavour)).sort()).toEqual(contract.keys.map((k) => k.key).sort());
    expect(violations(loadBalancerAnnotations(flavour), contract)).toEqual([]);
  });

  it.each(LOAD_BALANCERS.filter((f) => LOAD_BALANCER_CONTRACTS[f].keys.length > 0).map((flavour) => ({ flavour })))(
    '$flavour names where its keys were read (repo @ tag : path)',
    ({ flavour }) => {
      const { checked } = LOAD_BALANCER_CONTRACTS[flavour];
      expect(checked.length).toBeGreaterThan(0);
      for (const ref of checked.filter((r) => !r.startsWith('Google'))) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+ @ v[\d.]+(, v[\d.]+)* : \S/);
    },
  );

  // The checker itself: table of annotation sets it must reject, the first being what aws-nlb used to emit.
  it.each<{ name: string; flavour: LoadBalancerFlavour; annotations: Record<string, string>; found: RegExp }>([
    {
      name: 'the old aws-nlb set (type external, LB-controller keys)',
      flavour: 'aws-nlb',
      annotations: {
        [AWS_TYPE]: 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      },
      found: /aws-load-balancer-type=external/,
    },
    { name: 'type nlb-ip', flavour: 'aws-nlb', annotations: { ...loadBalancerAnnotations('aws-nlb'), [AWS_TYPE]: 'nlb-ip' }, found: /=nlb-ip/ },
    { name: 'an internal NLB', flavour: 'aws-nlb', annotations: { ...loadBalancerAnnotations('aws-nlb'), 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }, found: /internal=true/ },
    { name: 'a missing key', flavour: 'gcp-l4', annotations: {}, found: /recorded but not emitted/ },
    { name: 'the older MetalLB key', flavour: 'metallb', annotations: { 'metallb.universe.tf/address-pool': 'streaming-public' }, found: /not read by/ },
  ])('rejects $name', ({ flavour, annotations, found }) => {
    expect(violations(annotations, LOAD_BALANCER_CONTRACTS[flavour]).join('\n')).toMatch(found);
  });
});

describe('aws-nlb without the AWS Load Balancer Controller', () => {
  const aws = loadBalancerAnnotations('aws-nlb');

  it('never asks for a type the AWS cloud controller hands to the LB controller', () => {
    expect(aws[AWS_TYPE]).toBe('nlb');
    expect(AWS_CCM_HANDS_OFF_TYPES).toContain('external');
    for (const handedOff of AWS_CCM_HANDS_OFF_TYPES) expect(aws[AWS_TYPE]).not.toBe(handedOff);
  });

  it('emits no key that only the AWS Load Balancer Controller reads', () => {
    expect(Object.keys(aws).filter(isLbControllerOnly)).toEqual([]);
  });

  it('emits only keys the AWS cloud controller reads', () => {
    expect(Object.keys(aws).filter((k) => !AWS_CCM_KEYS.includes(k))).toEqual([]);
  });

  // Guards the recorded lists: the keys the old set relied on are LB-controller-only, the shared ones are not.
  it.each([
    { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', only: true },
    { key: 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type', only: true },
    { key: 'service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-1935', only: true },
    { key: 'service.beta.kubernetes.io/aws-load-balancer-type', only: false },
    { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', only: false },
    { key: 'service.beta.kubernetes.io/load-balancer-source-ranges', only: false },
  ])('$key is LB-controller-only: $only', ({ key, only }) => {
    expect(isLbControllerOnly(key)).toBe(only);
  });

  it('derives the LB-controller-only list from both recorded key sets', () => {
    expect(AWS_LB_CONTROLLER_ONLY_KEYS.filter((k) => AWS_CCM_KEYS.includes(k))).toEqual([]);
    expect(AWS_LB_CONTROLLER_ONLY_KEYS.filter((k) => !AWS_LB_CONTROLLER_KEYS.includes(k))).toEqual([]);
    expect(new Set(AWS_CCM_KEYS).size).toBe(AWS_CCM_KEYS.length);
    expect(new Set(AWS_LB_CONTROLLER_KEYS).size).toBe(AWS_LB_CONTROLLER_KEYS.length);
  });
});
