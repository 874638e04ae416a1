// The loader rejects platform settings the render could not honour, at file:line:field: an environment whose
// clusterIssuer no ClusterIssuer would carry, a DNS-01 solver without its provider block, a secret store that
// cannot work where the cluster runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../support/fleet.ts';
import { editedInventory, type InventoryEdit } from '../support/rendered.ts';
import { clusterIndex } from './support.ts';

const dev = await clusterIndex('dev-k3d');
const staging = await clusterIndex('staging-eu-west-1');

const cases: Array<{ name: string; edits: InventoryEdit[]; message: RegExp }> = [
  {
    name: 'prod pointing at the staging issuer',
    edits: [{ file: 'environments/prod.yaml', path: ['clusterIssuer'], value: 'letsencrypt-staging' }],
    message: /environments\/prod\.yaml:\d+:\d+ clusterIssuer: expected "letsencrypt-prod" .*found "letsencrypt-staging"/,
  },
  {
    name: 'a typo in an issuer name',
    edits: [{ file: 'environments/dev.yaml', path: ['clusterIssuer'], value: 'letsencrypt-stagign' }],
    message: /environments\/dev\.yaml:\d+:\d+ clusterIssuer: expected "letsencrypt-staging"/,
  },
  {
    name: 'staging forced to production without renaming its issuer',
    edits: [{ file: 'environments/staging.yaml', path: ['platform'], value: { acmeServer: 'production' } }],
    message: /environments\/staging\.yaml:\d+:\d+ clusterIssuer: expected "letsencrypt-prod" \(.*platform\.acmeServer\)/,
  },
  {
    name: 'route53 without its hosted zone',
    edits: [{ file: 'fleet.yaml', path: ['platform', 'acme', 'route53'], value: undefined }],
    message: /fleet\.yaml:\d+:\d+ platform\.acme: solver route53 needs route53\.hostedZoneID \(used by prod-eu-west-1, /,
  },
  {
    name: 'HTTP-01 through nginx on mesh clusters, whose hosts enter through the Istio gateway',
    edits: [{ file: 'fleet.yaml', path: ['platform', 'acme'], value: { email: 'platform@acme-media.net', solver: 'http01' } }],
    message: /fleet\.yaml:\d+:\d+ platform\.acme\.solver: cluster staging-eu-west-1: expected a DNS-01 solver .* found HTTP-01 through ingress class nginx/,
  },
  {
    name: 'a mesh cluster\'s own HTTP-01 block',
    edits: [{ file: 'clusters.yaml', path: ['clusters', staging, 'platform'], value: { acme: { solver: 'http01' } } }],
    message: /clusters\.yaml:\d+:\d+ clusters\[\d+\]\.platform\.acme: cluster staging-eu-west-1: expected a DNS-01 solver/,
  },
  {
    name: 'a cluster\'s own cloudflare solver without its token key',
    edits: [{ file: 'clusters.yaml', path: ['clusters', staging, 'platform'], value: { acme: { solver: 'cloudflare' } } }],
    message: /clusters\.yaml:\d+:\d+ clusters\[\d+\]\.platform\.acme: cluster staging-eu-west-1: solver cloudflare needs cloudflare\.apiTokenKey/,
  },
  {
    name: 'AWS Secrets Manager on the laptop cluster (region local)',
    edits: [{ file: 'clusters.yaml', path: ['clusters', dev, 'platform'], value: undefined }],
    message: /fleet\.yaml:\d+:\d+ platform\.secretStore: cluster dev-k3d: .*region "local", which is not an AWS region/,
  },
  {
    name: 'vault without its server',
    edits: [{ file: 'clusters.yaml', path: ['clusters', dev, 'platform', 'secretStore', 'vault'], value: undefined }],
    message: /clusters\.yaml:\d+:\d+ clusters\[\d+\]\.platform\.secretStore: cluster dev-k3d: no ClusterSecretStore can be rendered: provider vault needs secretStore\.vault/,
  },
];

describe('platform inventory checks', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('platform-checks');
  });
  afterAll(async () => removeDir(root));

  it('accepts the shipped inventory', async () => {
    await expect(loadFleet(DEFAULT_INVENTORY)).resolves.toBeDefined();
  });

  it.each(cases)('rejects $name at file:line:field', async ({ name, edits, message }) => {
    const dir = await editedInventory(`${root}/${name.replace(/\W+/g, '-')}`, edits);
    await expect(loadFleet(dir)).rejects.toThrow(message);
  });
});
