import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../scripts/cli/validate.ts';
import { badStack, goodStack, missingResourceStack, removeTree, writeTree } from './fixtures.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const run = async (argv: string[]): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
};

let clean: string;
let mixed: string;
let broken: string;
let empty: string;

beforeAll(() => {
  clean = writeTree({ ...goodStack('alpha'), ...goodStack('beta', 'music') });
  mixed = writeTree({ ...goodStack('alpha'), ...badStack('beta') });
  broken = writeTree({ ...goodStack('alpha'), ...missingResourceStack('gamma', 'radio') });
  empty = writeTree({ 'README.md': '\n' });
});

afterAll(() => {
  for (const root of [clean, mixed, broken, empty]) removeTree(root);
});

/** The lines of `text` from the line starting with `heading` up to the next unindented line. */
const section = (text: string, heading: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
  return lines.slice(start, end < 0 ? undefined : end);
};

describe('validate main', () => {
  it('returns 0 on a clean tree and says which engine it used', async () => {
    const { code, stdout, stderr } = await run(['--root', clean]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kustomize: (kubectl kustomize|kustomize) v\d+\.\d+\.\d+/);
    expect(lines).toContain('alpha/media: ok, 1 object');
    expect(lines).toContain('beta/music: ok, 1 object');
    expect(lines.at(-1)).toBe('validate: ok: 2 cluster/stack paths, 2 objects, 0 findings, 0 build failures');
  });

  it('returns 1 and lists the findings of the bad cluster/stack only', async () => {
    const { code, stdout } = await run([`--root=${mixed}`]);
    expect(code).toBe(1);
    expect(stdout).toContain('alpha/media: ok, 1 object\n');
    const bad = section(stdout, 'beta/edge:');
    expect(bad[0]).toBe('beta/edge: 3 findings, 4 objects (clusters/beta/edge)');
    // Kustomize's output order (ConfigMap, Deployment, HPA v1, HPA v2), so findings read top to bottom.
    expect(bad.slice(1)).toEqual([
      '  [default-namespace] ConfigMap default/settings: object is in the default namespace',
      '  [image-tag] Deployment media/cache: container cache: image varnish:latest uses tag latest',
      '  [duplicate] HorizontalPodAutoscaler media/cache: duplicate object: autoscaling/v2 here and autoscaling/v1 in document 3',
    ]);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'validate: FAILED: 2 cluster/stack paths, 5 objects, 3 findings, 0 build failures',
    );
  });

  it('reports the same findings as JSON', async () => {
    const { code, stdout } = await run(['--root', mixed, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      engine: { name: string; version: string };
      targets: { path: string; status: string; findings: { rule: string }[] }[];
      summary: { ok: boolean; findings: number };
    };
    expect(report.engine.version).toMatch(/^v\d/);
    expect(report.targets.map((t) => [t.path, t.status])).toEqual([
      ['clusters/alpha/media', 'ok'],
      ['clusters/beta/edge', 'findings'],
    ]);
    expect(report.targets[1]?.findings.map((f) => f.rule).sort()).toEqual(['default-namespace', 'duplicate', 'image-tag']);
    expect(report.summary).toMatchObject({ ok: false, findings: 3 });
  });

  it('returns 1 on a build failure, keeps going and names the cluster/stack', async () => {
    const { code, stdout } = await run(['--root', broken]);
    expect(code).toBe(1);
    expect(stdout).toContain('alpha/media: ok, 1 object\n');
    const failed = section(stdout, 'gamma/radio:');
    expect(failed[0]).toBe('gamma/radio: build failed (clusters/gamma/radio)');
    expect(failed.slice(1).join('\n')).toContain('nowhere');
    expect(stdout).toContain('1 build failure');
  });

  it.each([
    { name: 'unknown flag', argv: ['--strict'], message: "Unknown option '--strict'" },
    { name: 'bad format', argv: ['--format', 'yaml'], message: '--format must be text or json' },
    { name: 'positional argument', argv: ['clusters'], message: 'clusters' },
    { name: 'missing value', argv: ['--root'], message: '--root' },
  ])('returns 2 on bad usage: $name', async ({ argv, message }) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: pnpm validate');
  });

  it('returns 2 when the root has no cluster kustomizations or does not exist', async () => {
    const none = await run(['--root', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no clusters/<cluster>/<stack>/kustomization.yaml');
    const missing = await run(['--root', `${empty}/nope`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is not a folder');
  });

  it('prints usage and returns 0 for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: pnpm validate');
  });
});
