// Two git revisions → DiffReport: each revision is checked out into its own temporary worktree (the user's
// working copy is never touched), diffed, and the worktrees are removed.
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { describeEngine, type KustomizeEngine } from '../kustomize/engine.ts';
import type { BuildCache } from './build-cache.ts';
import { diffTrees } from './diff-trees.ts';
import { resolveCommit } from './git.ts';
import { createRenderer } from './renderer.ts';
import type { DiffReport } from './report.ts';
import { withWorktrees } from './worktree.ts';

export interface DiffRevisionsInput {
  readonly repo: string;
  readonly base: string;
  readonly head: string;
  readonly engine: KustomizeEngine;
  readonly cache: BuildCache;
}

const resolveOrFail = async (repo: string, ref: string, flag: string): Promise<string> => {
  const sha = await resolveCommit(repo, ref);
  if (sha === undefined) throw new CliError(`${flag} ${ref}: no such commit in ${repo}`, ExitCode.BadInput);
  return sha;
};

export const diffRevisions = async ({ repo, base, head, engine, cache }: DiffRevisionsInput): Promise<DiffReport> => {
  const baseSha = await resolveOrFail(repo, base, '--base');
  const headSha = await resolveOrFail(repo, head, '--head');
  return withWorktrees(
    repo,
    [
      { sha: baseSha, label: 'diff-base' },
      { sha: headSha, label: 'diff-head' },
    ],
    async ([b, h]) => {
      if (b === undefined || h === undefined) throw new Error('worktrees missing');
      const { report } = await diffTrees({
        base: { root: b.dir, ref: { label: base, sha: baseSha } },
        head: { root: h.dir, ref: { label: head, sha: headSha } },
        renderer: createRenderer(engine, cache),
        engineId: describeEngine(engine),
      });
      return report;
    },
  );
};
