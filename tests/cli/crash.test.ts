// A crash (an exception that is not a CliError) is not a finding: exit 70 (EX_SOFTWARE) and one line saying where to
// report it, the stack trace only with STREAMFLEET_DEBUG=1. Table test of the message, then the real exit code of a
// CLI process whose main throws.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../scripts/lib/exit-codes.ts';
import { crashReport, ISSUES_URL } from '../../scripts/lib/run-main.ts';
import { REPO_ROOT } from '../support/fleet.ts';

const boom = new TypeError("Cannot read properties of undefined (reading 'name')\nsecond line");

describe('crash exit code', () => {
  it('is 70, distinct from every other code', () => {
    expect(ExitCode.Crash).toBe(70);
    const codes = Object.values(ExitCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['an Error, no debug', boom, {}, `internal error (a bug, exit 70): TypeError: Cannot read properties of undefined (reading 'name'); please report it at ${ISSUES_URL} (STREAMFLEET_DEBUG=1 shows the stack trace)\n`],
    ['a thrown string', 'disk on fire', {}, `internal error (a bug, exit 70): disk on fire; please report it at ${ISSUES_URL} (STREAMFLEET_DEBUG=1 shows the stack trace)\n`],
    ['debug set to something else', boom, { STREAMFLEET_DEBUG: 'yes' }, `internal error (a bug, exit 70): TypeError: Cannot read properties of undefined (reading 'name'); please report it at ${ISSUES_URL} (STREAMFLEET_DEBUG=1 shows the stack trace)\n`],
  ])('%s: one line, no stack', (_name, err, env, expected) => {
    expect(crashReport(err, env)).toBe(expected);
  });

  it('STREAMFLEET_DEBUG=1 adds the stack trace after the line', () => {
    const text = crashReport(boom, { STREAMFLEET_DEBUG: '1' });
    const [line, ...rest] = text.split('\n');
    expect(line).toBe(`internal error (a bug, exit 70): TypeError: Cannot read properties of undefined (reading 'name'); please report it at ${ISSUES_URL}`);
    expect(rest.join('\n')).toContain(boom.stack!);
  });

  it.each([
    ['without debug', {}, false],
    ['with STREAMFLEET_DEBUG=1', { STREAMFLEET_DEBUG: '1' }, true],
  ])('a real CLI process whose main throws exits 70 (%s)', (_name, extraEnv, stack) => {
    const script = `import { runMain } from './scripts/lib/run-main.ts';\nrunMain(async () => { throw new RangeError('bad index 7'); });\n`;
    const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    if (!stack) delete env.STREAMFLEET_DEBUG;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(70);
    expect(r.stderr.split('\n')[0]).toBe(`internal error (a bug, exit 70): RangeError: bad index 7; please report it at ${ISSUES_URL}${stack ? '' : ' (STREAMFLEET_DEBUG=1 shows the stack trace)'}`);
    expect(r.stderr.includes('    at '), r.stderr).toBe(stack);
  });
});
