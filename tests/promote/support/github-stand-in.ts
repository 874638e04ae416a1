// A local stand-in for the GitHub REST endpoints promote uses, on 127.0.0.1 only, answering with GitHub's
// real response shapes and status codes: repos.get, pulls list/create/update/listFiles, issues addLabels, a
// commit's combined status and check runs, plus injectable faults (401, 403 secondary rate limit, 404, 422,
// 429) and a request log for assertions. A pull request's files are the real `git diff base...head` of the
// bare repository, as GitHub computes them.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { tryGit } from '../../../scripts/diff/git.ts';

export interface PullRecord {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: string;
  base: string;
  labels: string[];
}

/** An issue (or pull request) comment. */
export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
}

/** A commit status as GitHub stores it (the combined status keeps the latest per context). */
export interface StatusRecord {
  readonly context: string;
  readonly state: 'error' | 'failure' | 'pending' | 'success';
}

/** A check run (GitHub's `filter: latest` view: one per name). */
export interface CheckRunRecord {
  readonly name: string;
  readonly status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  readonly conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
}

export interface CommitChecks {
  readonly statuses: readonly StatusRecord[];
  readonly checkRuns: readonly CheckRunRecord[];
}

/** What CI reports on every commit unless a test says otherwise: one green status and one green check run. */
export const GREEN: CommitChecks = {
  statuses: [{ context: 'ci/validate', state: 'success' }],
  checkRuns: [{ name: 'test', status: 'completed', conclusion: 'success' }],
};

