// One comment per pull request that a workflow keeps up to date: found by a hidden marker on its first line,
// updated in place on every run (no comment spam), created when absent.
import type { Octokit } from '@octokit/rest';
import type { RepoSlug } from '../promote/repo-slug.ts';

export const commentMarker = (name: string): string => `<!-- streamfleet:${name} -->`;

export interface StickyResult {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly id: number;
}

export const upsertStickyComment = async (
  octokit: Octokit,
  slug: RepoSlug,
  pr: number,
  marker: string,
  body: string,
): Promise<StickyResult> => {
  const full = `${marker}\n${body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...slug, issue_number: pr, per_page: 100 });
  const mine = comments.find((c) => (c.body ?? '').startsWith(marker));
  if (mine === undefined) {
    const created = await octokit.rest.issues.createComment({ ...slug, issue_number: pr, body: full });
    return { action: 'created', id: created.data.id };
  }
  if (mine.body === full) return { action: 'unchanged', id: mine.id };
  await octokit.rest.issues.updateComment({ ...slug, comment_id: mine.id, body: full });
  return { action: 'updated', id: mine.id };
};
