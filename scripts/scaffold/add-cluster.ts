// `pnpm new cluster`: add a cluster to inventory/clusters.yaml as a copy of a peer. Pure: text in, text out.
// Every setting of the peer that is not the cluster's identity is copied as it is written (so a prod cluster gets
// its peer's managed services, platform and capabilities and passes the same checks); the identity is given or
// derived, and the plan says which value came from where. The loader then validates the result like a hand edit.
//
// Identity (never copied as is):
//   name         given
//   environment  given (--env), else the peer's
//   region       given (--region), else the peer's
//   destination  derived: `name: <cluster name>` (the name the cluster is registered under in Argo CD)
//   domain       given (--domain), else derived from the peer's: the new name in place of its first label
// Everything else (storageClass, loadBalancer, capabilities, stacks, baseline, streaming, transcoding, monitoring,
// platform, and any field added to the schema later) is copied unless a flag overrides it.
import { isMap, isScalar, isSeq, parseDocument, visit, type Node, type YAMLMap } from 'yaml';
import { block, insertSeqItem } from './yaml-insert.ts';
import type { Capability, LoadBalancerFlavour, StackName } from '../inventory/schema.ts';

export interface NewCluster {
  readonly name: string;
  /** The cluster to copy; without it, one of the environment's clusters (see choosePeer). */
  readonly like?: string;
  readonly environment?: string;
  readonly region?: string;
  readonly domain?: string;
  readonly capabilities?: readonly Capability[];
  readonly stacks?: readonly StackName[];
  readonly storageClass?: string;
  readonly loadBalancer?: LoadBalancerFlavour;
}

/** Where one top-level field of the new entry came from, in words for the plan. */
export interface FieldOrigin {
  readonly field: string;
  readonly value: string;
  readonly origin: string;
}

/** A copied value that names the peer (its name, region or domain label): it may be the peer's own resource. */
export interface ReviewNote {
  readonly path: string;
  readonly value: string;
  readonly mentions: string;
}

export interface ClusterPlan {
  readonly name: string;
  readonly environment: string;
  readonly peer: string;
  /** Why this peer: `--like`, or how it was chosen. */
  readonly peerReason: string;
  /** The entry as it is inserted (indented like the file's items). */
  readonly entryText: string;
  /** clusters.yaml with the entry inserted. */
  readonly text: string;
  /** `before <cluster>`, `after <cluster>` or `at the end`. */
  readonly position: string;
  readonly origins: readonly FieldOrigin[];
  readonly review: readonly ReviewNote[];
}

/** What the user must give because it cannot be copied or derived; nothing is written. */
export interface MissingInput {
  readonly missing: readonly string[];
}

/** The identity fields, in the order the entry lists them. */
export const IDENTITY_FIELDS = ['name', 'environment', 'region', 'destination', 'domain'] as const;

interface RawCluster {
  readonly index: number;
  readonly node: YAMLMap;
  readonly name: string;
  readonly environment: string;
  readonly capabilities: readonly string[];
}

const str = (node: YAMLMap, key: string): string => {
  const v = node.get(key);
  return typeof v === 'string' ? v : '';
};

const rawClusters = (text: string): { doc: ReturnType<typeof parseDocument>; clusters: RawCluster[] } => {
  const doc = parseDocument(text);
  const seq = doc.getIn(['clusters'], true);
  if (!isSeq(seq)) return { doc, clusters: [] };
  const clusters = seq.items.flatMap((item, index) => {
    if (!isMap(item)) return [];
    const caps = item.get('capabilities');
    return [{
      index,
      node: item,
      name: str(item, 'name'),
      environment: str(item, 'environment'),
      capabilities: isSeq(caps) ? caps.items.map((c) => (isScalar(c) ? String(c.value) : '')).sort() : [],
    }];
  });
  return { doc, clusters };
};

/**
 * The peer a cluster is copied from without --like: the environment's clusters with exactly the capabilities asked
 * for (when --capability is given), else all of them; the first by name, so the choice never depends on file order.
 */
const choosePeer = (clusters: readonly RawCluster[], req: NewCluster): { peer: RawCluster; reason: string } | MissingInput => {
  const env = req.environment!;
  const inEnv = clusters.filter((c) => c.environment === env);
  if (inEnv.length === 0) {
    const names = clusters.map((c) => c.name).sort();
    return { missing: [`--like PEER: environment "${env}" has no cluster to copy settings from (one of: ${names.join(', ') || 'none'})`] };
  }
  const wanted = req.capabilities === undefined ? undefined : [...req.capabilities].sort().join(',');
  const matching = wanted === undefined ? [] : inEnv.filter((c) => c.capabilities.join(',') === wanted);
  const pool = matching.length > 0 ? matching : inEnv;
  const peer = [...pool].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0]!;
  const among = matching.length > 0 ? `${env}'s clusters with capabilities [${wanted}]` : `${env}'s clusters`;
  return { peer, reason: `first by name of ${among} (${pool.map((c) => c.name).sort().join(', ')}); choose another with --like` };
};

