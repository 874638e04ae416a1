// `pnpm promote` end to end. Order matters: every check that needs no network comes first; the PR API is
// checked before anything is pushed; the plan is made from the remote base branch in throwaway worktrees;
// the push carries a lease on the promotion branch, and a base branch that moved while we planned means
// planning again (bounded).
import { chooseCache } from '../diff/cache-option.ts';
import { GITHUB_BODY_LIMIT } from '../diff/format-markdown.ts';
import { formatText } from '../diff/format-text.ts';
import { resolveCommit, repoTop, shortSha, tryGit } from '../diff/git.ts';
import { createRenderer, type Renderer } from '../diff/renderer.ts';
import { withWorktrees } from '../diff/worktree.ts';
import { describeEngine, detectEngine } from '../kustomize/engine.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { commitAll, dirtyPaths, fetchBranch, pushWithLease, remoteBranchSha, remoteUrl, sameContent } from './git-ops.ts';
import { API_URL_VARIABLE, createGitHubClient, DEFAULT_API_URL, gitHubFailure, TOKEN_VARIABLE, type GitHubConfig } from './github-client.ts';
import { commitMessage, planText, prBody, prLabels, prTitle, type PromotionContext } from './messages.ts';
import { isPrepared, loadFleetAt, planFor, preparePromotion, type PromotionRequest } from './prepare.ts';
import { PullRequestStepError, upsertPullRequest } from './pull-request.ts';
import type { RetryPolicy } from './rate-limit.ts';
import { resolveSlug, type RepoSlug } from './repo-slug.ts';
import { branchName, selectionScope } from './selection.ts';
import type { BuildChecker } from './validate-apps.ts';

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
  /** The command line, quoted in the PR body. */
  readonly command: string;
}

export interface PushInfo {
  readonly attempt: number;
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
  /** Checks applied to each built Application (default: `pnpm validate`'s baseline checks). */
  readonly check?: BuildChecker;
}

/** How many times the plan is made again when the base branch moves under us. */
export const MAX_PLANS = 3;

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

/** The commit to plan from: the remote base branch (fetched), or offline in a dry run the best local guess. */
const resolveBase = async (repo: string, options: PromoteOptions, baseBranch: string, remote: Remote, io: Io): Promise<{ sha: string; label: string }> => {
  const remoteLabel = `${options.remote}/${baseBranch}`;
  if (remote.url !== undefined) {
    try {
      return { sha: await fetchBranch(repo, options.remote, baseBranch), label: remoteLabel };
    } catch (e) {
      if (!options.dryRun) throw e;
      io.stderr(`warning: ${(e as Error).message}; dry run continues offline\n`);
      const tracking = await resolveCommit(repo, `refs/remotes/${remoteLabel}`);
      if (tracking !== undefined) return { sha: tracking, label: `${remoteLabel} (last fetched)` };
    }
  }
  const head = await resolveCommit(repo, 'HEAD');
  if (head === undefined) throw new CliError(`${repo} has no commits`, ExitCode.Precondition);
  return { sha: head, label: 'HEAD' };
};

type AttemptResult = { readonly exit: number } | { readonly replan: string };

