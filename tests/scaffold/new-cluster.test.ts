// `pnpm new cluster`: a comment-preserving append to clusters.yaml, validated like a hand edit, then gen.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as newCmd } from '../../scripts/cli/new.ts';
import { commonDomainSuffix } from '../../scripts/scaffold/add-cluster.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

let root: string;

beforeEach(async () => {
  root = await tempDir('new-cluster');
  await copyInventory(DEFAULT_INVENTORY, root);
  expect(await gen(['--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
});
afterEach(async () => removeDir(root));

const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await newCmd([...argv, '--root', root], c.io);
  return { code, out: c.out(), err: c.err() };
};

describe('pnpm new cluster', () => {
  it('appends the cluster with defaults from its environment, keeps the file as it was, and regenerates', async () => {
    const before = await readFile(join(root, 'inventory', 'clusters.yaml'), 'utf8');
    const r = await run('cluster', 'prod-ap-south-1', '--env', 'prod', '--region', 'ap-south-1', '--capability', 'mesh');
    expect(r.code).toBe(0);
    expect(r.out).toContain('adding cluster prod-ap-south-1');
    expect(r.out).toContain('+ clusters/prod-ap-south-1/streaming/kustomization.yaml');
    const after = await readFile(join(root, 'inventory', 'clusters.yaml'), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(
      [
        '',
        '  - name: prod-ap-south-1',
        '    environment: prod',
        '    region: ap-south-1',
        '    destination:',
        '      name: prod-ap-south-1',
        '    domain: prod-ap-south-1.media.acme-media.net',
        '    storageClass: gp3',
        '    loadBalancer: aws-nlb',
        '    capabilities: [mesh]',
        '    stacks: [streaming, transcoding, monitoring]',
        '',
      ].join('\n'),
    );
    // The tree is current afterwards: gen --check passes.
    expect(await gen(['--check', '--inventory', join(root, 'inventory'), '--out', root], captureIo().io)).toBe(0);
  });

  it.each([
    { name: 'duplicate', args: ['cluster', 'prod-us-east-1', '--env', 'prod', '--region', 'us-east-1'], message: /duplicate cluster name "prod-us-east-1"/ },
    { name: 'case-insensitive duplicate', args: ['cluster', 'Prod-US-East-1', '--env', 'prod', '--region', 'us-east-1'], message: /DNS-1123 label/ },
    { name: 'bad name', args: ['cluster', 'bad_name', '--env', 'prod', '--region', 'x'], message: /clusters\[5\]\.name: expected a DNS-1123 label/ },
    { name: 'unknown environment', args: ['cluster', 'qa-1', '--env', 'prdo', '--region', 'x', '--domain', 'qa.example.com', '--storage-class', 'gp3', '--load-balancer', 'metallb'], message: /clusters\[5\]\.environment: .*"prdo".*did you mean "prod"/ },
    { name: 'bad capability', args: ['cluster', 'x-1', '--env', 'prod', '--region', 'x', '--capability', 'gpuu'], message: /--capability: expected any of gpu, mesh, found "gpuu"/ },
  ])('refuses a $name with the loader\'s message and writes nothing', async ({ args, message }) => {
    const before = await snapshotTree(root);
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('exits 2 on bad usage', async () => {
    expect((await run('cluster')).code).toBe(2);
    expect((await run('thing', 'x', '--env', 'dev', '--region', 'r')).code).toBe(2);
  });

  it('finds the shared domain suffix', () => {
    expect(commonDomainSuffix(['euw1.media.acme-media.net', 'use1.media.acme-media.net'])).toBe('media.acme-media.net');
    expect(commonDomainSuffix(['a.example.com', 'b.example.org'])).toBe('');
  });
});