/** The peer's domain with the new name in place of its first label; undefined when too short to share a parent. */
export const deriveDomain = (peerDomain: string, name: string): string | undefined => {
  const labels = peerDomain.split('.');
  return labels.length >= 3 ? [name, ...labels.slice(1)].join('.') : undefined;
};

/** The copy, without the peer's comments and blank lines: those described the peer, not the new cluster. */
const bareCopy = (node: YAMLMap): YAMLMap => {
  const copy = node.clone() as YAMLMap;
  visit(copy, {
    Node: (_, n) => {
      n.comment = undefined;
      n.commentBefore = undefined;
      n.spaceBefore = undefined;
    },
  });
  return copy;
};

const flowList = (doc: ReturnType<typeof parseDocument>, items: readonly string[]): Node => {
  const seq = doc.createNode([...items]);
  seq.flow = true;
  return seq;
};

/** One line for the plan: scalars as they read, collections in flow style. */
const oneLine = (value: unknown): string => {
  if (value === undefined) return '';
  if (isScalar(value)) return String(value.value);
  if (isMap(value) || isSeq(value)) {
    const json = JSON.stringify(value.toJSON());
    return json.length > 70 ? `${json.slice(0, 67)}...` : json;
  }
  return String(value);
};

/** Copied string values mentioning any of `tokens`, with their dotted path. */
const mentions = (node: unknown, path: string, tokens: readonly string[], out: ReviewNote[]): void => {
  if (isMap(node)) {
    for (const pair of node.items) mentions(pair.value, `${path}.${isScalar(pair.key) ? String(pair.key.value) : '?'}`, tokens, out);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => mentions(item, `${path}[${i}]`, tokens, out));
  } else if (isScalar(node) && typeof node.value === 'string') {
    const hit = tokens.find((t) => (node.value as string).toLowerCase().includes(t.toLowerCase()));
    if (hit !== undefined) out.push({ path, value: node.value, mentions: hit });
  }
};

/**
 * Where the entry goes: name-sorted among its environment's clusters (before the first of them, in file order,
 * whose name sorts after it), else after the environment's last cluster, else at the end. Two teammates adding
 * different clusters then edit different lines of clusters.yaml.
 */
const insertionPoint = (clusters: readonly RawCluster[], env: string, name: string): { at: { before: number } | { after: number }; position: string } => {
  const inEnv = clusters.filter((c) => c.environment === env);
  const next = inEnv.find((c) => c.name > name);
  if (next !== undefined) return { at: { before: next.index }, position: `before ${next.name}` };
  const last = inEnv.at(-1) ?? clusters.at(-1);
  if (last === undefined) throw new Error('clusters.yaml has no cluster to place the new one next to');
  return { at: { after: last.index }, position: inEnv.length > 0 ? `after ${last.name}` : 'at the end' };
};

