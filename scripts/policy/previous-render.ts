// The previous committed render, for rules that compare with what the cluster already runs (immutable fields).
// The base revision is checked out in a temporary worktree the way `pnpm diff` does (scripts/diff: the user's
// working copy, index and branches are never touched), and only the Application folders whose build inputs
// differ from the tree being validated are built there (through `pnpm diff`'s build cache): equal inputs mean
// equal output, so nothing there can have changed.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { parseAllDocuments } from 'yaml';

import type { BuildCache } from '../diff/build-cache.ts';
import { resolveCommit, repoTop, tryGit } from '../diff/git.ts';
import { inputKey, type FileHashMemo } from '../diff/input-key.ts';
import { createRenderer, type RenderJob } from '../diff/renderer.ts';
import { addWorktree } from '../diff/worktree.ts';
import { describeEngine, type KustomizeEngine } from '../kustomize/engine.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { selectorsOf, type PreviousSelectors } from './rules/workload-selectors.ts';

export interface PreviousRender {
  /** How the base is named in messages: `origin/main merge-base abc1234`, `HEAD abc1234`. */
  readonly label: string;
  /** Selectors of the previous render by Application folder; folders not listed are unchanged or new. */
  readonly selectors: ReadonlyMap<string, PreviousSelectors>;
}

/** The branch a pull request merges into; its merge-base with HEAD is what the cluster runs after the last merge. */
const MAIN_BRANCH = 'origin/main';

/** `--base REF`, else the merge-base of HEAD with origin/main when that exists, else HEAD; undefined without commits. */
const chooseBase = async (repo: string, base: string | undefined): Promise<{ sha: string; label: string } | undefined> => {
  if (base !== undefined) {
    const sha = await resolveCommit(repo, base);
    if (sha === undefined) throw new CliError(`--base ${base}: no such commit`, ExitCode.BadInput);
    return { sha, label: `${base} ${sha.slice(0, 7)}` };
  }
  const head = await resolveCommit(repo, 'HEAD');
  if (head === undefined) return undefined;
  if ((await resolveCommit(repo, MAIN_BRANCH)) !== undefined) {
    const mb = await tryGit(repo, ['merge-base', 'HEAD', MAIN_BRANCH]);
    const sha = mb.stdout.trim();
    if (mb.ok && sha !== '') return { sha, label: `the merge-base with ${MAIN_BRANCH} ${sha.slice(0, 7)}` };
  }
  return { sha: head, label: `HEAD ${head.slice(0, 7)}` };
};

const hasKustomization = (dir: string): boolean => ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) => existsSync(join(dir, f)));

/**
 * Selectors of the previous render of each Application folder whose inputs changed; undefined when there is no
 * previous render at all (not a git repository, no commit yet).
 */
export const previousRender = async (
  root: string,
  targets: ReadonlyArray<{ readonly path: string; readonly namespace: string }>,
  engine: KustomizeEngine,
  cache: BuildCache,
  base: string | undefined,
): Promise<PreviousRender | undefined> => {
  const repo = await repoTop(root);
  if (repo === undefined) {
    if (base !== undefined) throw new CliError(`--base ${base}: ${root} is not in a git repository`, ExitCode.BadInput);
    return undefined;
  }
  const chosen = await chooseBase(repo, base);
  if (chosen === undefined) return undefined;
  // Fast path: the base is HEAD and nothing under the root differs from it, so no render can differ either.
  const head = await resolveCommit(repo, 'HEAD');
  if (chosen.sha === head) {
    const status = await tryGit(root, ['status', '--porcelain', '--untracked-files=all', '--', '.']);
    if (status.ok && status.stdout.trim() === '') return { label: chosen.label, selectors: new Map() };
  }
  const tree = await addWorktree(repo, chosen.sha, 'validate-base');
  try {
    const rel = relative(repo, root);
    const baseRoot = rel === '' ? tree.dir : join(tree.dir, ...rel.split(sep));
    const engineId = describeEngine(engine);
    const memos: [FileHashMemo, FileHashMemo] = [new Map(), new Map()];
    const jobs: Array<RenderJob & { readonly namespace: string }> = [];
    for (const t of targets) {
      if (!hasKustomization(join(baseRoot, ...t.path.split('/')))) continue; // a new Application: nothing to compare
      const [now, before] = await Promise.all([inputKey(root, t.path, engineId, memos[0]), inputKey(baseRoot, t.path, engineId, memos[1])]);
      if (now.key !== undefined && now.key === before.key) continue;
      jobs.push({ root: baseRoot, path: t.path, key: before.key, namespace: t.namespace });
    }
    const rendered = await createRenderer(engine, cache).render(jobs);
    const selectors = new Map<string, PreviousSelectors>();
    jobs.forEach((job, i) => {
      const r = rendered[i];
      // A base that did not build has no previous objects to compare with (it never synced either).
      if (r === undefined || !r.ok) return;
      selectors.set(job.path, selectorsOf(parseAllDocuments(r.yaml).map((d) => d.toJS() as unknown), job.namespace || undefined));
    });
    return { label: chosen.label, selectors };
  } finally {
    await tree.dispose();
  }
};
