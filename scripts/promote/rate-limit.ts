// When to retry a GitHub API call, pure: rate limits (429, and 403 with retry-after or an exhausted quota:
// the "secondary rate limit") wait as long as GitHub says, server errors back off briefly; everything is
// bounded, both in attempts and in the longest single wait (no CLI should sleep for an hour).
export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Longest wait the tool accepts; a longer one fails with the reset time instead. */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, maxWaitMs: 90_000 };

export type RetryDecision =
  | { readonly retry: true; readonly waitMs: number; readonly reason: string }
  | { readonly retry: false; readonly reason: string | undefined };

export interface FailedCall {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  /** GitHub's `message`. */
  readonly message: string;
}

/** GitHub's documented fallback when a secondary limit names no time: wait at least a minute. */
const SECONDARY_DEFAULT_MS = 60_000;

const header = (h: FailedCall['headers'], name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()];
  return v === undefined ? undefined : String(v);
};

/** Milliseconds GitHub asks us to wait, or undefined when the failure is not a rate limit. */
export const rateLimitWait = (call: FailedCall, nowMs: number): number | undefined => {
  const retryAfter = header(call.headers, 'retry-after');
  const remaining = header(call.headers, 'x-ratelimit-remaining');
  const reset = header(call.headers, 'x-ratelimit-reset');
  const secondary = /secondary rate limit|abuse/i.test(call.message);
  const limited = call.status === 429 || (call.status === 403 && (retryAfter !== undefined || remaining === '0' || secondary));
  if (!limited) return undefined;
  if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) return Math.max(0, Number(retryAfter) * 1000);
  if (remaining === '0' && reset !== undefined && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000 - nowMs) + 1000;
  return SECONDARY_DEFAULT_MS;
};

export const retryDecision = (call: FailedCall, attempt: number, nowMs: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision => {
  const wait = rateLimitWait(call, nowMs);
  const transient = call.status >= 500 && call.status !== 501;
  if (wait === undefined && !transient) return { retry: false, reason: undefined };
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempt} attempts (last: ${call.status}${wait === undefined ? '' : ', rate limited'})` };
  }
  if (wait === undefined) {
    return { retry: true, waitMs: Math.min(1000 * 2 ** (attempt - 1), policy.maxWaitMs), reason: `GitHub answered ${call.status}` };
  }
  if (wait > policy.maxWaitMs) {
    const at = new Date(nowMs + wait).toISOString();
    return { retry: false, reason: `rate limited until ${at}, longer than the ${Math.round(policy.maxWaitMs / 1000)} s this tool waits` };
  }
  return { retry: true, waitMs: wait, reason: `rate limited (${call.status}), GitHub asks to wait ${Math.ceil(wait / 1000)} s` };
};