/** Plan the new entry: copy the peer, set the identity, apply the flags, insert it in sorted position. */
export const planCluster = (clustersYaml: string, req: NewCluster): ClusterPlan | MissingInput => {
  const { doc, clusters } = rawClusters(clustersYaml);
  let chosen: { peer: RawCluster; reason: string };
  if (req.like !== undefined) {
    const peer = clusters.find((c) => c.name === req.like);
    if (peer === undefined) {
      return { missing: [`--like ${req.like}: no such cluster; one of ${clusters.map((c) => c.name).sort().join(', ')}`] };
    }
    chosen = { peer, reason: '--like' };
  } else {
    const missing = [...(req.environment === undefined ? ['--env ENV'] : []), ...(req.region === undefined ? ['--region REGION'] : [])];
    if (missing.length > 0) return { missing: [`${missing.join(' and ')} (or --like PEER to copy them from a cluster)`] };
    const picked = choosePeer(clusters, req);
    if ('missing' in picked) return picked;
    chosen = picked;
  }
  const { peer } = chosen;
  const peerDomain = str(peer.node, 'domain');
  const peerRegion = str(peer.node, 'region');
  const environment = req.environment ?? peer.environment;
  const region = req.region ?? peerRegion;
  const domain = req.domain ?? deriveDomain(peerDomain, req.name);
  if (domain === undefined) return { missing: [`--domain DOMAIN: ${peer.name}'s domain "${peerDomain}" has no parent domain to put ${req.name} under`] };

  const entry = bareCopy(peer.node);
  const origins: FieldOrigin[] = [];
  const copied = `copied from ${peer.name}`;
  entry.set('name', req.name);
  origins.push({ field: 'name', value: req.name, origin: 'given' });
  entry.set('environment', environment);
  origins.push({
    field: 'environment',
    value: environment,
    origin: req.environment === undefined ? copied : environment === peer.environment ? 'given (--env)' : `given (--env); ${peer.name} is in ${peer.environment}: check its copied settings suit ${environment}`,
  });
  entry.set('region', region);
  origins.push({ field: 'region', value: region, origin: req.region === undefined ? `${copied} (give --region for another)` : 'given (--region)' });
  const peerServer = peer.node.getIn(['destination', 'server']);
  entry.set('destination', doc.createNode({ name: req.name }));
  origins.push({
    field: 'destination',
    value: `name: ${req.name}`,
    origin: `derived: the cluster name, as registered in Argo CD${typeof peerServer === 'string' ? ` (${peer.name} uses server: ${peerServer}; edit if this one must too)` : ''}`,
  });
  entry.set('domain', domain);
  origins.push({
    field: 'domain',
    value: domain,
    origin: req.domain !== undefined ? 'given (--domain)' : `derived from ${peer.name}'s domain ${peerDomain}: ${req.name} in place of "${peerDomain.split('.')[0]}" (give --domain to choose)`,
  });

  const overrides: ReadonlyArray<readonly [string, string, unknown]> = [
    ['storageClass', '--storage-class', req.storageClass],
    ['loadBalancer', '--load-balancer', req.loadBalancer],
    ['capabilities', '--capability', req.capabilities],
    ['stacks', '--stacks', req.stacks],
  ];
  const overridden = new Set<string>();
  for (const [field, flag, value] of overrides) {
    if (value === undefined) continue;
    overridden.add(field);
    if (Array.isArray(value) && value.length === 0) entry.delete(field);
    else entry.set(field, Array.isArray(value) ? flowList(doc, value as string[]) : value);
    origins.push({ field, value: Array.isArray(value) ? `[${value.join(', ')}]` : String(value), origin: `given (${flag})` });
  }
  const identity = new Set<string>(IDENTITY_FIELDS);
  const review: ReviewNote[] = [];
  // Tokens that identify the peer; a copied value holding one probably names the peer's own resource.
  const peerLabel = peerDomain.split('.')[0] ?? '';
  const tokens = [
    peer.name,
    ...(region !== peerRegion ? [peerRegion] : []),
    ...(peerLabel.length >= 3 && peerLabel !== domain.split('.')[0] && !peer.name.includes(peerLabel) ? [peerLabel] : []),
  ].filter((t) => t.length > 0);
  for (const pair of entry.items) {
    const field = isScalar(pair.key) ? String(pair.key.value) : '';
    if (identity.has(field) || overridden.has(field)) continue;
    origins.push({ field, value: oneLine(pair.value), origin: copied });
    mentions(pair.value, field, tokens, review);
  }
  // Identity first, then the rest in the entry's order.
  const order = entry.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  origins.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));

  const { at, position } = insertionPoint(clusters, environment, req.name);
  return {
    name: req.name,
    environment,
    peer: peer.name,
    peerReason: chosen.reason,
    entryText: block([entry], '  '),
    text: insertSeqItem(clustersYaml, ['clusters'], entry, at),
    position,
    origins,
    review,
  };
};

/** The plan as the CLI prints it. */
export const describeClusterPlan = (plan: ClusterPlan, dryRun: boolean): string => {
  const width = Math.max(...plan.origins.map((o) => o.field.length)) + 2;
  const lines = [
    `${dryRun ? 'would add' : 'adding'} cluster ${plan.name} to inventory/clusters.yaml (${plan.environment}, ${plan.position})`,
    `peer: ${plan.peer} (${plan.peerReason})`,
    '',
    'where each value comes from:',
    ...plan.origins.map((o) => `  ${o.field.padEnd(width)}${o.origin}`),
  ];
  if (plan.review.length > 0) {
    lines.push('', `check these copied values: they name ${plan.peer}'s own resources, which ${plan.name} may not share:`);
    for (const r of plan.review) lines.push(`  ${r.path}: ${r.value}  (mentions "${r.mentions}")`);
  }
  lines.push('', 'the entry:', plan.entryText.trimEnd(), '');
  return `${lines.join('\n')}\n`;
};
