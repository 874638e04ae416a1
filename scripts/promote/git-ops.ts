// The git steps of a promotion: dirty-tree check, fetch of the base branch, reading remote refs, the commit
// (made in the promotion's own worktree, never in the user's), and the push with a lease.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { git, tryGit } from '../diff/git.ts';

/** Paths `git status` reports as modified, staged or untracked (ignored files do not count). */
export const dirtyPaths = async (repo: string): Promise<string[]> => {
  const out = await git(repo, ['status', '--porcelain=v1', '--untracked-files=all']);
  return out
    .split('\n')
    .filter((l) => l.length > 3)
    .map((l) => l.slice(3));
};

export const remoteUrl = async (repo: string, remote: string): Promise<string | undefined> => {
  const r = await tryGit(repo, ['remote', 'get-url', '--', remote]);
  return r.ok ? r.stdout.trim() : undefined;
};

/** Fetch `branch` of `remote` into its remote-tracking ref (what `git fetch` does) and return its commit. */
export const fetchBranch = async (repo: string, remote: string, branch: string): Promise<string> => {
  const r = await tryGit(repo, ['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
  if (!r.ok) {
    const missing = /couldn't find remote ref/i.test(r.stderr);
    throw new CliError(
      missing ? `remote ${remote} has no branch ${branch} (the pull request base; set it with --base)` : `git fetch ${remote} ${branch} failed: ${r.stderr.trim()}`,
      missing ? ExitCode.Precondition : ExitCode.RemoteFailure,
    );
  }
  return (await git(repo, ['rev-parse', '--verify', `refs/remotes/${remote}/${branch}^{commit}`])).trim();
};

/** The commit a branch of the remote points at now, or undefined when it does not exist. */
export const remoteBranchSha = async (repo: string, remote: string, branch: string): Promise<string | undefined> => {
  const r = await tryGit(repo, ['ls-remote', '--heads', remote, `refs/heads/${branch}`]);
  if (!r.ok) throw new CliError(`git ls-remote ${remote} failed: ${r.stderr.trim()}`, ExitCode.RemoteFailure);
  const line = r.stdout.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`));
  return line?.split('\t')[0];
};

/** Stage everything in the worktree and commit; returns the new commit. */
export const commitAll = async (worktree: string, message: string): Promise<string> => {
  await git(worktree, ['add', '--all']);
  // --no-verify: the temporary worktree has no node_modules, so repository hooks (husky, lint-staged) cannot
  // run there; promote itself has just run gen and validate on exactly this tree.
  const r = await tryGit(worktree, ['commit', '--quiet', '--no-verify', '--file=-'], { input: message });
  if (!r.ok) throw new CliError(`git commit failed: ${r.stderr.trim() || r.stdout.trim()} (is user.name / user.email configured?)`, ExitCode.Precondition);
  return (await git(worktree, ['rev-parse', 'HEAD'])).trim();
};

/**
 * True when `remoteSha` (fetched into the worktree) is a commit with the same parent and the same tree as
 * `commit`: the branch already holds this promotion (a rerun, or a crash after the push).
 */
export const sameContent = async (worktree: string, remote: string, branch: string, remoteSha: string, commit: string): Promise<boolean> => {
  // FETCH_HEAD is per worktree: this fetch leaves the user's own FETCH_HEAD alone.
  const fetched = await tryGit(worktree, ['fetch', '--quiet', '--no-tags', remote, `refs/heads/${branch}`]);
  if (!fetched.ok) return false;
  const rev = async (spec: string): Promise<string | undefined> => {
    const r = await tryGit(worktree, ['rev-parse', '--verify', '--quiet', spec]);
    return r.ok ? r.stdout.trim() : undefined;
  };
  const [treeA, treeB, parentA, parentB] = await Promise.all([
    rev(`${remoteSha}^{tree}`),
    rev(`${commit}^{tree}`),
    rev(`${remoteSha}^1`),
    rev(`${commit}^1`),
  ]);
  return treeA !== undefined && treeA === treeB && parentA !== undefined && parentA === parentB;
};

export type PushOutcome = 'pushed' | 'lease-broken';

/**
 * Push `commit` to `branch`, but only if the remote branch is still where it was when we planned
 * (`expected`; undefined = it must not exist). A broken lease means someone else pushed to the branch.
 */
export const pushWithLease = async (
  worktree: string,
  remote: string,
  commit: string,
  branch: string,
  expected: string | undefined,
): Promise<PushOutcome> => {
  const ref = `refs/heads/${branch}`;
  // --no-verify for the same reason as the commit: pre-push hooks cannot run in the bare worktree.
  const r = await tryGit(worktree, ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${expected ?? ''}`, remote, `${commit}:${ref}`]);
  if (r.ok) return 'pushed';
  if (/stale info|fetch first|rejected/i.test(`${r.stdout}\n${r.stderr}`)) return 'lease-broken';
  throw new CliError(`git push ${remote} ${branch} failed: ${r.stderr.trim() || r.stdout.trim()}`, ExitCode.RemoteFailure);
};