export interface Fault {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface StandInOptions {
  readonly owner: string;
  readonly repo: string;
  readonly token: string;
  /** Bare repository holding the branches; POST pulls checks that `head` exists there, as GitHub does. */
  readonly bareRepo?: string;
}

export interface GitHubStandIn {
  readonly url: string;
  readonly pulls: PullRecord[];
  readonly comments: CommentRecord[];
  readonly requests: LoggedRequest[];
  readonly inject: (fault: Fault) => void;
  /**
   * The next list of pulls by head branch answers [] (a PR created concurrently by someone else, not yet seen).
   * Only lists with a `head` filter (the PR lookup): the overlap check's list of all open PRs is not affected.
   */
  hideFromNextList: boolean;
  /** Statuses and check runs of a commit (default: GREEN for every commit). */
  checksFor: (sha: string) => CommitChecks;
  readonly close: () => Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

export const startGitHubStandIn = async (options: StandInOptions): Promise<GitHubStandIn> => {
  const pulls: PullRecord[] = [];
  const comments: CommentRecord[] = [];
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  let url = '';
  const full = `${options.owner}/${options.repo}`;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-github-request-id': `STAND-IN:${requests.length}`,
      ...headers,
    });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string, extra: Record<string, unknown> = {}): void =>
    send(res, status, { message, ...extra, documentation_url: DOCS, status: String(status) });

  const user = { login: options.owner, id: 1, type: 'Organization' };
  const repoJson = {
    id: 42,
    node_id: 'R_stand_in',
    name: options.repo,
    full_name: full,
    private: true,
    owner: user,
    html_url: `${url}/${full}`,
    default_branch: 'main',
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
  const prJson = (p: PullRecord): Record<string, unknown> => ({
    url: `${url}/repos/${full}/pulls/${p.number}`,
    id: 1000 + p.number,
    node_id: `PR_${p.number}`,
    html_url: `${url}/${full}/pull/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    user,
    labels: p.labels.map((name, i) => ({ id: i + 1, node_id: `L_${name}`, name, color: 'ededed', default: false, description: null })),
    draft: false,
    merged_at: null,
    head: { label: `${options.owner}:${p.head}`, ref: p.head, sha: '0'.repeat(40), user, repo: repoJson },
    base: { label: `${options.owner}:${p.base}`, ref: p.base, sha: '0'.repeat(40), user, repo: repoJson },
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
  });

  /** GitHub's list of a pull request's files: the three-dot diff of base and head, `patch` without file headers. */
  const pullFiles = async (pr: PullRecord): Promise<Record<string, unknown>[]> => {
    if (options.bareRepo === undefined) return [];
    const range = `refs/heads/${pr.base}...refs/heads/${pr.head}`;
    const names = await tryGit(options.bareRepo, ['diff', '--name-status', '--no-renames', range]);
    if (!names.ok) return [];
    const files: Record<string, unknown>[] = [];
    for (const line of names.stdout.split('\n').filter((l) => l.length > 0)) {
      const [code, filename = ''] = line.split('\t');
      const diff = await tryGit(options.bareRepo, ['diff', '--no-color', range, '--', filename]);
      const text = diff.ok ? diff.stdout : '';
      const at = text.indexOf('\n@@');
      const patch = at < 0 ? '' : text.slice(at + 1).replace(/\n$/, '');
      const body = patch.split('\n');
      const additions = body.filter((l) => l.startsWith('+')).length;
      const deletions = body.filter((l) => l.startsWith('-')).length;
      files.push({ sha: null, filename, status: code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified', additions, deletions, changes: additions + deletions, patch });
    }
    return files;
  };

  const branchExists = async (branch: string): Promise<boolean> =>
    options.bareRepo === undefined || (await tryGit(options.bareRepo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).ok;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const authorization = req.headers.authorization;
    requests.push({ method, path: u.pathname, query: u.searchParams, body, authorization });

    const fault = faults.find((f) => f.method === method && f.path.test(u.pathname));
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      send(res, fault.status, fault.body, { ...fault.headers });
      return;
    }
    // Octokit sends `token <t>` for personal access tokens; `Bearer` is accepted too, like GitHub does.
    const given = /^(?:token|bearer)\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (given !== options.token) return error(res, 401, 'Bad credentials');

    const base = `/repos/${full}`;
    if (!u.pathname.startsWith(base)) return error(res, 404, 'Not Found');
    const rest = u.pathname.slice(base.length);
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;

    if (method === 'GET' && rest === '') return send(res, 200, repoJson);
    if (method === 'GET' && rest === '/pulls') {
      const state = u.searchParams.get('state') ?? 'open';
      const head = u.searchParams.get('head');
      const baseRef = u.searchParams.get('base');
      let list = pulls.filter(
        (p) =>
          (state === 'all' || p.state === state) &&
          (head === null || `${options.owner}:${p.head}` === head) &&
          (baseRef === null || p.base === baseRef),
      );
      if (standIn.hideFromNextList && head !== null) {
        standIn.hideFromNextList = false;
        list = [];
      }
      return send(res, 200, list.map(prJson));
    }
    if (method === 'POST' && rest === '/pulls') {
      const head = String(b.head ?? '');
      const baseRef = String(b.base ?? '');
      if (typeof b.title !== 'string' || b.title.length === 0) {
        return error(res, 422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }] });
      }
      if (!(await branchExists(head))) {
        return error(res, 422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
      }
      if (pulls.some((p) => p.state === 'open' && p.head === head && p.base === baseRef)) {
        return error(res, 422, 'Validation Failed', {
          errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${options.owner}:${head}.` }],
        });
      }
      const typed = typeof b.body === 'string' ? b.body : '';
      if (typed.length > 65_536) {
        return error(res, 422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
      }
      const pr: PullRecord = { number: pulls.length + 1, state: 'open', title: b.title, body: typed, head, base: baseRef, labels: [] };
      pulls.push(pr);
      return send(res, 201, prJson(pr), { location: `${url}/repos/${full}/pulls/${pr.number}` });
    }
    const pullMatch = /^\/pulls\/(\d+)$/.exec(rest);
    if (method === 'PATCH' && pullMatch !== null) {
      const pr = pulls.find((p) => p.number === Number(pullMatch[1]));
      if (pr === undefined) return error(res, 404, 'Not Found');
      if (typeof b.title === 'string') pr.title = b.title;
      if (typeof b.body === 'string') {
        if (b.body.length > 65_536) {
          return error(res, 422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
        }
        pr.body = b.body;
      }
      return send(res, 200, prJson(pr));
    }
    const filesMatch = /^\/pulls\/(\d+)\/files$/.exec(rest);
    if (method === 'GET' && filesMatch !== null) {
      const pr = pulls.find((p) => p.number === Number(filesMatch[1]));
      if (pr === undefined) return error(res, 404, 'Not Found');
      return send(res, 200, await pullFiles(pr));
    }
    const statusMatch = /^\/commits\/([^/]+)\/(status|check-runs)$/.exec(rest);
    if (method === 'GET' && statusMatch !== null) {
      const sha = statusMatch[1] ?? '';
      const checks = standIn.checksFor(sha);
      if (statusMatch[2] === 'status') {
        // GitHub's combined state: failure if any context is error or failure, pending if any is pending or
        // there are none, else success.
        const states = checks.statuses.map((x) => x.state);
        const state = states.some((x) => x === 'error' || x === 'failure') ? 'failure' : states.length === 0 || states.includes('pending') ? 'pending' : 'success';
        return send(res, 200, {
          state,
          sha,
          total_count: checks.statuses.length,
          statuses: checks.statuses.map((x, i) => ({ id: i + 1, node_id: `SC_${i}`, state: x.state, context: x.context, description: null, target_url: null, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' })),
          repository: repoJson,
          commit_url: `${url}/repos/${full}/commits/${sha}`,
          url: `${url}/repos/${full}/commits/${sha}/status`,
        });
      }
      return send(res, 200, {
        total_count: checks.checkRuns.length,
        check_runs: checks.checkRuns.map((x, i) => ({ id: i + 1, node_id: `CR_${i}`, head_sha: sha, name: x.name, status: x.status, conclusion: x.conclusion, html_url: `${url}/${full}/runs/${i + 1}` })),
      });
    }
    const labelMatch = /^\/issues\/(\d+)\/labels$/.exec(rest);
    if (method === 'POST' && labelMatch !== null) {
      const pr = pulls.find((p) => p.number === Number(labelMatch[1]));
      if (pr === undefined) return error(res, 404, 'Not Found');
      const names = Array.isArray(b.labels) ? b.labels.map(String) : [];
      for (const n of names) if (!pr.labels.includes(n)) pr.labels.push(n);
      return send(res, 200, prJson(pr).labels);
    }
    const commentJson = (c: CommentRecord): Record<string, unknown> => ({
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${url}/repos/${full}/issues/comments/${c.id}`,
      html_url: `${url}/${full}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${url}/repos/${full}/issues/${c.issue}`,
      body: c.body,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      author_association: 'NONE',
    });
    const tooLong = (text: unknown): boolean => typeof text === 'string' && text.length > 65_536;
    const commentsMatch = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (commentsMatch !== null) {
      const issue = Number(commentsMatch[1]);
      if (!pulls.some((p) => p.number === issue)) return error(res, 404, 'Not Found');
      if (method === 'GET') {
        // Pages of `per_page`, as GitHub serves them (Octokit's paginate follows the Link header).
        const perPage = Number(u.searchParams.get('per_page') ?? 30);
        const page = Number(u.searchParams.get('page') ?? 1);
        const all = comments.filter((c) => c.issue === issue);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) headers.link = `<${url}${u.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
        return send(res, 200, slice.map(commentJson), headers);
      }
      if (method === 'POST') {
        if (typeof b.body !== 'string' || b.body.length === 0) {
          return error(res, 422, 'Validation Failed', { errors: [{ resource: 'IssueComment', field: 'body', code: 'missing_field' }] });
        }
        if (tooLong(b.body)) {
          return error(res, 422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
        }
        const c: CommentRecord = { id: 1000 + comments.length, issue, body: b.body };
        comments.push(c);
        return send(res, 201, commentJson(c));
      }
    }
    const commentMatch = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (method === 'PATCH' && commentMatch !== null) {
      const c = comments.find((x) => x.id === Number(commentMatch[1]));
      if (c === undefined) return error(res, 404, 'Not Found');
      if (tooLong(b.body)) {
        return error(res, 422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] });
      }
      if (typeof b.body === 'string') c.body = b.body;
      return send(res, 200, commentJson(c));
    }
    return error(res, 404, 'Not Found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  repoJson.html_url = `${url}/${full}`;

  const standIn: GitHubStandIn = {
    url,
    pulls,
    comments,
    requests,
    inject: (f) => void faults.push(f),
    hideFromNextList: false,
    checksFor: () => GREEN,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
};

/** A GitHub 429 with retry-after, as for a secondary rate limit. */
export const tooManyRequests = (retryAfterSeconds: number): Fault => ({
  method: 'POST',
  path: /\/pulls$/,
  status: 429,
  headers: { 'retry-after': String(retryAfterSeconds) },
  body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: DOCS, status: '429' },
});

/** A GitHub 403 secondary rate limit with an exhausted quota and its reset time (epoch seconds). */
export const secondaryRateLimit = (path: RegExp, method: string, resetEpochSeconds: number): Fault => ({
  method,
  path,
  status: 403,
  headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetEpochSeconds) },
  body: {
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    status: '403',
  },
});
