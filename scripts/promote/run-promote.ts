// `pnpm promote` end to end. Order matters: every check that needs no network comes first; the PR API is
// checked before anything is pushed; the base commit is recorded once and must be green on GitHub (the source
// gate); the plan is made from it in throwaway worktrees, committed there, and that commit is what `pnpm
// validate` checks and what is pushed. Right before the push: a base branch that moved, or another open
// promotion changing the same pins, stops the run (exit 5) instead of silently promoting something else; the
// push carries a lease on the promotion branch.
import { chooseCache } from '../diff/cache-option.ts';
import { GITHUB_BODY_LIMIT } from '../diff/format-markdown.ts';
import { formatText } from '../diff/format-text.ts';
import { resolveCommit, repoTop, shortSha, tryGit } from '../diff/git.ts';
import { createRenderer, type Renderer } from '../diff/renderer.ts';
import { withWorktrees } from '../diff/worktree.ts';
import { describeEngine, detectEngine } from '../kustomize/engine.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { progress, type Io } from '../lib/io.ts';
import { ENVIRONMENTS_DIR, INVENTORY_DIR, posixJoin } from '../lib/layout.ts';
import { commitAll, dirtyPaths, fetchBranch, pushWithLease, remoteBranchSha, remoteUrl, sameContent } from './git-ops.ts';
import { API_URL_VARIABLE, createGitHubClient, DEFAULT_API_URL, gitHubFailure, TOKEN_VARIABLE, type GitHubConfig } from './github-client.ts';
import { commitMessage, driftSummary, driftText, planText, prBody, prLabels, prTitle, renderedSummary, type PromotionContext, type SourceCheckRecord } from './messages.ts';
import { formatPromoteJson, type BaseJson, type Outcome } from './plan-json.ts';
import { isPrepared, loadFleetAt, planFor, preparePromotion, type PromotionRequest } from './prepare.ts';
import { PullRequestStepError, upsertPullRequest } from './pull-request.ts';
import type { RetryPolicy } from './rate-limit.ts';
import { resolveSlug, type RepoSlug } from './repo-slug.ts';
import { branchName, selectionScope } from './selection.ts';
import { findOverlappingPulls } from './overlap.ts';
import { judgeSource, readSourceChecks } from './source-gate.ts';
import { summaryLine, validateTree } from './validate-tree.ts';

export interface PromoteOptions extends PromotionRequest {
  readonly dryRun: boolean;
  readonly root: string;
  readonly remote: string;
  /** PR base branch; default: the branch Argo CD reads (`git.targetRevision` in fleet.yaml). */
  readonly base: string | undefined;
  readonly repo: string | undefined;
  readonly apiUrl: string | undefined;
  readonly cacheDir: string | undefined;
  readonly noCache: boolean;
  /** Why the source gate is overridden (needs `approver`); undefined: the gate applies. */
  readonly skipSourceCheck: string | undefined;
  /** The command line, quoted in the PR body. */
  readonly command: string;
  /** text: the plan and log on stdout; json: one document on stdout at the end, the log on stderr. */
  readonly format: 'text' | 'json';
  /** Show the drift table and every rendered object, not only the per-cluster counts. */
  readonly verbose: boolean;
}

export interface PushInfo {
  readonly branch: string;
  readonly commit: string;
}

export interface PromoteDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly retryPolicy?: RetryPolicy;
  /** Seams for tests: run right before the base check and push, and right after the push. */
  readonly beforePush?: (info: PushInfo) => Promise<void>;
  readonly afterPush?: (info: PushInfo) => Promise<void>;
}

interface Remote {
  readonly url: string | undefined;
  readonly github: { readonly config: GitHubConfig; readonly slug: RepoSlug } | undefined;
}

const checkCleanTree = async (repo: string, dryRun: boolean, io: Io): Promise<void> => {
  const dirty = await dirtyPaths(repo);
  if (dirty.length === 0) return;
  const list = dirty.slice(0, 50).map((p) => `  ${p}`);
  if (dirty.length > 50) list.push(`  … and ${dirty.length - 50} more`);
  if (dryRun) {
    io.stderr(`warning: the working tree has uncommitted changes (a real run refuses); they are not part of the plan:\n${list.join('\n')}\n`);
    return;
  }
  throw new CliError(
    `the working tree has uncommitted changes; commit or stash them first (the promotion is planned from the committed base branch, so they would silently be left out):\n${list.join('\n')}`,
    ExitCode.Precondition,
  );
};

