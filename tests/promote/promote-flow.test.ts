// `pnpm promote` end to end with real parts: a real bare git repository as origin, real Kustomize, and the
// local GitHub stand-in. Covers the done-when flow (dry run prints the plan; a real run pushes one branch
// and opens one PR; a rerun updates the same PR) and the races: crash after push, lease broken. The safety
// gates (validate, source check, base moved, overlapping promotions, approvals) are in safety.test.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { git } from '../../scripts/diff/git.ts';
import { removeDir, tempDir } from '../support/fleet.ts';
import { branchesOf, cloneFixture, commitAllIn, createTemplate, extraWorktrees, genInto, type FixtureRepo } from './support/fixture-repo.ts';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in.ts';
import { harness, OWNER, REPO, type Harness } from './support/promote-harness.ts';

const BRANCH = 'promote/dev-to-staging/all';

let template: { dir: string; cleanup: () => Promise<void> } | undefined;
let cacheDir: string;
let repo: FixtureRepo;
let api: GitHubStandIn;
let h: Harness;

beforeAll(async () => {
  template = await createTemplate();
  cacheDir = await tempDir('promote-cache');
});
afterAll(async () => {
  await template?.cleanup();
  await removeDir(cacheDir);
});
beforeEach(async () => {
  repo = await cloneFixture(template?.dir ?? '');
  api = await startGitHubStandIn({ owner: OWNER, repo: REPO, token: 'ghp_standInSecretToken0123456789', bareRepo: repo.remote });
  h = harness(repo.root, api.url, cacheDir);
});
afterEach(async () => {
  await api.close();
  await repo.cleanup();
});