const attempt = async (
  n: number,
  branch: string,
  repo: string,
  options: PromoteOptions,
  deps: PromoteDeps,
  io: Io,
  remote: Remote,
  baseBranch: string,
  renderer: Renderer,
  engineId: string,
): Promise<AttemptResult> => {
  const base = await resolveBase(repo, options, baseBranch, remote, io);
  const userHead = await resolveCommit(repo, 'HEAD');
  if (userHead !== undefined && userHead !== base.sha && n === 1) {
    io.stdout(`note: planning from ${base.label} (${shortSha(base.sha)}), not from your HEAD (${shortSha(userHead)})\n`);
  }
  const lease = options.dryRun ? undefined : await remoteBranchSha(repo, options.remote, branch);

  return withWorktrees(
    repo,
    [
      { sha: base.sha, label: 'promote-base' },
      { sha: base.sha, label: 'promote-work' },
    ],
    async ([baseTree, work]): Promise<AttemptResult> => {
      if (baseTree === undefined || work === undefined) throw new Error('worktrees missing');
      const prepared = await preparePromotion({
        request: options,
        base: baseTree,
        work,
        baseLabel: base.label,
        headLabel: `${branch} (uncommitted)`,
        renderer,
        engineId,
        ...(deps.check === undefined ? {} : { check: deps.check }),
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
        command: options.command,
      };
      if (!isPrepared(prepared)) {
        io.stdout(`nothing to promote: ${options.to} already runs ${options.from}'s pins for ${ctx.scope} (planned from ${base.label} ${shortSha(base.sha)}); no branch, no pull request\n`);
        return { exit: ExitCode.Ok };
      }
      io.stdout(`${planText(ctx).join('\n')}\n\ngen: ${prepared.genReport.split('\n')[0] ?? ''}\n`);

      const failed = prepared.validation.filter((v) => v.problems.length > 0);
      const objects = prepared.validation.reduce((s, v) => s + v.objects, 0);
      if (failed.length > 0) {
        const lines = failed.flatMap((v) => [`  ${v.name} (${v.path}):`, ...v.problems.map((p) => `    ${p}`)]);
        io.stdout(`validate: FAILED for ${failed.length} of ${prepared.validation.length} Applications:\n${lines.join('\n')}\nnothing was committed or pushed\n`);
        return { exit: ExitCode.Findings };
      }
      io.stdout(`validate: ok, ${prepared.validation.length} Applications checked, ${objects} objects, 0 findings\n\n`);
      io.stdout(formatText(prepared.diff, { color: false }));

      // Committed in the scratch worktree even in a dry run (then discarded with it), so a dry run fails where
      // a real one would, e.g. without a git identity.
      const commit = await commitAll(work.dir, commitMessage(ctx));
      if (options.dryRun) {
        io.stdout(
          `\ndry run: committed ${shortSha(commit)} in a scratch worktree (discarded); would push ${branch} (with a lease) ` +
            `and open or update its pull request into ${baseBranch}\n`,
        );
        return { exit: ExitCode.Ok };
      }
      await deps.beforePush?.({ attempt: n, branch, commit });
      const nowBase = await remoteBranchSha(repo, options.remote, baseBranch);
      if (nowBase !== base.sha) return { replan: `${baseBranch} moved from ${shortSha(base.sha)} to ${nowBase === undefined ? 'nothing' : shortSha(nowBase)}` };

      let headSha = commit;
      if (lease !== undefined && (await sameContent(work.dir, options.remote, branch, lease, commit))) {
        headSha = lease;
        io.stdout(`\n${branch} already holds this promotion (${shortSha(lease)}); not pushed\n`);
      } else if ((await pushWithLease(work.dir, options.remote, commit, branch, lease)) === 'lease-broken') {
        throw new CliError(
          `${options.remote}/${branch} changed since it was read (${lease === undefined ? 'it did not exist' : `was ${shortSha(lease)}`}): someone else pushed to it; not overwritten. Look at the branch, delete it if it is stale, and run again`,
          ExitCode.Precondition,
        );
      } else {
        io.stdout(`\npushed ${shortSha(commit)} to ${options.remote}/${branch}${lease === undefined ? '' : ` (lease ${shortSha(lease)})`}\n`);
      }
      await deps.afterPush?.({ attempt: n, branch, commit: headSha });

      const github = remote.github;
      if (github === undefined) throw new Error('GitHub client missing outside a dry run');
      const diff = { ...prepared.diff, head: { label: branch, sha: headSha } };
      try {
        const pr = await upsertPullRequest(createGitHubClient(github.config), {
          slug: github.slug,
          head: branch,
          base: baseBranch,
          title: prTitle(ctx),
          body: prBody(ctx, diff, GITHUB_BODY_LIMIT),
          labels: prLabels(ctx),
        });
        io.stdout(`pull request #${pr.number} ${pr.action}: ${pr.url}\n`);
      } catch (e) {
        if (e instanceof PullRequestStepError) throw gitHubFailure(e.cause, github.config, e.step);
        throw e;
      }
      return { exit: ExitCode.Ok };
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
  const remote = await connectGitHub(options, deps, repo, io);
  const baseBranch = options.base ?? fleet.git.targetRevision;
  if ((await tryGit(repo, ['check-ref-format', '--branch', baseBranch])).ok === false) {
    throw new CliError(`--base ${baseBranch} is not a branch name`, ExitCode.BadInput);
  }
  const engine = await detectEngine();
  const renderer = createRenderer(engine, chooseCache(options.cacheDir, options.noCache, deps.env).cache);
  for (let n = 1; n <= MAX_PLANS; n++) {
    const result = await attempt(n, branch, repo, options, deps, io, remote, baseBranch, renderer, describeEngine(engine));
    if ('exit' in result) return result.exit;
    io.stdout(`\nbase ${result.replan} while planning; planning again (${n + 1}/${MAX_PLANS})\n\n`);
  }
  throw new CliError(`${baseBranch} kept moving during ${MAX_PLANS} plans; nothing was pushed, try again`, ExitCode.Precondition);
};