const connectGitHub = async (options: PromoteOptions, deps: PromoteDeps, repo: string, io: Io): Promise<Remote> => {
  const url = await remoteUrl(repo, options.remote);
  if (options.dryRun) return { url, github: undefined };
  const token = deps.env[TOKEN_VARIABLE] ?? '';
  if (token.length === 0) {
    throw new CliError(
      `${TOKEN_VARIABLE} is not set: promote opens the pull request through the GitHub API; export a token with contents, pull requests and issues write access, or use --dry-run`,
      ExitCode.Precondition,
    );
  }
  if (url === undefined) throw new CliError(`no git remote ${options.remote}: promote pushes the promotion branch there (see --remote)`, ExitCode.Precondition);
  const slug = resolveSlug(options.repo, deps.env.GITHUB_REPOSITORY, url, options.remote);
  const config: GitHubConfig = {
    token,
    baseUrl: options.apiUrl ?? deps.env[API_URL_VARIABLE] ?? DEFAULT_API_URL,
    slug,
    sleep: deps.sleep,
    now: deps.now,
    ...(deps.retryPolicy === undefined ? {} : { policy: deps.retryPolicy }),
    onRetry: (m) => io.stderr(`github: ${m}\n`),
  };
  // Before anything is pushed: a bad token or repository fails here, not after the branch is on the remote.
  try {
    await createGitHubClient(config).rest.repos.get({ owner: slug.owner, repo: slug.repo });
  } catch (e) {
    throw gitHubFailure(e, config, 'reading the repository');
  }
  return { url, github: { config, slug } };
};

interface PlannedBase {
  readonly sha: string;
  readonly label: string;
  readonly json: BaseJson;
  /** Said before the plan: what the dry run plans from, and how that differs from a real run. */
  readonly notes: readonly string[];
}

const commits = (n: number): string => `${n} commit${n === 1 ? '' : 's'}`;

/** Commits of `a` not in `b`, and of `b` not in `a`. */
const aheadBehind = async (repo: string, a: string, b: string): Promise<[number, number] | undefined> => {
  const r = await tryGit(repo, ['rev-list', '--left-right', '--count', `${a}...${b}`]);
  const [ahead, behind] = r.ok ? r.stdout.trim().split(/\s+/).map(Number) : [];
  return ahead === undefined || behind === undefined || Number.isNaN(ahead) || Number.isNaN(behind) ? undefined : [ahead, behind];
};

/** The remote base branch, fetched; in a dry run without network, the last fetched one (or nothing). */
const fetchRemoteBase = async (repo: string, options: PromoteOptions, baseBranch: string, remote: Remote, io: Io): Promise<{ sha: string; label: string } | undefined> => {
  const remoteLabel = `${options.remote}/${baseBranch}`;
  if (remote.url === undefined) return undefined;
  progress(io, `fetching ${remoteLabel}…`);
  try {
    return { sha: await fetchBranch(repo, options.remote, baseBranch), label: remoteLabel };
  } catch (e) {
    if (!options.dryRun) throw e;
    io.stderr(`warning: ${(e as Error).message}; dry run continues offline\n`);
    const tracking = await resolveCommit(repo, `refs/remotes/${remoteLabel}`);
    return tracking === undefined ? undefined : { sha: tracking, label: `${remoteLabel} (last fetched)` };
  }
};

/**
 * The commit to plan from. A real run: the remote base branch, fetched (what the pull request merges into). A dry
 * run previews what you have: your local base branch, unpushed commits included, and says how it differs from
 * what a real run would plan from (a local commit used to be silently left out).
 */
