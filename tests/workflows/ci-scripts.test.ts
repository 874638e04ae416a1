// The repository's own shell scripts (.ci/run, .ci/install-packages) pass shellcheck, the tool they are written for.
// .ci/install-packages installs shellcheck; without it this test fails, it does not skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../support/fleet.ts';

describe('CI shell scripts', () => {
  it.each(['.ci/run', '.ci/install-packages'])('%s passes shellcheck', (script) => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined) throw new Error('shellcheck is not installed: run `bash .ci/install-packages` (Debian package shellcheck)');
    expect(() => execFileSync('shellcheck', ['--shell=bash', join(REPO_ROOT, script)], { encoding: 'utf8' })).not.toThrow();
  });
});
