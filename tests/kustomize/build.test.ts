import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

import {
  KustomizeBuildError,
  buildKustomization,
  buildMany,
  cleanKustomizeStderr,
  unquoteGoString,
} from '../../scripts/kustomize/build.ts';
import { type KustomizeEngine, detectEngine } from '../../scripts/kustomize/engine.ts';
import { mapPool } from '../../scripts/kustomize/pool.ts';
import {
  goodStack,
  missingDeploymentStack,
  missingResourceStack,
  removeTree,
  writeTree,
} from './fixtures.ts';

let engine: KustomizeEngine;
let good: string;
let ghost: string;
let missing: string;

beforeAll(async () => {
  engine = await detectEngine();
  good = writeTree(goodStack('alpha'));
  ghost = writeTree(missingDeploymentStack('alpha'));
  missing = writeTree(missingResourceStack('alpha'));
});

afterAll(() => {
  for (const root of [good, ghost, missing]) removeTree(root);
});

const clusterDir = (root: string): string => join(root, 'clusters', 'alpha', 'media');

const buildError = async (dir: string): Promise<KustomizeBuildError> => {
  const error: unknown = await buildKustomization(engine, dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(KustomizeBuildError);
  return error as KustomizeBuildError;
};

describe('buildKustomization', () => {
  it('renders base + Component into one Deployment with the pinned image and replicas', async () => {
    const docs = parseAllDocuments(await buildKustomization(engine, clusterDir(good)));
    expect(docs).toHaveLength(1);
    const deployment = (docs[0]?.toJS() ?? {}) as {
      kind: string;
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('nginx:1.27.0');
  });

  it('raises a readable KustomizeBuildError for replicas of a missing Deployment', async () => {
    const dir = clusterDir(ghost);
    const error = await buildError(dir);
    expect(error.dir).toBe(dir);
    expect(error.exitCode).not.toBe(0);
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/^kustomize build of .* failed: /);
    expect(error.detail).toContain('ghost');
    // klog header and kubectl's Go-quoted wrapper are gone
    expect(error.detail).not.toMatch(/^[IWEF]\d{4} /m);
    expect(error.detail).not.toContain('run.go');
    expect(error.detail).not.toContain('"command failed"');
    expect(error.detail).not.toContain('\\"');
  });

  it('raises a KustomizeBuildError naming the missing resource path', async () => {
    const error = await buildError(clusterDir(missing));
    expect(error.detail).toContain('nowhere');
    expect(error.message).toContain(clusterDir(missing));
  });

  it('raises a KustomizeBuildError for a folder that does not exist', async () => {
    const dir = join(good, 'clusters', 'no-such-cluster', 'media');
    const error = await buildError(dir);
    expect(error.message).toContain(dir);
  });
});

describe('buildKustomization with a misbehaving engine', () => {
  // `bash -c SCRIPT name DIR`: the script stands in for the engine and receives the folder as $1.
  const fakeEngine = (script: string): KustomizeEngine => ({
    name: 'kustomize',
    command: 'bash',
    buildArgs: ['-c', script, 'fake-kustomize'],
    version: 'v0.0.0',
  });

  it('stops a build that hangs and says so', async () => {
    const started = Date.now();
    const error: unknown = await buildKustomization(fakeEngine('echo "working on $1" >&2; sleep 30'), '/some/dir', {
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(KustomizeBuildError);
    expect((error as KustomizeBuildError).exitCode).toBeNull();
    expect((error as KustomizeBuildError).detail).toMatch(/^timed out after 300 ms: working on \/some\/dir$/);
  });

  it('reports an exit without a message', async () => {
    const error: unknown = await buildKustomization(fakeEngine('exit 3'), 'x').catch((e: unknown) => e);
    expect((error as KustomizeBuildError).detail).toBe('exit code 3, no message');
    expect((error as KustomizeBuildError).exitCode).toBe(3);
  });

  it('passes the folder as one argument, spaces and quotes included', async () => {
    const dir = `it's a "dir" with spaces`;
    expect(await buildKustomization(fakeEngine('printf %s "$1"'), dir)).toBe(dir);
  });
});

describe('buildMany', () => {
  it('keeps input order and collects every failure', async () => {
    const dirs = [clusterDir(good), clusterDir(ghost), clusterDir(good), clusterDir(missing), clusterDir(good)];
    const results = await buildMany(engine, dirs, { concurrency: 2 });
    expect(results.map((r) => r.dir)).toEqual(dirs);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true]);
    for (const r of results) {
      if (r.ok) expect(r.yaml).toContain('kind: Deployment');
      else expect(r.error.dir).toBe(r.dir);
      expect(r.durationMs).toBeGreaterThan(0);
    }
  });

  it('returns [] for no folders', async () => {
    expect(await buildMany(engine, [])).toEqual([]);
  });
});

describe('mapPool', () => {
  it('runs at most `concurrency` at once and returns results in input order', async () => {
    let running = 0;
    let peak = 0;
    const delays = [30, 5, 20, 1, 15, 10, 2, 25];
    const out = await mapPool(delays, 3, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(delays.map((ms, i) => `${i}:${ms}`));
    expect(peak).toBe(3);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(mapPool([1], 0, async (x) => x)).rejects.toThrow(RangeError);
  });
});

describe('cleanKustomizeStderr', () => {
  it.each([
    {
      name: 'kubectl klog line',
      stderr:
        'E1122 03:27:36.662896    2540 run.go:72] "command failed" err="accumulating resources: ' +
        'accumulation err=\'accumulating resources from \'../x\': \\"recursed\\" path\'"\n',
      expected: 'accumulating resources: accumulation err=\'accumulating resources from \'../x\': "recursed" path\'',
    },
    {
      name: 'standalone kustomize',
      stderr: 'Error: accumulating resources: missing\nUsage:\n  kustomize build DIR [flags]\n',
      expected: 'accumulating resources: missing',
    },
    { name: 'plain text', stderr: 'something broke\n\n', expected: 'something broke' },
  ])('$name', ({ stderr, expected }) => {
    expect(cleanKustomizeStderr(stderr)).toBe(expected);
  });

  it('unquotes Go strings', () => {
    expect(unquoteGoString('"a \\"b\\"\\n\\tc\\\\ \\x41\\u00e9"')).toBe('a "b"\n\tc\\ Aé');
    expect(unquoteGoString('not quoted')).toBe('not quoted');
  });
});
