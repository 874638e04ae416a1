// clusters/<cluster>/platform after real Kustomize: one ClusterIssuer per cluster for its environment's Let's
// Encrypt directory under the environment's `clusterIssuer` name, the ClusterSecretStore `platform-secrets` with
// the cluster's provider and region, DNS-01 solvers when the inventory asks, and a platform AppProject that
// allows exactly the kinds these folders hold.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLUSTER_SECRET_STORE } from '../../scripts/components/secrets.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';
import type { BuiltObject } from '../support/rendered.ts';
import { clusterIndex, renderPlatformFleet, type PlatformFleet } from './support.ts';

const STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests narrow what they read
const specOf = (o: BuiltObject): Record<string, any> => o.spec as Record<string, unknown>;

interface GroupKind {
  group: string;
  kind: string;
}
const projectOf = async (root: string): Promise<{ spec: { clusterResourceWhitelist: GroupKind[]; namespaceResourceWhitelist: GroupKind[]; sourceRepos: string[] } }> =>
  parse(await readFile(join(root, 'argocd/projects/platform-appproject.yaml'), 'utf8')) as never;

const route53 = (region: string, zone: string): Record<string, unknown> => ({
  dns01: { route53: { region, hostedZoneID: 'Z0ACMEMEDIA0NET1' } },
  selector: { dnsZones: [zone] },
});

