// Two revisions → DiffReport. Each git revision is checked out into its own temporary worktree; the working tree
// (head undefined) is a scratch copy of HEAD with the working tree's inventory, regenerated (working-tree.ts). The
// user's working copy, index and branches are never touched, and every scratch folder is removed afterwards.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { describeEngine, type KustomizeEngine } from '../kustomize/engine.ts';
import type { BuildCache } from './build-cache.ts';
import { diffTrees, type Tree } from './diff-trees.ts';
import { resolveCommit, shortSha } from './git.ts';
import { createRenderer } from './renderer.ts';
import type { DiffReport } from './report.ts';
import { withRegeneratedWorkingTree, WORKING_TREE_LABEL } from './working-tree.ts';
import { withWorktrees } from './worktree.ts';

export interface DiffRevisionsInput {
  readonly repo: string;
  readonly base: string;
  /** A revision, or undefined for the working tree (regenerated from its inventory). */
  readonly head: string | undefined;
  readonly engine: KustomizeEngine;
  readonly cache: BuildCache;
  /** Called at each long step (io.progress). */
  readonly progress?: (step: string) => void;
}

const resolveOrFail = async (repo: string, ref: string, flag: string): Promise<string> => {
  const sha = await resolveCommit(repo, ref);
  if (sha === undefined) throw new CliError(`${flag} ${ref}: no such commit in ${repo}`, ExitCode.BadInput);
  return sha;
};

export const diffRevisions = async ({ repo, base, head, engine, cache, progress = () => undefined }: DiffRevisionsInput): Promise<DiffReport> => {
  const baseSha = await resolveOrFail(repo, base, '--base');
  const headSha = await resolveOrFail(repo, head ?? 'HEAD', head === undefined ? 'HEAD' : '--head');
  const compare = async (baseDir: string, headTree: Tree, notes: readonly string[]): Promise<DiffReport> => {
    const { report } = await diffTrees({
      base: { root: baseDir, ref: { label: base, sha: baseSha } },
      head: headTree,
      renderer: createRenderer(engine, cache),
      engineId: describeEngine(engine),
      progress,
    });
    return notes.length > 0 ? { ...report, notes } : report;
  };
  progress(`checking out ${base} (${shortSha(baseSha)})${head === undefined ? '' : ` and ${head} (${shortSha(headSha)})`}…`);
  if (head === undefined) {
    return withWorktrees(repo, [{ sha: baseSha, label: 'diff-base' }], async ([b]) => {
      if (b === undefined) throw new Error('worktree missing');
      progress("copying the working tree's inventory into a scratch copy of HEAD and regenerating it (pnpm gen)…");
      return withRegeneratedWorkingTree(repo, headSha, (w) => compare(b.dir, { root: w.dir, ref: { label: WORKING_TREE_LABEL, sha: '' } }, w.notes));
    });
  }
  return withWorktrees(
    repo,
    [
      { sha: baseSha, label: 'diff-base' },
      { sha: headSha, label: 'diff-head' },
    ],
    async ([b, h]) => {
      if (b === undefined || h === undefined) throw new Error('worktrees missing');
      return compare(b.dir, { root: h.dir, ref: { label: head, sha: headSha } }, []);
    },
  );
};