const resolveBase = async (repo: string, options: PromoteOptions, baseBranch: string, remote: Remote, io: Io): Promise<PlannedBase> => {
  const remoteLabel = `${options.remote}/${baseBranch}`;
  const fetched = await fetchRemoteBase(repo, options, baseBranch, remote, io);
  const plain = (sha: string, label: string, notes: string[]): PlannedBase => ({ sha, label, notes, json: { label, sha, aheadOfRemote: null, behindRemote: null } });
  if (!options.dryRun) {
    if (fetched === undefined) throw new CliError(`no git remote ${options.remote}: promote pushes the promotion branch there (see --remote)`, ExitCode.Precondition);
    return { ...plain(fetched.sha, fetched.label, []), json: { label: fetched.label, sha: fetched.sha, aheadOfRemote: 0, behindRemote: 0 } };
  }
  const local = await resolveCommit(repo, `refs/heads/${baseBranch}`);
  if (local !== undefined) {
    const label = `${baseBranch} (local)`;
    const where = `dry run: planning from your local ${baseBranch} at ${shortSha(local)}`;
    if (fetched === undefined) return plain(local, label, [`${where}; there is no ${remoteLabel} to compare it with (a real run plans from ${remoteLabel})`]);
    const counts = await aheadBehind(repo, local, fetched.sha);
    const [ahead, behind] = counts ?? [0, 0];
    const json = { label, sha: local, aheadOfRemote: counts?.[0] ?? null, behindRemote: counts?.[1] ?? null };
    if (ahead === 0 && behind === 0) return { sha: local, label, json, notes: [`${where}, the same commit as ${fetched.label}`] };
    const parts = [ahead > 0 ? `${commits(ahead)} ahead of` : '', behind > 0 ? `${commits(behind)} behind` : ''].filter((p) => p.length > 0).join(' and ');
    return {
      sha: local,
      label,
      json,
      notes: [
        `${where}, ${parts} ${fetched.label} (${shortSha(fetched.sha)}). A real run plans from ${remoteLabel}` +
          `${ahead > 0 ? `: your ${commits(ahead)} NOT pushed would NOT be included; push first` : ''}` +
          `${behind > 0 ? `${ahead > 0 ? ', and' : ':'} it would include the ${commits(behind)} you have not pulled` : ''}.`,
      ],
    };
  }
  if (fetched !== undefined) return plain(fetched.sha, fetched.label, [`dry run: you have no local branch ${baseBranch}; planning from ${fetched.label} at ${shortSha(fetched.sha)}`]);
  const head = await resolveCommit(repo, 'HEAD');
  if (head === undefined) throw new CliError(`${repo} has no commits`, ExitCode.Precondition);
  return plain(head, 'HEAD', [`dry run: no branch ${baseBranch} here or on ${options.remote}; planning from HEAD at ${shortSha(head)}`]);
};

/** The source gate on the base commit; refuses (exit 5) unless it is green or overridden. */
const gateSource = async (sha: string, options: PromoteOptions, remote: Remote, io: Io): Promise<SourceCheckRecord> => {
  const github = remote.github;
  if (github === undefined) return { kind: 'not-run' };
  let verdict;
  try {
    verdict = judgeSource(await readSourceChecks(createGitHubClient(github.config), github.slug, sha));
  } catch (e) {
    throw gitHubFailure(e, github.config, `reading the commit statuses and check runs of ${shortSha(sha)}`);
  }
  if (verdict.green) return { kind: 'green', summary: verdict.summary };
  if (options.skipSourceCheck !== undefined) {
    io.stderr(`warning: source check skipped (${options.skipSourceCheck}; approved by ${options.approver ?? '?'}): ${verdict.reasons.join('; ')}\n`);
    return { kind: 'overridden', reason: options.skipSourceCheck, problems: verdict.reasons };
  }
  throw new CliError(
    `the promoted source commit ${shortSha(sha)} (${options.base ?? 'the base branch'}, holding ${options.from}'s pins) is not green (${verdict.state}):\n` +
      `${verdict.reasons.map((r) => `  ${r}`).join('\n')}\n` +
      'wait for CI and rerun; to promote anyway, add --skip-source-check "<reason>" --approver <github login> (both recorded in the commit and the pull request)',
    ExitCode.Precondition,
  );
};

/** Stops (exit 5) when another open promotion PR changes the same pins of the target environment. */
const checkOverlap = async (remote: Remote, branch: string, baseBranch: string, to: string, images: readonly string[]): Promise<void> => {
  const github = remote.github;
  if (github === undefined) return;
  const envFile = posixJoin(INVENTORY_DIR, ENVIRONMENTS_DIR, `${to}.yaml`);
  let overlapping;
  try {
    overlapping = await findOverlappingPulls(createGitHubClient(github.config), { slug: github.slug, base: baseBranch, ownBranch: branch, envFile, images });
  } catch (e) {
    throw gitHubFailure(e, github.config, 'listing open promotion pull requests');
  }
  if (overlapping.length === 0) return;
  const list = overlapping.map((p) => `  pull request #${p.number} (${p.head}) changes ${p.images.join(', ')}: ${p.url}`);
  throw new CliError(
    `another open promotion changes the same pins of ${envFile}; nothing was pushed:\n${list.join('\n')}\nmerge or close it first, then rerun`,
    ExitCode.Precondition,
  );
};

