// The promotion's validation step is `pnpm validate` itself (scripts/cli/validate.ts's exported main, the
// function the `validate` script runs), on the promotion's own worktree after the commit is made: the checks
// are exactly CI's, and the tree they see is exactly the commit that is pushed. A subset of the checks (as an
// earlier version ran) let a target that fails `pnpm validate` reach a pull request.
import { main as validateMain } from '../cli/validate.ts';
import type { Io } from '../lib/io.ts';
import { dirtyPaths } from './git-ops.ts';

export interface TreeValidation {
  /** `pnpm validate`'s exit code (0 ok, 1 findings, 2 bad tree or inventory, 5 no Kustomize). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files validate left changed in the worktree (must be none: then the validated tree is the commit). */
  readonly changed: readonly string[];
}

/**
 * Run `pnpm validate --root <worktree> --no-cache` in-process. `--no-cache` because the default cache lives
 * under the root, which here is the tree being pushed: validate must not write into it.
 */
export const validateTree = async (worktree: string): Promise<TreeValidation> => {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
  const code = await validateMain(['--root', worktree, '--no-cache'], io);
  return { code, stdout, stderr, changed: await dirtyPaths(worktree) };
};

/** validate's closing summary line (`validate: ok: 20 Applications, …`), for the promotion's log. */
export const summaryLine = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('validate:'))
    .at(-1) ?? stdout.trim().split('\n').at(-1) ?? '';