describe('platform config (shipped fleet)', () => {
  let fleet: Fleet;
  let rendered: PlatformFleet;

  beforeAll(async () => {
    fleet = await loadFleet(DEFAULT_INVENTORY);
    rendered = await renderPlatformFleet();
  });
  afterAll(async () => rendered.dispose());

  it.each([
    // dev answers HTTP-01 through nginx; the AWS clusters use DNS-01 in Route 53 for their own domain (the mesh
    // clusters' public hosts enter through the Istio gateway, which would never route an HTTP-01 challenge to nginx).
    { cluster: 'dev-k3d', issuer: 'letsencrypt-staging', server: STAGING, solver: { http01: { ingress: { ingressClassName: 'nginx' } } } },
    { cluster: 'staging-eu-west-1', issuer: 'letsencrypt-staging', server: STAGING, solver: route53('eu-west-1', 'staging-euw1.media.acme-media.net') },
    { cluster: 'prod-eu-west-1', issuer: 'letsencrypt-prod', server: PRODUCTION, solver: route53('eu-west-1', 'euw1.media.acme-media.net') },
    { cluster: 'prod-us-east-1', issuer: 'letsencrypt-prod', server: PRODUCTION, solver: route53('us-east-1', 'use1.media.acme-media.net') },
    { cluster: 'prod-gpu-us-east-1', issuer: 'letsencrypt-prod', server: PRODUCTION, solver: route53('us-east-1', 'gpu-use1.media.acme-media.net') },
  ])('gives $cluster the ClusterIssuer $issuer on $server, named as its environment expects', ({ cluster, issuer, server, solver }) => {
    const issuers = rendered.objects(cluster, 'platform').filter((o) => o.kind === 'ClusterIssuer');
    expect(issuers.map((o) => o.metadata.name)).toEqual([issuer]);
    const env = fleet.environments.find((e) => e.name === fleet.clusters.find((c) => c.name === cluster)!.environment)!;
    expect(env.clusterIssuer).toBe(issuer);
    const acme = specOf(issuers[0]!).acme;
    expect(acme).toMatchObject({ server, email: 'platform@acme-media.net', privateKeySecretRef: { name: `${issuer}-account-key` } });
    expect(acme.solvers).toEqual([solver]);
  });

  it.each([
    { cluster: 'staging-eu-west-1', provider: { aws: expect.objectContaining({ service: 'SecretsManager', region: 'eu-west-1' }) } },
    { cluster: 'prod-eu-west-1', provider: { aws: expect.objectContaining({ region: 'eu-west-1' }) } },
    { cluster: 'prod-us-east-1', provider: { aws: expect.objectContaining({ region: 'us-east-1' }) } },
    { cluster: 'prod-gpu-us-east-1', provider: { aws: expect.objectContaining({ region: 'us-east-1' }) } },
    { cluster: 'dev-k3d', provider: { vault: expect.objectContaining({ version: 'v2', auth: { kubernetes: expect.objectContaining({ role: 'external-secrets' }) } }) } },
  ])('gives $cluster the ClusterSecretStore platform-secrets for its provider and region', ({ cluster, provider }) => {
    const store = rendered.find(cluster, 'platform', 'ClusterSecretStore', CLUSTER_SECRET_STORE);
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(specOf(store).provider).toEqual(provider);
  });

  it('authenticates AWS stores with the external-secrets service account (IRSA), never a static key', () => {
    const aws = specOf(rendered.find('prod-eu-west-1', 'platform', 'ClusterSecretStore', CLUSTER_SECRET_STORE)).provider.aws;
    expect(aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } });
  });

  it('labels every platform object with its cluster, like the stacks', () => {
    for (const cluster of fleet.clusters) {
      for (const o of rendered.objects(cluster.name, 'platform')) expect(o.metadata.labels?.['streamfleet.io/cluster'], `${cluster.name} ${o.kind}`).toBe(cluster.name);
    }
  });

  it('whitelists in the platform project every kind the platform folders hold, and nothing namespaced they do not need', async () => {
    const project = await projectOf(rendered.root);
    const clusterKinds = project.spec.clusterResourceWhitelist.map((k) => `${k.group}/${k.kind}`);
    const namespacedKinds = project.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`);
    expect(clusterKinds).toEqual(expect.arrayContaining(['cert-manager.io/ClusterIssuer', 'external-secrets.io/ClusterSecretStore']));
    expect([...clusterKinds, ...namespacedKinds].some((k) => k.includes('*'))).toBe(false);
    // HTTP-01 needs no DNS token, hence no ExternalSecret in the platform project.
    expect(namespacedKinds).not.toContain('external-secrets.io/ExternalSecret');
    expect(project.spec.sourceRepos).toContain(fleet.git.repoURL);
  });
});

describe('platform config (DNS-01 and other providers, by inventory edits)', () => {
  let rendered: PlatformFleet;

  beforeAll(async () => {
    rendered = await renderPlatformFleet([
      {
        file: 'fleet.yaml',
        path: ['platform', 'acme'],
        value: { email: 'platform@acme-media.net', solver: 'cloudflare', cloudflare: { apiTokenKey: 'platform/cloudflare-api-token' } },
      },
      { file: 'clusters.yaml', path: ['clusters', await clusterIndex('staging-eu-west-1'), 'platform'], value: { acme: { solver: 'route53', route53: { hostedZoneID: 'Z0123456789ABC' } } } },
      { file: 'clusters.yaml', path: ['clusters', await clusterIndex('prod-us-east-1'), 'platform'], value: { secretStore: { provider: 'gcp', gcp: { projectID: 'acme-media-prod' } } } },
    ]);
  });
  afterAll(async () => rendered.dispose());

  it('solves DNS-01 with Cloudflare, reading the API token through an ExternalSecret from platform-secrets', () => {
    const issuer = rendered.find('prod-eu-west-1', 'platform', 'ClusterIssuer', 'letsencrypt-prod');
    expect(specOf(issuer).acme.solvers).toEqual([
      {
        dns01: { cloudflare: { apiTokenSecretRef: { name: 'cloudflare-api-token', key: 'api-token' } } },
        selector: { dnsZones: ['euw1.media.acme-media.net'] },
      },
    ]);
    const token = rendered.find('prod-eu-west-1', 'platform', 'ExternalSecret', 'cloudflare-api-token');
    expect(token.metadata.namespace).toBe('cert-manager');
    expect(specOf(token)).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
      data: [{ secretKey: 'api-token', remoteRef: { key: 'platform/cloudflare-api-token' } }],
    });
    expect(rendered.objects('prod-eu-west-1', 'platform').some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('lets one cluster solve DNS-01 with Route 53 in its own region instead', () => {
    const issuer = rendered.find('staging-eu-west-1', 'platform', 'ClusterIssuer', 'letsencrypt-staging');
    expect(specOf(issuer).acme.solvers).toEqual([
      { dns01: { route53: { region: 'eu-west-1', hostedZoneID: 'Z0123456789ABC' } }, selector: { dnsZones: ['staging-euw1.media.acme-media.net'] } },
    ]);
    expect(rendered.objects('staging-eu-west-1', 'platform').some((o) => o.kind === 'ExternalSecret')).toBe(false);
  });

  it('renders a Google Secret Manager store where a cluster names gcp', () => {
    expect(specOf(rendered.find('prod-us-east-1', 'platform', 'ClusterSecretStore', CLUSTER_SECRET_STORE)).provider).toEqual({ gcpsm: { projectID: 'acme-media-prod' } });
  });

  it('whitelists the ExternalSecret kind once a platform folder holds one', async () => {
    const project = await projectOf(rendered.root);
    expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'external-secrets.io', kind: 'ExternalSecret' });
  });
});
