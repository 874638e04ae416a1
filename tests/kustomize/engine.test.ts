import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { which } from 'zx';

import { CliError, ExitCode } from '../../scripts/lib/exit-codes.ts';
import {
  describeEngine,
  detectEngine,
  parseKubectlKustomizeVersion,
  parseKustomizeVersion,
  probeEngine,
  resetEngineCache,
} from '../../scripts/kustomize/engine.ts';

describe('detectEngine', () => {
  it('finds an engine on this machine and reports its Kustomize version', async () => {
    resetEngineCache();
    const engine = await detectEngine();
    const standalone = await which('kustomize', { nothrow: true });
    expect(engine.name).toBe(standalone === null ? 'kubectl kustomize' : 'kustomize');
    expect(engine.version).toMatch(/^v5\.\d+\.\d+/);
    expect(describeEngine(engine)).toBe(`${engine.name} ${engine.version}`);
  });

  it('detects once per process', async () => {
    resetEngineCache();
    const first = detectEngine();
    const second = detectEngine();
    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });

  it('fails with a precondition error naming what to install when PATH has neither program', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-kustomize-'));
    try {
      const error: unknown = await probeEngine({ path: empty }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(ExitCode.Precondition);
      expect((error as CliError).message).toMatch(/install kubectl .*kustomize/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('version parsing', () => {
  it.each([
    { name: 'kustomize v5', output: 'v5.5.0\n', expected: 'v5.5.0' },
    {
      name: 'kustomize v4',
      output: '{Version:kustomize/v4.5.7 GitCommit:56d82a8378dfc8dc3b3b1085e5a6e67b82966bd7 BuildDate:2022-08-02T16:35:54Z}',
      expected: 'v4.5.7',
    },
    { name: 'nothing', output: 'garbage', expected: undefined },
  ])('kustomize version: $name', ({ output, expected }) => {
    expect(parseKustomizeVersion(output)).toBe(expected);
  });

  it.each([
    {
      name: 'kubectl 1.32',
      output: 'Client Version: v1.32.4\nKustomize Version: v5.5.0\n',
      expected: 'v5.5.0',
    },
    { name: 'kubectl without kustomize line', output: 'Client Version: v1.13.0\n', expected: undefined },
  ])('kubectl version --client: $name', ({ output, expected }) => {
    expect(parseKubectlKustomizeVersion(output)).toBe(expected);
  });
});
