// Pure GitHub helpers: repository slugs from remote URLs, and the rate-limit retry policy.
import { describe, expect, it } from 'vitest';

import { retryDecision } from '../../scripts/promote/rate-limit.ts';
import { resolveSlug, slugFromRemoteUrl } from '../../scripts/promote/repo-slug.ts';

describe('slugFromRemoteUrl', () => {
  it.each([
    ['https://github.com/acme-media/streamfleet-gitops.git', 'acme-media/streamfleet-gitops'],
    ['https://github.com/acme-media/streamfleet-gitops', 'acme-media/streamfleet-gitops'],
    ['https://x-access-token@github.com/acme/fleet.git/', 'acme/fleet'],
    ['git@github.com:acme/fleet.git', 'acme/fleet'],
    ['ssh://git@github.com/acme/fleet.git', 'acme/fleet'],
    ['ssh://git@ghe.example.com:2222/acme/fleet.git', 'acme/fleet'],
    ['https://ghe.example.com/acme/my.fleet.git', 'acme/my.fleet'],
  ])('%s → %s', (url, slug) => {
    const s = slugFromRemoteUrl(url);
    expect(s === undefined ? undefined : `${s.owner}/${s.repo}`).toBe(slug);
  });

  it.each(['/tmp/origin.git', 'file:///tmp/origin.git', '../origin', 'https://github.com/only-owner'])('%s has no slug', (url) => {
    expect(slugFromRemoteUrl(url)).toBeUndefined();
  });

  it('--repo wins over GITHUB_REPOSITORY, which wins over the remote', () => {
    expect(resolveSlug('a/b', 'c/d', 'git@github.com:e/f.git', 'origin')).toEqual({ owner: 'a', repo: 'b' });
    expect(resolveSlug(undefined, 'c/d', 'git@github.com:e/f.git', 'origin')).toEqual({ owner: 'c', repo: 'd' });
    expect(resolveSlug(undefined, '', 'git@github.com:e/f.git', 'origin')).toEqual({ owner: 'e', repo: 'f' });
  });
});

describe('retryDecision', () => {
  const now = 1_700_000_000_000;
  it.each([
    { name: '429 retry-after', call: { status: 429, headers: { 'retry-after': '3' }, message: '' }, attempt: 1, wait: 3000 },
    { name: '403 exhausted quota', call: { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 10) }, message: '' }, attempt: 1, wait: 11000 },
    { name: '403 secondary, no headers', call: { status: 403, headers: {}, message: 'You have exceeded a secondary rate limit.' }, attempt: 2, wait: 60000 },
    { name: '502 backs off', call: { status: 502, headers: {}, message: 'Bad Gateway' }, attempt: 2, wait: 2000 },
  ])('$name: retry after $wait ms', ({ call, attempt, wait }) => {
    expect(retryDecision(call, attempt, now)).toMatchObject({ retry: true, waitMs: wait });
  });

  it.each([
    { name: '401', call: { status: 401, headers: {}, message: 'Bad credentials' } },
    { name: '403 permission', call: { status: 403, headers: { 'x-ratelimit-remaining': '4999' }, message: 'Resource not accessible' } },
    { name: '404', call: { status: 404, headers: {}, message: 'Not Found' } },
    { name: '422', call: { status: 422, headers: {}, message: 'Validation Failed' } },
  ])('$name: no retry', ({ call }) => {
    expect(retryDecision(call, 1, now)).toEqual({ retry: false, reason: undefined });
  });

  it('stops after maxAttempts and refuses waits longer than maxWaitMs', () => {
    const limited = { status: 429, headers: { 'retry-after': '1' }, message: '' };
    expect(retryDecision(limited, 4, now)).toMatchObject({ retry: false, reason: 'gave up after 4 attempts (last: 429, rate limited)' });
    expect(retryDecision({ ...limited, headers: { 'retry-after': '3600' } }, 1, now)).toMatchObject({ retry: false });
  });
});
