// `pnpm promote` faults, each with its exit code: bad input (2), GitHub failures
// (4) including 401/403/404 before anything is pushed, 422 "already exists" answered by reuse, and rate
// limits (429, 403 secondary) waited out with the injected sleep.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { promoteMain } from '../../scripts/cli/promote.ts';
import { captureIo, removeDir, tempDir } from '../support/fleet.ts';
import { branchesOf, cloneFixture, createTemplate, type FixtureRepo } from './support/fixture-repo.ts';
import { startGitHubStandIn, tooManyRequests, type GitHubStandIn } from './support/github-stand-in.ts';
import { harness, NOW, OWNER, REPO, TOKEN, type Harness } from './support/promote-harness.ts';

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
  api = await startGitHubStandIn({ owner: OWNER, repo: REPO, token: TOKEN, bareRepo: repo.remote });
  h = harness(repo.root, api.url, cacheDir);
});
afterEach(async () => {
  await api.close();
  await repo.cleanup();
});

const branches = async (): Promise<string[]> => [...(await branchesOf(repo.remote)).keys()].sort();

describe('pnpm promote: bad input (exit 2) before any network call', () => {
  it.each([
    { name: 'unknown environment', argv: ['dev', 'stagin'], message: 'unknown environment "stagin" (did you mean "staging"?); the promotion order is dev → staging → prod' },
    { name: 'same environment', argv: ['staging', 'staging'], message: 'cannot promote staging to itself' },
    { name: 'backwards', argv: ['prod', 'staging'], message: 'cannot promote backwards from prod to staging' },
    { name: 'unknown stack', argv: ['dev', 'staging', '--stack', 'streamin'], message: 'unknown stack "streamin" (did you mean "streaming"?)' },
    { name: 'unknown app', argv: ['dev', 'staging', '--app', 'edge-cach'], message: 'unknown app "edge-cach" (did you mean "edge-cache"?)' },
    { name: 'app outside the stack', argv: ['dev', 'staging', '--stack', 'monitoring', '--app', 'edge-cache'], message: 'app edge-cache belongs to stack streaming' },
    { name: 'one environment only', argv: ['dev'], message: 'expected <from-env> <to-env>, got 1 argument' },
    { name: 'unknown flag', argv: ['dev', 'staging', '--force'], message: "Unknown option '--force'" },
    { name: 'approver that is no GitHub login', argv: ['dev', 'prod', '--skip-reason', 'x', '--approver', 'not a login'], message: 'is not a GitHub login' },
    { name: 'approver without an override', argv: ['dev', 'staging', '--approver', 'alice'], message: '--approver records who approved an override' },
    { name: 'unknown format', argv: ['dev', 'staging', '--format', 'yaml'], message: '--format must be text or json, got "yaml"' },
  ])('$name', async ({ argv, message }) => {
    const r = await h.run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(api.requests).toEqual([]);
    expect(await branches()).toEqual(['main']);
  });

  it('--help prints the registry help (scripts/cli/commands.ts) and exits 0', async () => {
    const r = await h.run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: pnpm promote <from-env> <to-env>');
    expect(r.out).toContain('--verbose');
    expect(r.out).toContain('examples:');
  });

  it('a local-path remote without --repo or GITHUB_REPOSITORY cannot name the GitHub repository', async () => {
    const c = captureIo();
    const deps = { env: { GITHUB_TOKEN: TOKEN }, sleep: () => Promise.resolve(), now: () => NOW };
    const code = await promoteMain(deps)(['dev', 'staging', '--root', repo.root, '--api-url', api.url, '--cache-dir', cacheDir], c.io);
    expect(code).toBe(2);
    expect(c.err()).toContain(`cannot tell the GitHub repository from remote origin (${repo.remote}); pass --repo owner/name or set GITHUB_REPOSITORY`);
  });
});

describe('pnpm promote: nothing to promote', () => {
  it.each([['--app', 'rtmp-origin'], ['--stack', 'monitoring']])('%s %s: exit 0, no branch, no PR', async (flag, value) => {
    const r = await h.run(['dev', 'staging', flag, value]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`nothing to promote: staging already runs dev's pins for ${value}`);
    expect(await branches()).toEqual(['main']);
    expect(api.pulls).toEqual([]);
  });

  it('--format json: the log on stderr, one document on stdout', async () => {
    const r = await h.run(['dev', 'staging', '--app', 'rtmp-origin', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('nothing to promote');
    expect(JSON.parse(r.out)).toMatchObject({ version: 1, dryRun: false, from: 'dev', to: 'staging', nothingToPromote: true, versions: [], pushed: false, pullRequest: null });
  });
});

// Validation (exit 1, nothing pushed) is tested with the real `pnpm validate` in safety.test.ts.

describe('pnpm promote: GitHub API failures (exit 4) and recoveries', () => {
  it('no token: exit 5, names the variable', async () => {
    const r = await harness(repo.root, api.url, cacheDir, '').run(['dev', 'staging']);
    expect(r.code).toBe(5);
    expect(r.err).toContain('GITHUB_TOKEN is not set');
    expect(api.requests).toEqual([]);
  });

  it('401: names GITHUB_TOKEN, never prints the token, pushes nothing', async () => {
    const wrong = 'ghp_wrongTokenThatMustNeverBePrinted';
    const r = await harness(repo.root, api.url, cacheDir, wrong).run(['dev', 'staging']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials) while reading the repository');
    expect(r.out + r.err).not.toContain(wrong);
    expect(await branches()).toEqual(['main']);
  });

  it('403 without rate limit: a permission problem, exit 4', async () => {
    api.inject({ method: 'GET', path: /^\/repos\/[^/]+\/[^/]+$/, status: 403, body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest', status: '403' } });
    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('GitHub refused reading the repository (403 Resource not accessible by personal access token): the token in GITHUB_TOKEN lacks permission on acme-media/streamfleet-gitops');
    expect(await branches()).toEqual(['main']);
  });

  it('404: the repository is unknown or invisible, exit 4', async () => {
    const c = captureIo();
    const deps = { env: { GITHUB_TOKEN: TOKEN }, sleep: () => Promise.resolve(), now: () => NOW };
    const code = await promoteMain(deps)(['dev', 'staging', '--root', repo.root, '--repo', 'acme-media/nope', '--api-url', api.url, '--cache-dir', cacheDir], c.io);
    expect(code).toBe(4);
    expect(c.err()).toContain(`GitHub found no repository acme-media/nope at ${api.url} (404 Not Found while reading the repository)`);
  });

  it('422 "already exists" (a PR the list did not show): the existing PR is reused and updated', async () => {
    api.pulls.push({ number: 7, state: 'open', title: 'old', body: 'old', head: 'promote/dev-to-staging/all', base: 'main', labels: [] });
    api.hideFromNextList = true;
    const r = await h.run(['dev', 'staging']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('pull request #7 updated');
    expect(api.pulls).toHaveLength(1);
    expect(api.pulls[0]?.title).toBe('Promote dev → staging (all)');
    const creates = api.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/pulls'));
    expect(creates).toHaveLength(1);
  });

  it('429 with retry-after, then success: waits as told and opens the PR', async () => {
    api.inject(tooManyRequests(2));
    const r = await h.run(['dev', 'staging']);
    expect(r.code).toBe(0);
    expect(h.sleeps).toEqual([2000]);
    expect(r.err).toContain('rate limited (429), GitHub asks to wait 2 s; retry 2/4');
    expect(api.pulls).toHaveLength(1);
  });
});
