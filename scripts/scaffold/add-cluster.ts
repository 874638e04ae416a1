// `pnpm new cluster`: append a cluster to inventory/clusters.yaml as a comment-preserving edit. Pure: text in,
// text out. Defaults come from the clusters already in the same environment, so a new cluster looks like its
// peers unless told otherwise; the loader then validates the result exactly as it validates hand edits.
import { appendSeqItem } from './yaml-insert.ts';
import { STACKS, type Capability, type LoadBalancerFlavour, type StackName } from '../inventory/schema.ts';
import type { Cluster, Fleet } from '../model/fleet.ts';

export interface NewCluster {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly capabilities?: readonly Capability[];
  readonly stacks?: readonly StackName[];
  readonly domain?: string;
  readonly storageClass?: string;
  readonly loadBalancer?: LoadBalancerFlavour;
}

/** The labels all the domains share at their end, e.g. `media.acme-media.net`; '' when none. */
export const commonDomainSuffix = (domains: readonly string[]): string => {
  if (domains.length === 0) return '';
  const split = domains.map((d) => d.split('.').reverse());
  const out: string[] = [];
  for (let i = 0; split.every((s) => s[i] !== undefined && s[i] === split[0]![i]); i++) out.push(split[0]![i]!);
  return out.reverse().join('.');
};

/** Most frequent value (ties: first seen), or undefined. */
const mode = <T>(xs: readonly T[]): T | undefined => {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | undefined;
  for (const [x, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = x;
  return best;
};

export interface ResolvedCluster {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly destination: { readonly name: string };
  readonly domain: string;
  readonly storageClass: string;
  readonly loadBalancer: string;
  readonly capabilities?: readonly Capability[];
  readonly stacks: readonly string[];
}

/** Fill the options a user did not give from the cluster's peers (same environment first, then the fleet). */
export const resolveCluster = (fleet: Fleet, c: NewCluster): ResolvedCluster | { missing: string[] } => {
  const peers: readonly Cluster[] = fleet.clusters.filter((x) => x.environment === c.environment);
  const pool = peers.length > 0 ? peers : fleet.clusters;
  const suffix = commonDomainSuffix(pool.map((x) => x.domain));
  const domain = c.domain ?? (suffix ? `${c.name}.${suffix}` : undefined);
  const storageClass = c.storageClass ?? mode(pool.map((x) => x.storageClass));
  const loadBalancer = c.loadBalancer ?? mode(pool.map((x) => x.loadBalancer));
  const missing = [
    ...(domain ? [] : ['--domain']),
    ...(storageClass ? [] : ['--storage-class']),
    ...(loadBalancer ? [] : ['--load-balancer']),
  ];
  if (missing.length > 0 || !domain || !storageClass || !loadBalancer) return { missing };
  // Built-in stacks only: a system's placement (systems/<name>.yaml) decides where it runs, not clusters.yaml.
  const stacks = c.stacks ?? mode(pool.map((x) => x.stacks.filter((s) => (STACKS as readonly string[]).includes(s)).join(',')))?.split(',') ?? [];
  return {
    name: c.name,
    environment: c.environment,
    region: c.region,
    destination: { name: c.name },
    domain,
    storageClass,
    loadBalancer,
    ...(c.capabilities && c.capabilities.length > 0 ? { capabilities: [...c.capabilities] } : {}),
    stacks,
  };
};

/** Append the cluster to the `clusters:` list; every other byte of the file stays as it was. */
export const appendCluster = (clustersYaml: string, cluster: ResolvedCluster): string =>
  appendSeqItem(clustersYaml, ['clusters'], cluster);
