// `pnpm new app`: declares an HTTP service in the inventory (byte-exact insertions), pins it in every
// environment that runs its stack, regenerates, and the result passes `pnpm validate`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as newCmd } from '../../scripts/cli/new.ts';
import { main as validate } from '../../scripts/cli/validate.ts';
import { splitImage } from '../../scripts/scaffold/add-app.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let root: string;
let before: Map<string, string>;

beforeAll(async () => {
  root = await tempDir('new-app');
  await copyInventory(DEFAULT_INVENTORY, root);
  expect(await gen(['--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
  before = await snapshotTree(root);
});
afterAll(async () => removeDir(root));

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await newCmd([...argv, '--root', root], c.io);
  return { code, out: c.out(), err: c.err() };
};

describe('pnpm new app', () => {
  it.each([
    ['unknown stack', ['app', 'streamin/ads', '--image', 'ghcr.io/acme/ads:1.0.0', '--port', '8080'], /expected <stack>\/<name>/],
    ['untagged image', ['app', 'streaming/ads', '--image', 'ghcr.io/acme/ads', '--port', '8080'], /repository:tag/],
    ['privileged port', ['app', 'streaming/ads', '--image', 'ghcr.io/acme/ads:1.0.0', '--port', '80'], /apps\.ads\.port: .*1024/],
    ['bad name', ['app', 'streaming/Ads_1', '--image', 'ghcr.io/acme/ads:1.0.0', '--port', '8080'], /DNS-1123/],
    ['built-in name', ['app', 'streaming/edge-cache', '--image', 'ghcr.io/acme/edge:1.0.0', '--port', '8080'], /edge-cache/],
    // A shared image runs the environments' pins: the requested tag must not be replaced silently.
    ['tag the fleet pins differently', ['app', 'transcoding/session-cache', '--image', 'docker.io/library/redis:7.0.0', '--port', '8080'], /fleet image "redis", pinned to "7\.4\.2" in dev.*not "7\.0\.0"/],
  ])('refuses a %s with exit 2 and writes nothing', async (_, args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('--dry-run prints the inventory edits and writes nothing', async () => {
    const r = await run('app', 'streaming/ad-insertion', '--image', 'ghcr.io/acme-media/ad-insertion:1.10', '--port', '8080', '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('would add app streaming/ad-insertion');
    expect(r.out).toMatch(/^\+ +ad-insertion: "?1\.10"?$/m);
    expect(r.out).toContain('dry run: nothing was written');
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('adds the app, pins it where its stack runs, keeps every other byte, and validates', async () => {
    const r = await run('app', 'streaming/ad-insertion', '--image', 'ghcr.io/acme-media/ad-insertion:1.10', '--port', '8080', '--public');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('+ base/streaming/ad-insertion/ad-insertion-deployment.yaml');
    // The Service listens on the app's port (8080), not 80: `ad-insertion:8080` connects.
    const svc = await readFile(join(root, 'base', 'streaming', 'ad-insertion', 'ad-insertion-service.yaml'), 'utf8');
    expect(svc).toMatch(/- name: http\n {6}port: 8080\n {6}protocol: TCP\n {6}targetPort: http\n/);
    // Its public host joins each cluster's own objects: an Ingress on dev, a route on the mesh gateway elsewhere.
    expect(r.out).toContain('~ clusters/prod-eu-west-1/streaming/cluster-resources.yaml');
    const dev = await readFile(join(root, 'clusters', 'dev-k3d', 'streaming', 'cluster-resources.yaml'), 'utf8');
    expect(dev).toContain('host: ad-insertion.dev.media.localtest.me');
    const prod = await readFile(join(root, 'clusters', 'prod-eu-west-1', 'streaming', 'cluster-resources.yaml'), 'utf8');
    expect(prod).toMatch(/kind: VirtualService\nmetadata:\n {2}name: ad-insertion\n/);
    expect(prod).toContain('- ad-insertion.euw1.media.acme-media.net');
    expect(prod).not.toMatch(/kind: Ingress\nmetadata:\n {2}name: ad-insertion/);
    const fleetBefore = before.get('inventory/fleet.yaml')!;
    const fleetAfter = await readFile(join(root, 'inventory', 'fleet.yaml'), 'utf8');
    // Only insertions: removing the inserted lines gives back the original file byte for byte.
    const inserted = ['  ad-insertion:', '    repository: ghcr.io/acme-media/ad-insertion', 'apps:', '    stack: streaming', '    image: ad-insertion', '    port: 8080', '    public: true'];
    expect(fleetAfter.split('\n').filter((l) => !inserted.includes(l)).join('\n')).toBe(fleetBefore.split('\n').filter((l) => !inserted.includes(l)).join('\n'));
    expect(fleetAfter.length).toBeGreaterThan(fleetBefore.length);
    for (const env of ['dev', 'staging', 'prod']) {
      const text = await readFile(join(root, 'inventory', 'environments', `${env}.yaml`), 'utf8');
      expect(text, env).toBe(before.get(`inventory/environments/${env}.yaml`)! + '  ad-insertion: "1.10"\n');
    }
    const c = captureIo();
    expect(await validate(['--root', root], c.io), c.out() + c.err()).toBe(0);
    expect(await gen(['--check', '--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
  });

  it('splits image references', () => {
    expect(splitImage('registry:5000/org/app:1.2.3')).toEqual({ repository: 'registry:5000/org/app', pin: '1.2.3' });
    expect(splitImage(`ghcr.io/a/b:2.0@sha256:${'a'.repeat(64)}`)).toEqual({ repository: 'ghcr.io/a/b', pin: `2.0@sha256:${'a'.repeat(64)}` });
    expect(splitImage('registry:5000/org/app')).toBeUndefined();
  });
});
