// Two promotions that change the same pins of the same environment must not both reach review: whichever is
// merged second would silently undo or redo the first. Before pushing, the open pull requests into the same
// base that are promotions (branch `promote/…` or label `promotion`) are read, and a promotion whose diff of
// `inventory/environments/<to>.yaml` changes a line of a pin this promotion also changes stops this one (exit 5).
// Checked: octokit/plugin-rest-endpoint-methods.js @ v17.0.0 : src/generated/endpoints.ts
//   (pulls.list = GET /repos/{owner}/{repo}/pulls, pulls.listFiles = GET /repos/{owner}/{repo}/pulls/{pull_number}/files)
import type { Octokit } from '@octokit/rest';

import type { RepoSlug } from './repo-slug.ts';

export interface OverlappingPull {
  readonly number: number;
  readonly url: string;
  readonly head: string;
  /** The pins both promotions change. */
  readonly images: readonly string[];
}

const PIN_LINE = /^[+-](\s*)(["']?)([^\s"':#][^"':#]*?)\2\s*:\s*(\S.*)$/;

/**
 * Pure: the keys of the `key: value` lines a unified-diff patch (GitHub's `patch` field: hunks without file
 * headers) adds or removes. Only lines with a scalar value count: `transcode-api:` opening a block does not.
 */
export const changedKeys = (patch: string): Set<string> => {
  const keys = new Set<string>();
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    const m = PIN_LINE.exec(line);
    if (m?.[3] !== undefined && !(m[4] ?? '').startsWith('#')) keys.add(m[3]);
  }
  return keys;
};

export interface OverlapQuery {
  readonly slug: RepoSlug;
  readonly base: string;
  /** This promotion's branch: its own PR is not a competitor. */
  readonly ownBranch: string;
  /** Repository path of the target environment file. */
  readonly envFile: string;
  /** The pins this promotion changes. */
  readonly images: readonly string[];
}

const isPromotion = (head: string, labels: readonly { name?: string }[]): boolean =>
  head.startsWith('promote/') || labels.some((l) => l.name === 'promotion');

/** Open promotion pull requests into `base` that change the same pin lines. Throws Octokit's errors. */
export const findOverlappingPulls = async (octokit: Octokit, q: OverlapQuery): Promise<OverlappingPull[]> => {
  const { owner, repo } = q.slug;
  const wanted = new Set(q.images);
  const open = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', base: q.base, per_page: 100 });
  const found: OverlappingPull[] = [];
  for (const pr of open) {
    if (pr.head.ref === q.ownBranch || !isPromotion(pr.head.ref, pr.labels)) continue;
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pr.number, per_page: 100 });
    const file = files.find((f) => f.filename === q.envFile);
    if (file === undefined) continue;
    // GitHub leaves `patch` out of very large diffs: then any change to the file counts as an overlap.
    const images = file.patch === undefined ? [...wanted] : [...changedKeys(file.patch)].filter((k) => wanted.has(k));
    if (images.length > 0) found.push({ number: pr.number, url: pr.html_url, head: pr.head.ref, images: images.sort() });
  }
  return found;
};
