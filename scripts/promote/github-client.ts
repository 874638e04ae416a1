// The GitHub REST client (@octokit/rest) with the house rules: token from one named variable and never
// printed, base URL configurable for GitHub Enterprise, bounded retries on rate limits (injectable sleep and
// clock, so tests do not wait), and every failure turned into a CliError that says what to fix (exit 4).
import { Octokit } from '@octokit/rest';

import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { DEFAULT_RETRY_POLICY, retryDecision, type FailedCall, type RetryPolicy } from './rate-limit.ts';
import type { RepoSlug } from './repo-slug.ts';

export const TOKEN_VARIABLE = 'GITHUB_TOKEN';
export const API_URL_VARIABLE = 'GITHUB_API_URL';
export const DEFAULT_API_URL = 'https://api.github.com';

export interface GitHubConfig {
  readonly token: string;
  readonly baseUrl: string;
  readonly slug: RepoSlug;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly policy?: RetryPolicy;
  /** Told about each wait, so the user knows why the command pauses. */
  readonly onRetry?: (message: string) => void;
}

/** Retries ran out (or the wait GitHub asked for was too long). */
class RetriesExhausted extends Error {
  constructor(
    readonly call: FailedCall,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RetriesExhausted';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Status, headers and GitHub's message of an Octokit RequestError (duck-typed: it is a transitive package). */
export const failedCall = (error: unknown): FailedCall | undefined => {
  if (!isRecord(error) || typeof error.status !== 'number') return undefined;
  const response = isRecord(error.response) ? error.response : {};
  const headers = isRecord(response.headers) ? (response.headers as FailedCall['headers']) : {};
  const data = isRecord(response.data) ? response.data : {};
  const message = typeof data.message === 'string' ? data.message : error instanceof Error ? error.message : '';
  return { status: error.status, headers, message };
};

const silentLog = { debug: (): void => {}, info: (): void => {}, warn: (): void => {}, error: (): void => {} };

export const createGitHubClient = (config: GitHubConfig): Octokit => {
  const octokit = new Octokit({
    auth: config.token,
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    userAgent: 'streamfleet-promote',
    log: silentLog,
  });
  const policy = config.policy ?? DEFAULT_RETRY_POLICY;
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (error) {
        const call = failedCall(error);
        if (call === undefined) throw error;
        const decision = retryDecision(call, attempt, config.now(), policy);
        if (!decision.retry) {
          if (decision.reason !== undefined) throw new RetriesExhausted(call, decision.reason);
          throw error;
        }
        config.onRetry?.(`${options.method} ${String(options.url)}: ${decision.reason}; retry ${attempt + 1}/${policy.maxAttempts}`);
        await config.sleep(decision.waitMs);
      }
    }
  });
  return octokit;
};

/** Validation errors of a 422, e.g. `A pull request already exists for acme:promote/dev-to-staging/all.` */
export const validationMessages = (error: unknown): string[] => {
  if (!isRecord(error) || !isRecord(error.response) || !isRecord(error.response.data)) return [];
  const errors = error.response.data.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => (isRecord(e) ? (typeof e.message === 'string' ? e.message : typeof e.code === 'string' ? `${String(e.field ?? e.resource ?? '')} ${e.code}` : '') : String(e))).filter((m) => m.length > 0);
};

/** A CliError (exit 4) saying what failed and what to check; the token itself never appears. */
export const gitHubFailure = (error: unknown, config: Pick<GitHubConfig, 'token' | 'baseUrl' | 'slug'>, action: string): CliError => {
  const scrub = (text: string): string => (config.token.length > 0 ? text.split(config.token).join('***') : text);
  const repo = `${config.slug.owner}/${config.slug.repo}`;
  if (error instanceof RetriesExhausted) {
    return new CliError(scrub(`GitHub API ${action}: ${error.reason}; last answer ${error.call.status} ${error.call.message}`), ExitCode.RemoteFailure);
  }
  const call = failedCall(error);
  if (call === undefined) return new CliError(scrub(`GitHub API ${action}: ${error instanceof Error ? error.message : String(error)}`), ExitCode.RemoteFailure);
  const said = `${call.status} ${call.message}`.trim();
  const message =
    call.status === 401
      ? `GitHub rejected the token in ${TOKEN_VARIABLE} (${said}) while ${action}: check that it is valid, not expired, and meant for ${config.baseUrl}`
      : call.status === 403
        ? `GitHub refused ${action} (${said}): the token in ${TOKEN_VARIABLE} lacks permission on ${repo} (it needs contents: write, pull requests: write and issues: write)`
        : call.status === 404
          ? `GitHub found no repository ${repo} at ${config.baseUrl} (${said} while ${action}): check --repo or the git remote, --api-url, and that the token in ${TOKEN_VARIABLE} can see the repository`
          : call.status === 422
            ? `GitHub refused ${action} (${said}${validationMessages(error).length > 0 ? `: ${validationMessages(error).join('; ')}` : ''})`
            : `GitHub API ${action} failed: ${said}`;
  return new CliError(scrub(message), ExitCode.RemoteFailure);
};
