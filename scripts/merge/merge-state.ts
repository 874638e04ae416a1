// What git says about a merge, rebase or cherry-pick in progress: the other side, its merge base, the unmerged paths,
// and the ledger (the list of generated paths) at a revision. Reads only; changes nothing.
import { git, tryGit } from '../diff/git.ts';
import { LEDGER_FILE } from '../lib/layout.ts';
import { parseLedger, type Ledger } from '../writer/ledger.ts';

export type Operation = 'merge' | 'rebase' | 'cherry-pick' | 'revert';

export interface MergeState {
  /** The operation in progress, if any. */
  readonly operation?: Operation;
  /** The commit being merged or replayed ("theirs"; ours is HEAD). */
  readonly theirs?: string;
  /** The common ancestor of ours and theirs for this operation. */
  readonly base?: string;
  /** Paths git left unmerged (index stages 1–3), sorted. */
  readonly unmerged: readonly string[];
}

const verify = async (repo: string, ref: string): Promise<string | undefined> => {
  const r = await tryGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return r.ok ? r.stdout.trim() : undefined;
};

/** NUL-separated git output as a list. */
export const zList = (out: string): string[] => out.split('\0').filter((s) => s.length > 0);

/**
 * The pseudo-refs git writes while an operation stops for conflicts: a merge's MERGE_HEAD (base: the merge base),
 * the commit a rebase or cherry-pick replays (base: its parent), and a revert's REVERT_HEAD (its "theirs" is the
 * parent, its base the reverted commit).
 * Checked: git/git @ 00035bdf2fd94f2fff3eb51e0d880da5102243d0 : Documentation/gitattributes.txt names the merge
 * attributes for "git merge, git revert and git cherry-pick"; the pseudo-refs: Documentation/revisions.txt
 * (MERGE_HEAD, REBASE_HEAD, CHERRY_PICK_HEAD, REVERT_HEAD).
 */
export const readMergeState = async (repo: string): Promise<MergeState> => {
  const unmerged = [...new Set(zList(await git(repo, ['ls-files', '--unmerged', '-z'])).map((l) => l.slice(l.indexOf('\t') + 1)))].sort();
  const merge = await verify(repo, 'MERGE_HEAD');
  if (merge !== undefined) {
    const base = await tryGit(repo, ['merge-base', 'HEAD', merge]);
    return { operation: 'merge', theirs: merge, ...(base.ok ? { base: base.stdout.trim() } : {}), unmerged };
  }
  for (const [ref, operation] of [['REBASE_HEAD', 'rebase'], ['CHERRY_PICK_HEAD', 'cherry-pick']] as const) {
    const theirs = await verify(repo, ref);
    if (theirs !== undefined) {
      const base = await verify(repo, `${theirs}^`);
      return { operation, theirs, ...(base !== undefined ? { base } : {}), unmerged };
    }
  }
  const revert = await verify(repo, 'REVERT_HEAD');
  if (revert !== undefined) {
    const parent = await verify(repo, `${revert}^`);
    return { operation: 'revert', ...(parent !== undefined ? { theirs: parent } : {}), base: revert, unmerged };
  }
  return { unmerged };
};

/** The ledger committed at `rev`, or undefined when there is none (a conflicted or damaged one throws, exit 5). */
export const ledgerAt = async (repo: string, rev: string): Promise<Ledger | undefined> => {
  const r = await tryGit(repo, ['show', `${rev}:${LEDGER_FILE}`]);
  return r.ok ? parseLedger(r.stdout, `${LEDGER_FILE} at ${rev.slice(0, 7)}`) : undefined;
};

/** A file's content at `rev`, or undefined when it has none there. */
export const fileAt = async (repo: string, rev: string, path: string): Promise<string | undefined> => {
  const r = await tryGit(repo, ['show', `${rev}:${path}`]);
  return r.ok ? r.stdout : undefined;
};
