// owner/name of the GitHub repository, from `--repo`, `GITHUB_REPOSITORY` (set by GitHub Actions) or the
// git remote's URL in any of the forms GitHub (and GitHub Enterprise) hands out.
import { CliError, ExitCode } from '../lib/exit-codes.ts';

export interface RepoSlug {
  readonly owner: string;
  readonly repo: string;
}

const SLUG = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/;

/** `owner/name` → slug, or undefined. */
export const parseSlug = (text: string): RepoSlug | undefined => {
  const m = SLUG.exec(text.trim());
  return m?.[1] !== undefined && m[2] !== undefined && m[2] !== '.' && m[2] !== '..' ? { owner: m[1], repo: m[2] } : undefined;
};

/**
 * The slug in a remote URL: `https://github.com/o/r(.git)`, `https://user@ghe.example.com/o/r.git`,
 * `git@github.com:o/r.git`, `ssh://git@github.com[:22]/o/r.git`, `git://host/o/r.git`. A local path or
 * `file://` URL has none.
 */
export const slugFromRemoteUrl = (url: string): RepoSlug | undefined => {
  const u = url.trim();
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/)(.+)$/.exec(u);
  if (scp?.[1] !== undefined) return parseSlug(scp[1]);
  const web = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[A-Za-z0-9.-]+(?::\d+)?\/(.+)$/.exec(u);
  if (web?.[1] !== undefined) return parseSlug(web[1]);
  return undefined;
};

/** Decide the slug; a local-path remote without `--repo` or GITHUB_REPOSITORY is bad input (exit 2). */
export const resolveSlug = (flag: string | undefined, envValue: string | undefined, remoteUrl: string | undefined, remote: string): RepoSlug => {
  if (flag !== undefined) {
    const s = parseSlug(flag);
    if (s === undefined) throw new CliError(`--repo must be owner/name, got ${JSON.stringify(flag)}`, ExitCode.BadInput);
    return s;
  }
  if (envValue !== undefined && envValue.length > 0) {
    const s = parseSlug(envValue);
    if (s === undefined) throw new CliError(`GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(envValue)}`, ExitCode.BadInput);
    return s;
  }
  const s = remoteUrl === undefined ? undefined : slugFromRemoteUrl(remoteUrl);
  if (s === undefined) {
    throw new CliError(
      `cannot tell the GitHub repository from remote ${remote} (${remoteUrl ?? 'not set'}); pass --repo owner/name or set GITHUB_REPOSITORY`,
      ExitCode.BadInput,
    );
  }
  return s;
};