const attempt = async (
  branch: string,
  repo: string,
  options: PromoteOptions,
  deps: PromoteDeps,
  io: Io,
  remote: Remote,
  baseBranch: string,
  renderer: Renderer,
  engineId: string,
): Promise<number> => {
  // text: everything on stdout; json: the log on stderr, one JSON document on stdout at the end.
  const json = options.format === 'json';
  const say = (text: string): void => (json ? io.stderr(text) : io.stdout(text));
  // The base commit is recorded once here; everything below (source gate, plan, validate, push) is about it.
  const base = await resolveBase(repo, options, baseBranch, remote, io);
  const userHead = await resolveCommit(repo, 'HEAD');
  const notes = [...base.notes];
  if (userHead !== undefined && userHead !== base.sha) notes.push(`planning from ${base.label} (${shortSha(base.sha)}), not from your HEAD (${shortSha(userHead)})`);
  for (const n of notes) say(`note: ${n}\n`);
  // Before any worktree or gen: a red or pending source stops here, cheaply.
  if (remote.github !== undefined) progress(io, `checking CI of ${shortSha(base.sha)} on GitHub…`);
  const sourceCheck = await gateSource(base.sha, { ...options, base: baseBranch }, remote, io);
  const lease = options.dryRun ? undefined : await remoteBranchSha(repo, options.remote, branch);

  progress(io, `checking out ${base.label} (${shortSha(base.sha)}) into two scratch worktrees…`);
  return withWorktrees(
    repo,
    [
      { sha: base.sha, label: 'promote-base' },
      { sha: base.sha, label: 'promote-work' },
    ],
    async ([baseTree, work]): Promise<number> => {
      if (baseTree === undefined || work === undefined) throw new Error('worktrees missing');
      const prepared = await preparePromotion({
        request: options,
        base: baseTree,
        work,
        baseLabel: base.label,
        headLabel: `${branch} (uncommitted)`,
        renderer,
        engineId,
        progress: (step) => progress(io, step),
      });
      const ctx: PromotionContext = {
        plan: prepared.plan,
        drift: prepared.drift,
        scope: selectionScope(prepared.selection),
        branch,
        baseBranch,
        baseLabel: base.label,
        baseSha: base.sha,
        skipped: prepared.pair.skipped,
        skipReason: options.skipReason,
        approver: options.approver,
        sourceCheck,
        command: options.command,
      };
      const outcome: { -readonly [K in keyof Outcome]: Outcome[K] } = { dryRun: options.dryRun, base: base.json };
      const finish = (code: number): number => {
        if (json) io.stdout(formatPromoteJson(ctx, outcome));
        return code;
      };
      if (!isPrepared(prepared)) {
        say(`nothing to promote: ${options.to} already runs ${options.from}'s pins for ${ctx.scope} (planned from ${base.label} ${shortSha(base.sha)}); no branch, no pull request\n`);
        return finish(ExitCode.Ok);
      }
      outcome.diff = prepared.diff;
      if (!json) io.stdout(`${planText(ctx).join('\n')}\n\ngen: ${prepared.genReport.split('\n')[0] ?? ''}\n`);

      // Committed in the scratch worktree first (even in a dry run, then discarded with it, so a dry run fails
      // where a real one would, e.g. without a git identity), then `pnpm validate` runs on that very commit.
      progress(io, 'committing in the scratch worktree…');
      const commit = await commitAll(work.dir, commitMessage(ctx));
      outcome.commit = commit;
      progress(io, 'validating the promoted tree (pnpm validate)…');
      const validation = await validateTree(work.dir);
      outcome.validation = { exitCode: validation.code, summary: summaryLine(validation.stdout) };
      if (validation.code !== ExitCode.Ok) {
        say(`${validation.stdout}${validation.stderr}`);
        say(`pnpm validate FAILED on the promoted tree (exit ${validation.code}); nothing was pushed and no pull request opened\n`);
        return finish(validation.code);
      }
      if (validation.changed.length > 0) {
        throw new Error(`pnpm validate changed files of the tree it validated: ${validation.changed.join(', ')}`);
      }
      if (!json) {
        // Versions came first (the plan); then one line per cluster and a one-line drift summary. The full diff and
        // the drift table only on request: 48 rows of drift used to bury the version table.
        const lines = [summaryLine(validation.stdout), '', ...renderedSummary(prepared.diff), ...driftSummary(ctx)];
        if (options.verbose) lines.push('', ...driftText(ctx), '', formatText(prepared.diff, { color: false }).trimEnd());
        io.stdout(`${lines.join('\n')}\n`);
      }

      if (options.dryRun) {
        say(
          `\ndry run: committed ${shortSha(commit)} in a scratch worktree (discarded); would push ${branch} (with a lease) ` +
            `and open or update its pull request into ${baseBranch}\n`,
        );
        return finish(ExitCode.Ok);
      }
      await deps.beforePush?.({ branch, commit });
      // What was gated, planned and validated is base.sha: a base that moved since means a different promotion.
      const nowBase = await remoteBranchSha(repo, options.remote, baseBranch);
      if (nowBase !== base.sha) {
        throw new CliError(
          `base ${baseBranch} moved from ${shortSha(base.sha)} to ${nowBase === undefined ? 'nothing (deleted)' : shortSha(nowBase)} while planning; ` +
            'what was checked and validated is no longer what would be promoted; nothing was pushed; rerun',
          ExitCode.Precondition,
        );
      }
      await checkOverlap(remote, branch, baseBranch, options.to, prepared.plan.changes.map((c) => c.image));

      let headSha = commit;
      progress(io, `pushing ${branch}…`);
      if (lease !== undefined && (await sameContent(work.dir, options.remote, branch, lease, commit))) {
        headSha = lease;
        say(`\n${branch} already holds this promotion (${shortSha(lease)}); not pushed\n`);
      } else if ((await pushWithLease(work.dir, options.remote, commit, branch, lease)) === 'lease-broken') {
        throw new CliError(
          `${options.remote}/${branch} changed since it was read (${lease === undefined ? 'it did not exist' : `was ${shortSha(lease)}`}): someone else pushed to it; not overwritten. Look at the branch, delete it if it is stale, and run again`,
          ExitCode.Precondition,
        );
      } else {
        say(`\npushed ${shortSha(commit)} to ${options.remote}/${branch}${lease === undefined ? '' : ` (lease ${shortSha(lease)})`}\n`);
      }
      outcome.pushed = true;
      await deps.afterPush?.({ branch, commit: headSha });

      const github = remote.github;
      if (github === undefined) throw new Error('GitHub client missing outside a dry run');
      const diff = { ...prepared.diff, head: { label: branch, sha: headSha } };
      progress(io, 'opening or updating the pull request…');
      try {
        const pr = await upsertPullRequest(createGitHubClient(github.config), {
          slug: github.slug,
          head: branch,
          base: baseBranch,
          title: prTitle(ctx),
          body: prBody(ctx, diff, GITHUB_BODY_LIMIT),
          labels: prLabels(ctx),
        });
        say(`pull request #${pr.number} ${pr.action}: ${pr.url}\n`);
        outcome.pullRequest = { number: pr.number, url: pr.url, action: pr.action };
      } catch (e) {
        if (e instanceof PullRequestStepError) throw gitHubFailure(e.cause, github.config, e.step);
        throw e;
      }
      return finish(ExitCode.Ok);
    },
  );
};

export const runPromote = async (options: PromoteOptions, io: Io, deps: PromoteDeps): Promise<number> => {
  const repo = await repoTop(options.root);
  if (repo === undefined) throw new CliError(`${options.root} is not in a git repository`, ExitCode.BadInput);
  // Usage errors first, from the checked-out inventory: no network, no worktree.
  const fleet = await loadFleetAt(repo);
  const branch = branchName(options.from, options.to, planFor(fleet, options).selection);
  await checkCleanTree(repo, options.dryRun, io);
  if (!options.dryRun) progress(io, 'checking the GitHub token and repository…');
  const remote = await connectGitHub(options, deps, repo, io);
  const baseBranch = options.base ?? fleet.git.targetRevision;
  if ((await tryGit(repo, ['check-ref-format', '--branch', baseBranch])).ok === false) {
    throw new CliError(`--base ${baseBranch} is not a branch name`, ExitCode.BadInput);
  }
  const engine = await detectEngine();
  const renderer = createRenderer(engine, chooseCache(options.cacheDir, options.noCache, deps.env).cache);
  return attempt(branch, repo, options, deps, io, remote, baseBranch, renderer, describeEngine(engine));
};
