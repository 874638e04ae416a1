// `pnpm resolve`, writing half: put the planned generated paths back to HEAD's version, splice HEAD's regions into
// hand-written files, and, after the regeneration, stage every generated path so git counts the conflicts resolved.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../diff/git.ts';
import type { ResolvePlan } from './plan-resolve.ts';

/** Command lines stay well under the OS argument limit with thousands of generated paths. */
const CHUNK = 500;

const inChunks = async (repo: string, args: readonly string[], paths: readonly string[]): Promise<void> => {
  for (let i = 0; i < paths.length; i += CHUNK) await git(repo, [...args, '--', ...paths.slice(i, i + CHUNK)]);
};

/** The generated tree (and its ledger) becomes HEAD's again; the regions of hand-written files too. */
export const restoreOurs = async (repo: string, plan: ResolvePlan): Promise<void> => {
  // `git checkout HEAD -- path` writes the index and the work tree, which also settles an unmerged path.
  await inChunks(repo, ['checkout', 'HEAD'], plan.restore);
  await inChunks(repo, ['rm', '-q', '-f', '--ignore-unmatch'], plan.remove);
  for (const [path, text] of plan.regionFiles) await writeFile(join(repo, path), text);
};

/** Stage what gen wrote or pruned, and the hand-written files whose regions settled their conflict. */
export const stageGenerated = async (repo: string, plan: ResolvePlan, written: readonly string[]): Promise<number> => {
  const paths = [...new Set([...plan.generated, ...written, ...plan.regionFiles.keys()])].sort();
  const present = paths.filter((p) => existsSync(join(repo, p)));
  const gone = paths.filter((p) => !existsSync(join(repo, p)));
  await inChunks(repo, ['add'], present);
  await inChunks(repo, ['rm', '-q', '--cached', '--ignore-unmatch'], gone);
  return paths.length;
};
