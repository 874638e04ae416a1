// Git through zx, one place: array arguments, no prompts, C locale so that messages we match on are stable.
import { $ } from 'zx';

/** A git command that exited non-zero; `stderr` is git's own words. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || 'no message'}`);
    this.name = 'GitError';
  }
}

export interface GitResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

export interface GitOptions {
  /** Extra environment variables (e.g. commit identity in tests). */
  readonly env?: Readonly<Record<string, string>>;
  /** Text for git's stdin (a commit message with `-F -`). */
  readonly input?: string;
}

/** Run git in `cwd` and return what happened, whatever the exit code. */
export const tryGit = async (cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> => {
  // GIT_TERMINAL_PROMPT=0: a missing credential must fail, never wait for a password on a CI runner.
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env };
  const input = options.input === undefined ? {} : { input: options.input };
  const out = await $({ cwd, quiet: true, nothrow: true, env, ...input })`git ${args}`;
  return { ok: out.ok, stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
};

/** Run git in `cwd`; its stdout, or a GitError. */
export const git = async (cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> => {
  const result = await tryGit(cwd, args, options);
  if (!result.ok) throw new GitError(args, result.stderr, result.exitCode);
  return result.stdout;
};

/** The top folder of the work tree containing `dir`, or undefined when `dir` is not in a git repository. */
export const repoTop = async (dir: string): Promise<string | undefined> => {
  const result = await tryGit(dir, ['rev-parse', '--show-toplevel']);
  return result.ok ? result.stdout.trim() : undefined;
};

/** The commit `ref` names, or undefined when it names none. */
export const resolveCommit = async (repo: string, ref: string): Promise<string | undefined> => {
  // `--end-of-options` keeps a ref such as `--output=x` from being read as an option.
  const result = await tryGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return result.ok ? result.stdout.trim() : undefined;
};

export const shortSha = (sha: string): string => sha.slice(0, 7);
