// Real git repositories for the promote and diff tests: a template generated once from the default
// inventory (so it matches the current generator), then per test a bare clone as `origin` and a working
// clone. Nothing here reads or changes the git state of the repository the tests live in.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { main as genMain } from '../../../scripts/cli/gen.ts';
import { git } from '../../../scripts/diff/git.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, tempDir } from '../../support/fleet.ts';

export const IDENTITY = { name: 'Promote Test', email: 'promote-test@example.com' } as const;

export interface FixtureRepo {
  /** Working clone (the user's repository). */
  readonly root: string;
  /** Bare repository, the clone's `origin`. */
  readonly remote: string;
  readonly cleanup: () => Promise<void>;
}

const configure = async (dir: string): Promise<void> => {
  await git(dir, ['config', 'user.name', IDENTITY.name]);
  await git(dir, ['config', 'user.email', IDENTITY.email]);
  await git(dir, ['config', 'commit.gpgsign', 'false']);
};

/** Run `pnpm gen` in-process on `root` and fail loudly if it does not succeed. */
export const genInto = async (root: string, ...extra: string[]): Promise<void> => {
  const c = captureIo();
  const code = await genMain(['--inventory', join(root, 'inventory'), '--out', root, ...extra], c.io);
  if (code !== 0) throw new Error(`gen failed (${code}): ${c.err()}`);
};

/** A committed repository with the default inventory and its generated tree on branch main. */
export const createTemplate = async (): Promise<{ dir: string; cleanup: () => Promise<void> }> => {
  const dir = await tempDir('promote-template');
  try {
    // The schemas under inventory/schema are generated (ledger-listed): the first gen must write them itself.
    await rm(join(await copyInventory(DEFAULT_INVENTORY, dir), 'schema'), { recursive: true, force: true });
    await writeFile(join(dir, '.gitignore'), 'node_modules/\n.gen-staging-*\n');
    await genInto(dir);
    await git(dir, ['init', '--quiet', '--initial-branch=main']);
    await configure(dir);
    await git(dir, ['add', '--all']);
    await git(dir, ['commit', '--quiet', '-m', 'initial fleet']);
  } catch (e) {
    await removeDir(dir);
    throw e;
  }
  return { dir, cleanup: () => removeDir(dir) };
};

/** A bare `origin` and a working clone of the template. */
export const cloneFixture = async (template: string): Promise<FixtureRepo> => {
  const parent = await tempDir('promote-repo');
  const remote = join(parent, 'origin.git');
  const root = join(parent, 'work');
  await git(parent, ['clone', '--quiet', '--bare', template, remote]);
  await git(parent, ['clone', '--quiet', remote, root]);
  await configure(root);
  return { root, remote, cleanup: () => removeDir(parent) };
};

/** Commit everything in `dir` with `message`; returns the new commit. */
export const commitAllIn = async (dir: string, message: string): Promise<string> => {
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '-m', message]);
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
};

/** The branches of a bare repository: name → commit. */
export const branchesOf = async (bare: string): Promise<Map<string, string>> => {
  const out = await git(bare, ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads']);
  return new Map(
    out
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.split(' ') as [string, string]),
  );
};

/** Registered worktrees of `repo` besides its main one (the tools must leave none behind). */
export const extraWorktrees = async (repo: string): Promise<string[]> => {
  const out = await git(repo, ['worktree', 'list', '--porcelain']);
  return out
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .slice(1);
};
