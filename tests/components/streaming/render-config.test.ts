// The init container that puts the publish token into xiu's config: a token that would break the TOML string (or
// the publisher's URL) stops the pod with a message instead of letting xiu panic on its config at start.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERED_CONFIG_DIR, renderConfigScript, TOKEN_ENV, TOKEN_PLACEHOLDER } from '../../../scripts/components/streaming/ingest-auth.ts';
import { removeDir, tempDir } from '../../support/fleet.ts';

describe('render-config init script', () => {
  let root: string;
  let script: string;
  beforeAll(async () => {
    root = await tempDir('render-config');
    mkdirSync(join(root, 'in'));
    writeFileSync(join(root, 'in', 'config.toml'), `[authsecret]\nkey = ""\npassword = "${TOKEN_PLACEHOLDER}"\n# $HOME stays\n`);
    // The only change to run it here: the rendered-config folder (an in-memory volume in the pod).
    script = renderConfigScript(join(root, 'in')).replace(`${RENDERED_CONFIG_DIR}/`, `${root}/out/`);
    writeFileSync(join(root, 'render.sh'), script);
  });
  afterAll(async () => removeDir(root));

  const run = (token: string): { code: number | null; stderr: string } => {
    mkdirSync(join(root, 'out'), { recursive: true });
    const r = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH, [TOKEN_ENV]: token }, encoding: 'utf8', timeout: 10_000 });
    return { code: r.status, stderr: r.stderr };
  };

  it('passes shellcheck', () => {
    expect(() => execFileSync('shellcheck', ['-s', 'sh', join(root, 'render.sh')], { encoding: 'utf8' })).not.toThrow();
  });

  it('writes the token and leaves every other $ alone', () => {
    expect(run('s3cr3t-Token_1.~').code).toBe(0);
    expect(readFileSync(join(root, 'out', 'config.toml'), 'utf8')).toBe('[authsecret]\nkey = ""\npassword = "s3cr3t-Token_1.~"\n# $HOME stays\n');
  });

  it.each([
    { name: 'empty', token: '' },
    { name: 'a quote', token: 'ab"cd' },
    { name: 'a backslash', token: 'ab\\cd' },
    { name: 'a newline', token: 'ab\ncd' },
    { name: 'a space', token: 'ab cd' },
    { name: 'URL syntax', token: 'ab&x=1' },
  ])('refuses a token with $name, with a message and no config', ({ token }) => {
    const out = join(root, 'out', 'config.toml');
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(out, 'stale');
    const r = run(token);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('must be non-empty and use only A-Z a-z 0-9 . _ ~ -');
    expect(readFileSync(out, 'utf8')).toBe('stale');
  });
});