describe('pnpm promote dev staging', () => {
  it('--dry-run plans from the local main (an unpushed commit included, said loudly), versions first, drift and diff collapsed; changes nothing', async () => {
    // A local commit, not pushed: dev now runs transcode-api 1.5.1.
    const dev = join(repo.root, 'inventory', 'environments', 'dev.yaml');
    await writeFile(dev, (await readFile(dev, 'utf8')).replace('transcode-api: "1.5.0"', 'transcode-api: "1.5.1"'));
    await genInto(repo.root);
    const local = await commitAllIn(repo.root, 'dev: transcode-api 1.5.1');
    const statusBefore = await git(repo.root, ['status', '--porcelain']);
    const steps: string[] = [];
    const r = await h.run(['dev', 'staging', '--dry-run'], {}, (s) => void steps.push(s));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^note: dry run: planning from your local main at [0-9a-f]{7}, 1 commit ahead of origin\/main \([0-9a-f]{7}\)\. A real run plans from origin\/main: your 1 commit NOT pushed would NOT be included; push first\.\n/,
    );
    expect(r.out).toContain(`promote dev → staging (all), planned from main (local) at ${local.slice(0, 7)}`);
    expect(r.out).toMatch(/transcode-api\s+transcode-api\s+1\.4\.2\s+1\.5\.1\s+staging-eu-west-1/);
    expect(r.out).toMatch(/transcode-worker-cpu\s+ffmpeg-worker\s+1\.4\.2\s+1\.5\.0\s+staging-eu-west-1/);
    expect(r.out).toContain('(runs on no staging cluster)');
    expect(r.out).toMatch(/validate: ok: \d+ Applications, \d+ objects, \d+ findings? \(0 blocking, \d+ warnings?\)/);
    // Collapsed: one line per cluster and one for the drift, after the versions; details only with --verbose.
    expect(r.out).toMatch(/\n {2}staging-eu-west-1: 1 Application changed \(2 objects\)\n/);
    expect(r.out).toMatch(/\ndrift between dev and staging \(reported, not promoted\): \d+ settings? (and \d+ version pins? )?differ \(--verbose lists them\)\n/);
    expect(r.out.indexOf('transcode-api  ')).toBeLessThan(r.out.indexOf('drift between'));
    expect(r.out).not.toContain('apps.rtmp-origin.replicas');
    expect(r.out).not.toContain('+          image: ghcr.io/acme-media/transcode-api:1.5.1');
    expect(r.out).toMatch(/dry run: committed [0-9a-f]{7} in a scratch worktree \(discarded\); would push promote\/dev-to-staging\/all/);
    for (const step of ['fetching origin/main', 'checking out main (local)', 'regenerating (pnpm gen)', 'rendering', 'validating the promoted tree']) {
      expect(steps.some((s) => s.includes(step)), `${step} in ${JSON.stringify(steps)}`).toBe(true);
    }
    expect([...(await branchesOf(repo.remote)).keys()]).toEqual(['main']);
    expect(api.requests).toEqual([]);
    expect(await git(repo.root, ['status', '--porcelain'])).toBe(statusBefore);
    expect(await extraWorktrees(repo.root)).toEqual([]);
  });

  it('pushes one branch and opens one PR with version table and rendered diff; a rerun updates the same PR', async () => {
    const main = (await branchesOf(repo.remote)).get('main');
    const first = await h.run(['dev', 'staging']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/pushed [0-9a-f]{7} to origin\/promote\/dev-to-staging\/all\n/);
    expect(first.out).toContain(`pull request #1 created: ${api.url}/${OWNER}/${REPO}/pull/1`);

    const branches = await branchesOf(repo.remote);
    expect([...branches.keys()].sort()).toEqual(['main', BRANCH]);
    const tip = branches.get(BRANCH) ?? '';
    expect((await git(repo.remote, ['rev-parse', `${tip}^1`])).trim()).toBe(main);
    const changed = (await git(repo.remote, ['diff', '--name-only', `${tip}^1`, tip])).split('\n').filter(Boolean);
    expect(changed).toContain('inventory/environments/staging.yaml');
    expect(changed.every((p) => p === 'inventory/environments/staging.yaml' || p === '.gen-ledger.json' || p.startsWith('overlays/staging/'))).toBe(true);
    const message = await git(repo.remote, ['log', '-1', '--format=%B', tip]);
    expect(message).toMatch(/^promote dev -> staging \(all\): 3 image pins\n/);
    expect(message).toMatch(/transcode-api\s+transcode-api\s+1\.4\.2\s+1\.5\.0\s+staging-eu-west-1/);
    expect(message).toContain(`Planned-from: ${main}`);
    // Comment-preserving edit: the staging file differs only in the promoted pins.
    const envDiff = await git(repo.remote, ['diff', '--unified=0', `${tip}^1`, tip, '--', 'inventory/environments/staging.yaml']);
    expect(envDiff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '-  transcode-api: "1.4.2"',
      '-  ffmpeg-worker: "1.4.2"',
      '-  ffmpeg-worker-cuda: "1.4.2"',
      '+  transcode-api: "1.5.0"',
      '+  ffmpeg-worker: "1.5.0"',
      '+  ffmpeg-worker-cuda: "1.5.0"',
    ]);

    expect(api.pulls).toHaveLength(1);
    const pr = api.pulls[0];
    expect(pr?.head).toBe(BRANCH);
    expect(pr?.base).toBe('main');
    expect(pr?.title).toBe('Promote dev → staging (all)');
    expect(pr?.body).toContain('| `transcode-api` | `transcode-api` | `1.4.2` | `1.5.0` | `staging-eu-west-1` |');
    expect(pr?.body).toContain('### Affected clusters');
    expect(pr?.body).toContain('### Drift between dev and staging (not promoted)');
    expect(pr?.body).toContain('| `staging-eu-west-1` | transcoding | staging | changed | 0 | 2 | 0 |');
    expect(pr?.body).toContain('+          image: ghcr.io/acme-media/transcode-api:1.5.0');
    expect(pr?.labels.sort()).toEqual(['env:staging', 'promotion', 'stack:transcoding']);
    // The token went to the server as a header, never into any output.
    expect(api.requests.every((q) => q.authorization === 'token ghp_standInSecretToken0123456789')).toBe(true);
    expect(first.out + first.err).not.toContain('ghp_');

    const second = await h.run(['dev', 'staging']);
    expect(second.code).toBe(0);
    expect(second.out).toContain(`${BRANCH} already holds this promotion`);
    expect(second.out).toContain('pull request #1 updated');
    expect(api.pulls).toHaveLength(1);
    expect((await branchesOf(repo.remote)).get(BRANCH)).toBe(tip);
    expect(api.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(await extraWorktrees(repo.root)).toEqual([]);
  });

  it('after a crash between push and PR creation, a rerun opens exactly one PR without pushing again', async () => {
    await expect(
      h.run(['dev', 'staging'], {
        afterPush: () => Promise.reject(new Error('simulated crash after push')),
      }),
    ).rejects.toThrow('simulated crash after push');
    const pushed = (await branchesOf(repo.remote)).get(BRANCH);
    expect(pushed).toBeDefined();
    expect(api.pulls).toHaveLength(0);

    const rerun = await h.run(['dev', 'staging']);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toContain('already holds this promotion');
    expect(rerun.out).toContain('pull request #1 created');
    expect(api.pulls).toHaveLength(1);
    expect((await branchesOf(repo.remote)).get(BRANCH)).toBe(pushed);
  });

  it('refuses to overwrite a promotion branch someone else pushed to meanwhile (lease, exit 5)', async () => {
    const r = await h.run(['dev', 'staging'], {
      beforePush: async () => {
        await git(repo.root, ['push', '--quiet', 'origin', `HEAD:refs/heads/${BRANCH}`]);
      },
    });
    expect(r.code).toBe(5);
    expect(r.err).toContain(`origin/${BRANCH} changed since it was read (it did not exist)`);
    expect(api.pulls).toHaveLength(0);
    expect((await branchesOf(repo.remote)).get(BRANCH)).toBe((await git(repo.root, ['rev-parse', 'HEAD'])).trim());
  });

  it('--skip-reason with --approver allows dev → prod and records both in commit and PR', async () => {
    const r = await h.run(['dev', 'prod', '--stack', 'streaming', '--skip-reason', 'CVE-2025-0001 hotfix', '--approver', 'release-manager']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const tip = (await branchesOf(repo.remote)).get('promote/dev-to-prod/streaming') ?? '';
    const message = await git(repo.remote, ['log', '-1', '--format=%B', tip]);
    expect(message).toContain('Skip-reason: CVE-2025-0001 hotfix');
    expect(message).toContain('Skipped environments: staging');
    expect(message).toContain('Skip-approved-by: release-manager');
    expect(api.pulls[0]?.body).toContain('Skips `staging`. Reason: CVE-2025-0001 hotfix. Approved by @release-manager.');
    // The origin and the five OTT APIs change image: six objects changed, none added or removed.
    expect(api.pulls[0]?.body).toMatch(/\| `prod-eu-west-1` \| streaming \| prod \| changed \| 0 \| 5 \| 0 \|/);
    expect(api.pulls[0]?.labels.sort()).toEqual(['env:prod', 'promotion', 'stack:streaming']);
  });

  it('refuses a dirty working tree and lists the paths (exit 5), before any network call', async () => {
    const env = join(repo.root, 'inventory', 'environments', 'dev.yaml');
    await writeFile(env, `${await readFile(env, 'utf8')}# local note\n`);
    await writeFile(join(repo.root, 'scratch.txt'), 'x\n');
    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(5);
    expect(r.err).toContain('the working tree has uncommitted changes');
    expect(r.err).toContain('  inventory/environments/dev.yaml');
    expect(r.err).toContain('  scratch.txt');
    expect(api.requests).toEqual([]);
    expect([...(await branchesOf(repo.remote)).keys()]).toEqual(['main']);
  });
});
