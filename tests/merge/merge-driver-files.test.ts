// The merge driver's repository files: its shell scripts pass shellcheck (Debian package shellcheck, installed by
// .ci/install-packages), and .gitattributes gives the driver to every path the committed ledger lists, so no
// generated file is ever merged line by line.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../scripts/lib/layout.ts';
import { parseLedger } from '../../scripts/writer/ledger.ts';
import { isRegionKey } from '../../scripts/writer/regions.ts';
import { REPO_ROOT } from '../support/fleet.ts';

describe('merge driver files', () => {
  it.each(['bin/merge-generated.sh', 'bin/register-merge-driver.sh'])('%s passes shellcheck', (script) => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined) throw new Error('shellcheck is not installed: run `bash .ci/install-packages` (Debian package shellcheck)');
    expect(() => execFileSync('shellcheck', [join(REPO_ROOT, script)], { encoding: 'utf8' })).not.toThrow();
  });

  it('.gitattributes sets merge=streamfleet-generated on every path of the committed ledger', () => {
    const paths = parseLedger(readFileSync(join(REPO_ROOT, LEDGER_FILE), 'utf8')).files.map((e) => e.path).filter((p) => !isRegionKey(p));
    // `git check-attr --stdin merge` answers "<path>: merge: <value>" per path (as git 2.39 here prints it).
    const out = execFileSync('git', ['check-attr', '--stdin', 'merge'], { cwd: REPO_ROOT, input: [LEDGER_FILE, ...paths].join('\n'), encoding: 'utf8' });
    const uncovered = out.split('\n').filter((l) => l !== '' && !l.endsWith(': merge: streamfleet-generated'));
    expect(uncovered).toEqual([]);
  });
});
