// `pnpm bootstrap`: the commands name pinned versions and files that exist, and run in order through real
// processes (helm and kubectl replaced by recording stand-ins on PATH: there is no cluster here).
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/bootstrap.ts';
import { captureIo, REPO_ROOT, removeDir, tempDir } from '../support/fleet.ts';

let bin: string;
const originalPath = process.env.PATH;

const fake = async (name: string, exitCode: number): Promise<void> => {
  const script = `#!/bin/sh\necho "${name} $*" >> "${bin}/calls.log"\necho "${name} ok"\nexit ${exitCode}\n`;
  await writeFile(join(bin, name), script);
  await chmod(join(bin, name), 0o755);
};

beforeAll(async () => {
  bin = await tempDir('bootstrap-bin');
  process.env.PATH = `${bin}:${originalPath}`;
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await removeDir(bin);
});

describe('pnpm bootstrap', () => {
  it('--dry-run prints pinned helm installs and the root Application, referencing files that exist', async () => {
    const c = captureIo();
    expect(await main(['--context', 'hub', '--dry-run', '--root', REPO_ROOT], c.io)).toBe(0);
    const lines = c.out().split('\n').filter((l) => l.startsWith('$ '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm --version 10.1.1');
    expect(lines[1]).toContain('external-secrets --repo https://charts.external-secrets.io --version 2.9.0');
    expect(lines[2]).toBe('$ kubectl --context hub apply -f argocd/projects/bootstrap-appproject.yaml -f argocd/bootstrap/root-application.yaml');
    for (const file of c.out().matchAll(/(?:--values|-f) (\S+)/g)) expect(existsSync(join(REPO_ROOT, file[1]!)), file[1]).toBe(true);
  });

  it('runs the commands in order', async () => {
    await fake('helm', 0);
    await fake('kubectl', 0);
    const c = captureIo();
    expect(await main(['--context', 'hub', '--root', REPO_ROOT], c.io)).toBe(0);
    const calls = (await readFile(join(bin, 'calls.log'), 'utf8')).trim().split('\n');
    expect(calls.map((l) => l.split(' ').slice(0, 5).join(' '))).toEqual([
      'helm upgrade --install argocd argo-cd',
      'helm upgrade --install external-secrets external-secrets',
      'kubectl --context hub apply -f',
    ]);
  });

  it('stops at the first failing command with exit 4', async () => {
    await writeFile(join(bin, 'calls.log'), '');
    await fake('helm', 1);
    const c = captureIo();
    expect(await main(['--context', 'hub', '--root', REPO_ROOT], c.io)).toBe(4);
    expect(c.err()).toContain('helm failed (exit 1)');
    expect((await readFile(join(bin, 'calls.log'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('requires --context', async () => {
    expect(await main(['--dry-run', '--root', REPO_ROOT], captureIo().io)).toBe(2);
  });
});
