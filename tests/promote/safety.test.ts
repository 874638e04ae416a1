// The promotion's safety gates (issue 18), each a table test with real parts (bare git origin, real Kustomize,
// the real `pnpm validate`, the GitHub stand-in): a target that fails `pnpm validate` is never pushed; the source
// commit must be green on GitHub unless an approved override says why; a base branch that moves, or another open
// promotion of the same pins, stops the run (exit 5); skipping an environment is a precondition (exit 5) whose
// override records an approver as well as a reason.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { git, shortSha } from '../../scripts/diff/git.ts';
import { CliError } from '../../scripts/lib/exit-codes.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { checkEnvironmentPair } from '../../scripts/promote/environments.ts';
import { changedKeys } from '../../scripts/promote/overlap.ts';
import { judgeSource, type SourceChecks } from '../../scripts/promote/source-gate.ts';
import { DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../support/fleet.ts';
import { branchesOf, cloneFixture, commitAllIn, createTemplate, extraWorktrees, genInto, type FixtureRepo } from './support/fixture-repo.ts';
import { GREEN, startGitHubStandIn, type CommitChecks, type GitHubStandIn } from './support/github-stand-in.ts';
import { harness, OWNER, REPO, TOKEN, type Harness } from './support/promote-harness.ts';

let template: { dir: string; cleanup: () => Promise<void> } | undefined;
let cacheDir: string;
let repo: FixtureRepo;
let api: GitHubStandIn;
let h: Harness;
let fleet: Fleet;

beforeAll(async () => {
  template = await createTemplate();
  cacheDir = await tempDir('promote-cache');
  fleet = await loadFleet(DEFAULT_INVENTORY);
});
afterAll(async () => {
  await template?.cleanup();
  await removeDir(cacheDir);
});
beforeEach(async () => {
  repo = await cloneFixture(template?.dir ?? '');
  api = await startGitHubStandIn({ owner: OWNER, repo: REPO, token: TOKEN, bareRepo: repo.remote });
  h = harness(repo.root, api.url, cacheDir);
});
afterEach(async () => {
  await api.close();
  await repo.cleanup();
});

const branches = async (): Promise<string[]> => [...(await branchesOf(repo.remote)).keys()].sort();
const mainSha = async (): Promise<string> => (await branchesOf(repo.remote)).get('main') ?? '';

/** A second clone of origin (someone else), on `branch` (created from main when new). */
const otherClone = async (name: string): Promise<string> => {
  const dir = join(repo.root, '..', name);
  await git(repo.root, ['clone', '--quiet', repo.remote, dir]);
  await git(dir, ['config', 'user.name', 'Someone Else']);
  await git(dir, ['config', 'user.email', 'else@example.com']);
  return dir;
};

/** Replace `from` by `to` in a file of `dir`; fails when `from` is not there (the fixture changed). */
const edit = async (dir: string, rel: string, from: string, to: string): Promise<void> => {
  const file = join(dir, ...rel.split('/'));
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${rel} has no ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
};

/** Nothing left anywhere: no branch but main, no pull request, no worktree. */
const expectNothingPushed = async (): Promise<void> => {
  expect(await branches()).toEqual(['main']);
  expect(api.pulls).toEqual([]);
  expect(await extraWorktrees(repo.root)).toEqual([]);
};

describe('promote runs exactly `pnpm validate` on exactly the commit it would push', () => {
  it.each([
    {
      // A PROD-severity policy rule: the Kubernetes build checks the promotion used to run alone pass it.
      name: 'the target environment fails a policy rule (grafana with 1 replica in prod)',
      file: 'inventory/environments/prod.yaml',
      from: '  grafana:\n    replicas: 2',
      to: '  grafana:\n    replicas: 1',
      argv: ['staging', 'prod', '--stack', 'streaming'],
      finding: /PROD\s+availability\/replicas\s+\S+\s+Deployment monitoring\/grafana spec\.replicas: Deployment grafana runs 1 replica; prod needs at least 2/,
    },
  ])('$name: exit 1, the findings printed, nothing pushed, no PR', async ({ file, from, to, argv, finding }) => {
    const other = await otherClone('other');
    await edit(other, file, from, to);
    await genInto(other);
    await commitAllIn(other, 'a change that fails validate');
    await git(other, ['push', '--quiet', 'origin', 'HEAD:main']);

    const r = await h.run(argv);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(finding);
    expect(r.out).toMatch(/validate: FAILED/);
    expect(r.out).toContain('pnpm validate FAILED on the promoted tree (exit 1); nothing was pushed and no pull request opened');
    await expectNothingPushed();
  });
});

describe('source gate: the promoted base commit must be green on GitHub', () => {
  it.each([
    { name: 'a failing status', checks: { statuses: [{ context: 'ci/validate', state: 'failure' }], checkRuns: GREEN.checkRuns }, says: ['not green (failure)', 'status ci/validate: failure'] },
    { name: 'an erroring status', checks: { statuses: [{ context: 'ci/validate', state: 'error' }], checkRuns: [] }, says: ['not green (failure)', 'status ci/validate: error'] },
    { name: 'a pending status', checks: { statuses: [{ context: 'ci/validate', state: 'pending' }], checkRuns: GREEN.checkRuns }, says: ['not green (pending)', 'status ci/validate: pending'] },
    { name: 'a check run in progress', checks: { statuses: GREEN.statuses, checkRuns: [{ name: 'test', status: 'in_progress', conclusion: null }] }, says: ['not green (pending)', 'check run test: in_progress'] },
    { name: 'a failed check run', checks: { statuses: GREEN.statuses, checkRuns: [{ name: 'test', status: 'completed', conclusion: 'failure' }] }, says: ['not green (failure)', 'check run test: failure'] },
    { name: 'a timed-out check run', checks: { statuses: [], checkRuns: [{ name: 'e2e', status: 'completed', conclusion: 'timed_out' }] }, says: ['check run e2e: timed_out'] },
    { name: 'no CI report at all', checks: { statuses: [], checkRuns: [] }, says: ['not green (none)', 'no commit statuses and no check runs'] },
  ] satisfies { name: string; checks: CommitChecks; says: string[] }[])('$name: exit 5 before any gen, nothing pushed', async ({ checks, says }) => {
    const sha = await mainSha();
    api.checksFor = (ref) => (ref === sha ? checks : GREEN);
    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(5);
    expect(r.err).toContain(`the promoted source commit ${shortSha(sha)}`);
    for (const s of says) expect(r.err).toContain(s);
    expect(r.err).toContain('--skip-source-check "<reason>" --approver <github login>');
    // The gate asked about exactly the commit it plans from.
    expect(api.requests.some((q) => q.path === `/repos/${OWNER}/${REPO}/commits/${sha}/status`)).toBe(true);
    expect(api.requests.some((q) => q.path === `/repos/${OWNER}/${REPO}/commits/${sha}/check-runs`)).toBe(true);
    expect(r.out).not.toContain('gen:');
    await expectNothingPushed();
  });

  it('a GitHub failure while reading the checks is exit 4, nothing pushed', async () => {
    api.inject({ method: 'GET', path: /\/commits\/[0-9a-f]+\/status$/, status: 500, body: { message: 'Server Error' }, times: 10 });
    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('reading the commit statuses and check runs of');
    await expectNothingPushed();
  });

  it.each([
    { name: 'without --approver', argv: ['--skip-source-check', 'CI runner outage'], code: 5, says: '--skip-source-check needs --approver' },
    { name: 'with an empty reason', argv: ['--skip-source-check', ' ', '--approver', 'alice'], code: 2, says: '--skip-source-check needs a reason' },
  ])('an incomplete override ($name) is refused before any network call', async ({ argv, code, says }) => {
    const r = await h.run(['dev', 'staging', ...argv]);
    expect(r.code).toBe(code);
    expect(r.err).toContain(says);
    expect(api.requests).toEqual([]);
  });

  it('--skip-source-check with --approver promotes a red commit and records reason, approver and findings', async () => {
    const sha = await mainSha();
    api.checksFor = (ref) => (ref === sha ? { statuses: [{ context: 'ci/validate', state: 'failure' }], checkRuns: [] } : GREEN);
    const r = await h.run(['dev', 'staging', '--skip-source-check', 'CI runner outage, validated locally', '--approver', 'release-manager']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: source check skipped (CI runner outage, validated locally; approved by release-manager): status ci/validate: failure');
    const tip = (await branchesOf(repo.remote)).get('promote/dev-to-staging/all') ?? '';
    const message = await git(repo.remote, ['log', '-1', '--format=%B', tip]);
    expect(message).toContain('Source-check-skipped: CI runner outage, validated locally');
    expect(message).toContain('Source-check-approved-by: release-manager');
    expect(api.pulls[0]?.body).toContain(
      `> The source check was skipped: ${sha} is not green (status ci/validate: failure). Reason: CI runner outage, validated locally. Approved by @release-manager.`,
    );
  });
});

describe('races: exit 5 and nothing pushed', () => {
  it('the base branch moves between planning and pushing', async () => {
    const planned = await mainSha();
    let moved = '';
    const r = await h.run(['dev', 'staging'], {
      beforePush: async () => {
        const other = await otherClone('other');
        await writeFile(join(other, 'NOTES.md'), 'merged meanwhile\n');
        moved = await commitAllIn(other, 'meanwhile on main');
        await git(other, ['push', '--quiet', 'origin', 'HEAD:main']);
      },
    });
    expect(r.code).toBe(5);
    expect(r.err).toContain(`base main moved from ${shortSha(planned)} to ${shortSha(moved)} while planning`);
    expect(r.err).toContain('nothing was pushed; rerun');
    await expectNothingPushed();
  });

  it.each([
    {
      name: 'another promotion changes the same pin lines',
      from: '  transcode-api: "1.4.2"',
      to: '  transcode-api: "1.5.0"',
      code: 5,
    },
    {
      name: 'another promotion changes other lines of the same file',
      from: '  rtmp-origin:\n    replicas: 2',
      to: '  rtmp-origin:\n    replicas: 3',
      code: 0,
    },
  ])('$name: exit $code', async ({ from, to, code }) => {
    const head = 'promote/dev-to-staging/transcoding';
    const other = await otherClone('other');
    await git(other, ['switch', '--quiet', '-c', head]);
    await edit(other, 'inventory/environments/staging.yaml', from, to);
    await commitAllIn(other, 'the other promotion');
    await git(other, ['push', '--quiet', 'origin', `HEAD:refs/heads/${head}`]);
    api.pulls.push({ number: 1, state: 'open', title: 'Promote dev → staging (transcoding)', body: '', head, base: 'main', labels: ['promotion'] });

    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(code);
    if (code === 5) {
      expect(r.err).toContain('another open promotion changes the same pins of inventory/environments/staging.yaml; nothing was pushed');
      expect(r.err).toContain(`pull request #1 (${head}) changes transcode-api: ${api.url}/${OWNER}/${REPO}/pull/1`);
      expect(await branches()).toEqual(['main', head].sort());
      expect(api.pulls).toHaveLength(1);
    } else {
      expect(api.pulls).toHaveLength(2);
    }
  });
});

describe('skipping an environment is a precondition (exit 5) whose override needs a reason and an approver', () => {
  it.each([
    { argv: ['dev', 'prod'], code: 5, says: 'promoting would skip staging; if that is intended, add --skip-reason "…" and --approver <github login>' },
    { argv: ['dev', 'prod', '--skip-reason', 'CVE hotfix'], code: 5, says: 'promoting would skip staging; if that is intended, add --approver <github login>' },
    { argv: ['dev', 'prod', '--approver', 'alice'], code: 2, says: '--approver records who approved an override' },
  ])('$argv: exit $code before any network call', async ({ argv, code, says }) => {
    const r = await h.run(argv);
    expect(r.code).toBe(code);
    expect(r.err).toContain(says);
    expect(api.requests).toEqual([]);
    expect(await branches()).toEqual(['main']);
  });

  it.each([
    [undefined, undefined, 5],
    ['hotfix', undefined, 5],
    [undefined, 'alice', 5],
    ['hotfix', 'alice', undefined],
  ] as const)('checkEnvironmentPair dev → prod, reason %s, approver %s: exit %s', (reason, approver, code) => {
    let got: number | undefined;
    try {
      checkEnvironmentPair(fleet, 'dev', 'prod', reason, approver);
    } catch (e) {
      got = e instanceof CliError ? e.exitCode : -1;
    }
    expect(got).toBe(code);
  });
});

describe('pure parts', () => {
  it.each([
    { name: 'no reports', checks: { statuses: [], checkRuns: [] }, green: false },
    { name: 'statuses only, green', checks: { statuses: [{ context: 'a', state: 'success' }], checkRuns: [] }, green: true },
    { name: 'check runs only, neutral and skipped', checks: { statuses: [], checkRuns: [{ name: 'a', status: 'completed', conclusion: 'neutral' }, { name: 'b', status: 'completed', conclusion: 'skipped' }] }, green: true },
    { name: 'a cancelled check run', checks: { statuses: [], checkRuns: [{ name: 'a', status: 'completed', conclusion: 'cancelled' }] }, green: false },
    { name: 'a queued check run', checks: { statuses: [], checkRuns: [{ name: 'a', status: 'queued', conclusion: null }] }, green: false },
  ] satisfies { name: string; checks: Omit<SourceChecks, 'sha'>; green: boolean }[])('judgeSource: $name → green $green', ({ checks, green }) => {
    expect(judgeSource({ sha: 'a'.repeat(40), ...checks }).green).toBe(green);
  });

  it.each([
    { patch: '@@ -70,3 +70,3 @@ versions:\n   k6: "0.55.0"\n-  transcode-api: "1.4.2"\n+  transcode-api: "1.5.0"\n   ffmpeg-worker: "1.4.2"', keys: ['transcode-api'] },
    { patch: '@@ -9,2 +9,2 @@ apps:\n   rtmp-origin:\n-    replicas: 2\n+    replicas: 3', keys: ['replicas'] },
    { patch: '@@ -1,1 +1,2 @@\n+  transcode-api:\n+# a comment: with a colon', keys: [] },
  ])('changedKeys($patch) = $keys', ({ patch, keys }) => {
    expect([...changedKeys(patch)].sort()).toEqual(keys);
  });
});
