// A revision checked out in a temporary folder (`git worktree add --detach`), so that neither the user's
// working copy nor their index or branches change. Always dispose: the worktree is removed and pruned.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { git, tryGit } from './git.ts';

export interface Worktree {
  /** Folder holding the checked-out revision. */
  readonly dir: string;
  readonly sha: string;
  /** Remove the worktree and its folder; safe to call twice. */
  readonly dispose: () => Promise<void>;
}

/** Check out `sha` of `repo` into a new temp folder. */
export const addWorktree = async (repo: string, sha: string, label: string): Promise<Worktree> => {
  const parent = await mkdtemp(join(tmpdir(), `streamfleet-${label}-`));
  const dir = join(parent, 'tree');
  try {
    await git(repo, ['worktree', 'add', '--detach', '--quiet', dir, sha]);
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw error;
  }
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    // --force: the promote worktree holds uncommitted or unpushed work by design; it is a scratch copy.
    await tryGit(repo, ['worktree', 'remove', '--force', dir]);
    await rm(parent, { recursive: true, force: true });
    await tryGit(repo, ['worktree', 'prune']);
  };
  return { dir, sha, dispose };
};

/** Run `fn` with worktrees of the given commits, removing them afterwards whatever happens. */
export const withWorktrees = async <T>(
  repo: string,
  shas: readonly { readonly sha: string; readonly label: string }[],
  fn: (trees: readonly Worktree[]) => Promise<T>,
): Promise<T> => {
  const trees: Worktree[] = [];
  try {
    for (const { sha, label } of shas) trees.push(await addWorktree(repo, sha, label));
    return await fn(trees);
  } finally {
    for (const t of trees) await t.dispose();
  }
};
