// The GitHub client and PR upsert against the HTTP stand-in, without git: rate-limit waits and their bounds,
// and how each API failure is reported (exit 4, the variable named, the token never shown).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliError } from '../../scripts/lib/exit-codes.ts';
import { createGitHubClient, gitHubFailure, type GitHubConfig } from '../../scripts/promote/github-client.ts';
import { PullRequestStepError, upsertPullRequest, type PullRequestSpec } from '../../scripts/promote/pull-request.ts';
import { secondaryRateLimit, startGitHubStandIn, tooManyRequests, type GitHubStandIn } from './support/github-stand-in.ts';
import { NOW, OWNER, REPO, TOKEN } from './support/promote-harness.ts';

let api: GitHubStandIn;
let sleeps: number[];
let config: GitHubConfig;

const spec: PullRequestSpec = {
  slug: { owner: OWNER, repo: REPO },
  head: 'promote/dev-to-staging/all',
  base: 'main',
  title: 'Promote dev → staging (all)',
  body: 'body',
  labels: ['promotion', 'env:staging'],
};

beforeEach(async () => {
  api = await startGitHubStandIn({ owner: OWNER, repo: REPO, token: TOKEN });
  sleeps = [];
  config = {
    token: TOKEN,
    baseUrl: api.url,
    slug: spec.slug,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => NOW,
  };
});
afterEach(async () => api.close());

/** Run the upsert and return the CliError promote would print, or the result. */
const upsert = async (c: GitHubConfig = config): Promise<CliError | Awaited<ReturnType<typeof upsertPullRequest>>> => {
  try {
    return await upsertPullRequest(createGitHubClient(c), spec);
  } catch (e) {
    if (e instanceof PullRequestStepError) return gitHubFailure(e.cause, c, e.step);
    throw e;
  }
};

describe('upsertPullRequest', () => {
  it('creates, then updates the same PR; labels are added once', async () => {
    expect(await upsert()).toMatchObject({ number: 1, action: 'created', url: `${api.url}/${OWNER}/${REPO}/pull/1` });
    expect(await upsert()).toMatchObject({ number: 1, action: 'updated' });
    expect(api.pulls).toHaveLength(1);
    expect(api.pulls[0]?.labels).toEqual(['promotion', 'env:staging']);
    const list = api.requests.find((q) => q.method === 'GET');
    expect(list?.query.get('head')).toBe(`${OWNER}:promote/dev-to-staging/all`);
    expect(list?.query.get('state')).toBe('open');
  });

  it('waits out a 429 (retry-after) and a 403 secondary limit (x-ratelimit-reset), then succeeds', async () => {
    api.inject(tooManyRequests(2));
    api.inject(secondaryRateLimit(/\/labels$/, 'POST', NOW / 1000 + 5));
    expect(await upsert()).toMatchObject({ number: 1, action: 'created' });
    expect(sleeps).toEqual([2000, 6000]);
  });

  it('gives up after the bounded attempts (exit 4)', async () => {
    api.inject({ ...tooManyRequests(1), times: 10 });
    const r = await upsert();
    expect(r).toBeInstanceOf(CliError);
    expect((r as CliError).exitCode).toBe(4);
    expect((r as CliError).message).toBe(
      'GitHub API creating the pull request: gave up after 4 attempts (last: 429, rate limited); last answer 429 API rate limit exceeded for user ID 1.',
    );
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('does not sleep for a reset an hour away', async () => {
    api.inject(secondaryRateLimit(/\/pulls$/, 'GET', NOW / 1000 + 3600));
    const r = (await upsert()) as CliError;
    expect(r.exitCode).toBe(4);
    expect(r.message).toContain('rate limited until 2025-01-01T13:00:01.000Z, longer than the 90 s this tool waits');
    expect(sleeps).toEqual([]);
  });

  it('a 422 other than "already exists" is reported with GitHub\'s validation errors', async () => {
    api.inject({
      method: 'POST',
      path: /\/pulls$/,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and promote/dev-to-staging/all' }], status: '422' },
    });
    const r = (await upsert()) as CliError;
    expect(r.exitCode).toBe(4);
    expect(r.message).toBe('GitHub refused creating the pull request (422 Validation Failed: No commits between main and promote/dev-to-staging/all)');
  });

  it('401: names GITHUB_TOKEN and scrubs the token even if GitHub echoed it', async () => {
    const leaky = 'ghp_leakyToken123';
    api.inject({ method: 'GET', path: /\/pulls$/, status: 401, body: { message: `Bad credentials for ${leaky}`, status: '401' } });
    const r = (await upsert({ ...config, token: leaky })) as CliError;
    expect(r.exitCode).toBe(4);
    expect(r.message).toContain('GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials for ***) while listing open pull requests');
    expect(r.message).not.toContain(leaky);
  });

  it('a GitHub Enterprise base URL with a path prefix is honoured', async () => {
    const r = await upsert({ ...config, baseUrl: `${api.url}/api/v3/` });
    // The stand-in serves at the root, so the prefixed path is a 404: proof the prefix was used.
    expect((r as CliError).message).toContain(`GitHub found no repository ${OWNER}/${REPO} at ${api.url}/api/v3/`);
    expect(api.requests[0]?.path).toBe(`/api/v3/repos/${OWNER}/${REPO}/pulls`);
  });
});
