// `pnpm validate` end to end on a generated copy of the default fleet: it passes with no finding, reports in text,
// JSON and GitHub annotations, reuses unchanged builds, and refuses bad usage and bad input with exit 2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { removeDir, tempDir } from '../support/fleet.ts';
import { RULES } from '../../scripts/policy/rules.ts';
import { editYaml, generatedFleet, runValidate, type JsonReport } from '../policy/tree.ts';

let root: string;
let empty: string;

beforeAll(async () => {
  root = await generatedFleet('validate-cli');
  empty = await tempDir('validate-empty');
  writeFileSync(join(empty, 'README.md'), '\n');
});
afterAll(async () => {
  await removeDir(root);
  await removeDir(empty);
});

describe('pnpm validate on the default fleet', () => {
  // The shipped tree has warnings (WARN rules never fail validate: secrets/env, pod-security/user-ids, …) and no blocking finding.
  it('passes with 0 blocking findings, grouped by cluster/stack, and names the engine and schemas', async () => {
    const { code, stdout, stderr } = await runValidate(['--root', root, '--no-cache']);
    // Only progress lines (a slow machine prints one every 2 s), nothing else.
    expect(stderr.split('\n').filter((l) => l !== '' && !/^validate: rendered \d+\/\d+ paths/.test(l))).toEqual([]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kustomize: (kubectl kustomize|kustomize) v\d+\.\d+\.\d+/);
    expect(lines[1]).toMatch(/^schemas: kubernetes-models \d+\.\d+\.\d+ \(Kubernetes 1\.\d+ API\), inventory pins 1\.32; strict fields from 8 model packages$/);
    expect(lines).toContain('hub/argocd: ok, 38 objects');
    expect(lines.some((l) => /^prod-gpu-us-east-1\/transcoding: (ok|\d+ findings? \(0 blocking\)), \d+ objects, \d+ exempted\b/.test(l))).toBe(true);
    // 14 built-in cluster stacks + 4 of the api-platform system + 5 platform configs + hub, none blocking.
    expect(lines.filter((l) => /^[a-z0-9-]+\/[a-z0-9-]+: (ok, |\d+ findings? \(0 blocking\), )/.test(l))).toHaveLength(24);
    expect(lines).toContainEqual(expect.stringMatching(/^exempted by the inventory: images\/digest \d+: prod pins release tags only/));
    expect(lines).toContainEqual(expect.stringMatching(/^exempted by the inventory: availability\/replicas \d+: GPU workers scale on the GPU queue/));
    expect(lines.at(-1)).toMatch(/^validate: ok: 24 Applications, \d+ objects, (\d+) findings? \(0 blocking, \1 warning\), \d+ exempted, 0 build failures; 24 built, 0 cached, /);
  });

  it('reuses the builds of unchanged paths and rebuilds what changed', async () => {
    expect((await runValidate(['--root', root])).code).toBe(0);
    const again = JSON.parse((await runValidate(['--root', root, '--format', 'json'])).stdout) as JsonReport;
    expect(again.summary).toMatchObject({ built: 0, cached: 24 });
    // A base every prod streaming Application includes: exactly those rebuild.
    editYaml(root, 'base/streaming/edge-cache/edge-cache-service.yaml', (doc) => doc.setIn(['metadata', 'annotations'], { note: 'x' }));
    const after = JSON.parse((await runValidate(['--root', root, '--format', 'json'])).stdout) as JsonReport;
    expect(after.applications.filter((a) => !a.cached).map((a) => a.path)).toEqual([
      'clusters/dev-k3d/streaming',
      'clusters/prod-eu-west-1/streaming',
      'clusters/prod-us-east-1/streaming',
      'clusters/staging-eu-west-1/streaming',
    ]);
  });

  it('reports as JSON with every Application, its findings and the summary', async () => {
    const { code, stdout } = await runValidate(['--root', root, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport & { engine: { version: string }; kubernetes: { pinned: string } };
    expect(report.engine.version).toMatch(/^v\d/);
    expect(report.kubernetes.pinned).toBe('1.32');
    expect(report.applications.map((a) => a.name)).toContain('prod-gpu-us-east-1-transcoding');
    expect(report.applications[0]).toMatchObject({ name: 'root', path: 'argocd' });
    const all = report.applications.flatMap((a) => a.findings);
    const exempted = all.filter((f) => f.exempted !== undefined);
    const warnings = all.filter((f) => f.exempted === undefined);
    // Every finding is one the inventory exempts with a reason, or a warning; none blocks.
    expect(exempted.every((f) => ['images/digest', 'availability/replicas'].includes(f.rule) && !f.blocking)).toBe(true);
    const warnRules = new Set(RULES.filter((r) => r.severity === 'WARN').map((r) => r.id));
    expect(warnings.filter((f) => f.blocking || !warnRules.has(f.rule))).toEqual([]);
    expect(report.summary).toMatchObject({ ok: true, findings: warnings.length, blocking: 0, exempted: exempted.length });
  });

  it('fails with exit 1 and writes GitHub annotations when GITHUB_ACTIONS is set', async () => {
    const broken = await generatedFleet('validate-annotations');
    try {
      editYaml(broken, 'base/streaming/edge-cache/edge-cache-deployment.yaml', (doc) => doc.setIn(['spec', 'replcas'], 2));
      vi.stubEnv('GITHUB_ACTIONS', 'true');
      const { code, stdout } = await runValidate(['--root', broken]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^dev-k3d\/streaming: \d+ findings? \(1 blocking\), \d+ objects {2}\[dev-k3d-streaming: clusters\/dev-k3d\/streaming\]$/m);
      expect(stdout).toContain(
        '  BLOCK  schema/unknown-field  base/streaming/edge-cache/edge-cache-deployment.yaml  Deployment streaming/edge-cache spec.replcas: unknown field spec.replcas (did you mean replicas?)',
      );
      expect(stdout).toMatch(
        /^::error file=base\/streaming\/edge-cache\/edge-cache-deployment.yaml,title=schema\/unknown-field::dev-k3d-streaming Deployment streaming\/edge-cache spec.replcas: unknown field/m,
      );
      expect(stdout).toMatch(/^::notice file=.*title=images\/digest::/m);
    } finally {
      vi.unstubAllEnvs();
      await removeDir(broken);
    }
  });
});

describe('pnpm validate refuses bad usage and bad input with exit 2', () => {
  it.each([
    { name: 'unknown flag', argv: ['--strict'], message: "Unknown option '--strict'" },
    { name: 'bad format', argv: ['--format', 'yaml'], message: '--format must be text or json' },
    { name: 'bad concurrency', argv: ['--concurrency', '0'], message: '--concurrency must be a positive integer' },
    { name: 'positional argument', argv: ['clusters'], message: 'clusters' },
    { name: 'missing value', argv: ['--root'], message: '--root' },
  ])('$name', async ({ argv, message }) => {
    const { code, stdout, stderr } = await runValidate(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: pnpm validate');
  });

  it('a root that does not exist or has no inventory', async () => {
    const missing = await runValidate(['--root', join(empty, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a folder');
    const noInventory = await runValidate(['--root', empty]);
    expect(noInventory.code).toBe(2);
    expect(noInventory.stderr).toContain('inventory');
  });

  it('an inventory but no generated tree', async () => {
    const { code, stderr } = await runValidate(['--root', empty, '--inventory', join(root, 'inventory')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no Applications with a kustomization');
  });

  it('an exemption naming an unknown rule', async () => {
    const copy = await generatedFleet('validate-exemption');
    try {
      editYaml(copy, 'inventory/fleet.yaml', (doc) => doc.setIn(['policy', 'exemptions', 0, 'rule'], 'images/digets'));
      const { code, stderr } = await runValidate(['--root', copy]);
      expect(code).toBe(2);
      expect(stderr).toContain('policy.exemptions name unknown rules: images/digets');
    } finally {
      await removeDir(copy);
    }
  });

  it('prints usage and returns 0 for --help', async () => {
    const { code, stdout } = await runValidate(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: pnpm validate');
  });
});
