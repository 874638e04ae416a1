// The working tree as `pnpm diff` sees it: a scratch worktree of HEAD, with the working tree's inventory copied in
// (tracked, modified and untracked files; ignored ones left out) and the tree regenerated there by `pnpm gen`
// itself. So an uncommitted inventory edit shows in the diff whether or not `pnpm gen` was run, and the user's
// files, index and branch are never touched. What the working tree has that the regenerated copy has not is
// said in notes: generated files that are stale, and hand edits under the generated folders, which a
// regeneration does not keep.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { main as genMain } from '../cli/gen.ts';
import { CliError, ExitCode, type ExitCodeValue } from '../lib/exit-codes.ts';
import { GENERATED_ROOTS, INVENTORY_DIR, LEDGER_FILE } from '../lib/layout.ts';
import { readPreviousAppSets } from '../pipeline/read-previous-appsets.ts';
import { git } from './git.ts';
import { addWorktree } from './worktree.ts';

/** How a regenerated working tree is named in reports. */
export const WORKING_TREE_LABEL = 'working tree (regenerated)';

export interface RegeneratedTree {
  /** Root of the scratch copy. */
  readonly dir: string;
  /** What the reader should know about the working tree (stale generated files, edits left out). */
  readonly notes: readonly string[];
}

const split0 = (out: string): string[] => out.split('\0').filter((p) => p.length > 0);

/** Paths `git status` reports as changed or untracked in `dir`, both sides of a rename included. */
const changedPaths = async (dir: string): Promise<Set<string>> => {
  const entries = split0(await git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']));
  const paths = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    paths.add(entry.slice(3));
    // -z: a rename or copy is followed by its original path as an entry of its own.
    if (entry[0] === 'R' || entry[0] === 'C') paths.add(entries[++i] ?? '');
  }
  paths.delete('');
  return paths;
};

const readOrUndefined = async (file: string): Promise<Buffer | undefined> => {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
};

const sameFile = async (a: string, b: string): Promise<boolean> => {
  const [x, y] = await Promise.all([readOrUndefined(a), readOrUndefined(b)]);
  return x === undefined || y === undefined ? x === y : x.equals(y);
};

/** Replace the scratch copy's inventory by the working tree's (what git sees: no ignored files). */
const copyInventory = async (repo: string, dir: string): Promise<void> => {
  const files = split0(await git(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', INVENTORY_DIR]));
  await rm(join(dir, INVENTORY_DIR), { recursive: true, force: true });
  for (const rel of new Set(files)) {
    const from = join(repo, ...rel.split('/'));
    if ((await readOrUndefined(from)) === undefined) continue; // tracked but deleted in the working tree
    const to = join(dir, ...rel.split('/'));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
};

const runGen = async (dir: string): Promise<void> => {
  // The removal guard protects writes to the user's tree; a diff only previews, and calls out deleted Applications
  // itself. Without the previous ApplicationSets the guard has nothing to compare with (gen recreates them).
  for (const { path } of await readPreviousAppSets(dir)) await rm(join(dir, ...path.split('/')), { force: true });
  let err = '';
  const code = await genMain(['--inventory', join(dir, INVENTORY_DIR), '--out', dir], {
    stdout: () => undefined,
    stderr: (t) => void (err += t),
  });
  if (code !== ExitCode.Ok) {
    // Scratch paths mean nothing to the reader: name files by their place in the repository.
    const message = err.trim().split(`${dir}/`).join('').split(dir).join('.');
    throw new CliError(
      `the working tree's inventory does not generate (pnpm gen fails the same way; fix it, or compare commits with --base REF --head REF):\n${message}`,
      code as ExitCodeValue,
    );
  }
};

const MAX_LISTED = 5;
const listed = (paths: readonly string[]): string =>
  `${paths.slice(0, MAX_LISTED).join(', ')}${paths.length > MAX_LISTED ? `, … and ${paths.length - MAX_LISTED} more` : ''}`;
const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;

const isUnder = (path: string, roots: readonly string[]): boolean => roots.some((r) => path === r || path.startsWith(`${r}/`));

/** What differs between the working tree and its regenerated copy, in words. */
const describeDifferences = async (repo: string, dir: string): Promise<string[]> => {
  const [user, regenerated] = await Promise.all([changedPaths(repo), changedPaths(dir)]);
  const stale: string[] = [];
  const leftOut: string[] = [];
  for (const path of [...new Set([...user, ...regenerated])].sort()) {
    if (await sameFile(join(repo, ...path.split('/')), join(dir, ...path.split('/')))) continue;
    // The ledger is gen's bookkeeping: it differs whenever a generated file does, and says nothing more.
    if (path === LEDGER_FILE) continue;
    if (regenerated.has(path)) stale.push(path);
    else if (isUnder(path, GENERATED_ROOTS)) leftOut.push(path);
  }
  const notes: string[] = [];
  if (stale.length > 0) {
    const inventoryEdited = [...user].some((p) => isUnder(p, [INVENTORY_DIR]));
    notes.push(
      inventoryEdited
        ? `the generated files in your working tree are stale: ${files(stale.length)} ${stale.length === 1 ? 'differs' : 'differ'} from what inventory/ renders (${listed(stale)}); run \`pnpm gen\`. This diff shows what the inventory renders.`
        : `the committed tree is stale: ${files(stale.length)} of HEAD ${stale.length === 1 ? 'is' : 'are'} not what its inventory renders (${listed(stale)}); run \`pnpm gen\` and commit. This diff shows what the inventory renders.`,
    );
  }
  if (leftOut.length > 0) {
    notes.push(`not in this diff: uncommitted edits of ${files(leftOut.length)} that \`pnpm gen\` does not produce (${listed(leftOut)}); the diff regenerates from inventory/ only.`);
  }
  return notes;
};

/**
 * Run `fn` on a regenerated copy of the working tree of `repo` (whose HEAD is `headSha`); the copy is removed
 * afterwards whatever happens.
 */
export const withRegeneratedWorkingTree = async <T>(
  repo: string,
  headSha: string,
  fn: (tree: RegeneratedTree) => Promise<T>,
): Promise<T> => {
  const tree = await addWorktree(repo, headSha, 'diff-working');
  try {
    await copyInventory(repo, tree.dir);
    await runGen(tree.dir);
    return await fn({ dir: tree.dir, notes: await describeDifferences(repo, tree.dir) });
  } finally {
    await tree.dispose();
  }
};
