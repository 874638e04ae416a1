// Create the promotion's pull request, or update the open one for the same branch: listing first makes a
// rerun (also after a crash between push and PR creation) find its PR, and a 422 "already exists" from a
// concurrent run is answered by listing again, so there is never a second PR.
import type { Octokit } from '@octokit/rest';

import { validationMessages } from './github-client.ts';
import type { RepoSlug } from './repo-slug.ts';

export interface PullRequestSpec {
  readonly slug: RepoSlug;
  /** Branch name in the same repository. */
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

export interface PullRequestResult {
  readonly number: number;
  readonly url: string;
  readonly action: 'created' | 'updated';
}

/** Which API step failed, so the caller can name it. */
export class PullRequestStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(step);
    this.name = 'PullRequestStepError';
  }
}

const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    throw new PullRequestStepError(name, error);
  }
};

const findOpen = async (octokit: Octokit, spec: PullRequestSpec): Promise<{ number: number; url: string } | undefined> => {
  const { data } = await step('listing open pull requests', () =>
    octokit.rest.pulls.list({ owner: spec.slug.owner, repo: spec.slug.repo, state: 'open', head: `${spec.slug.owner}:${spec.head}`, base: spec.base }),
  );
  const pr = data.find((p) => p.head.ref === spec.head);
  return pr === undefined ? undefined : { number: pr.number, url: pr.html_url };
};

const isAlreadyExists = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 422 && validationMessages(error).some((m) => /already exists/i.test(m));

export const upsertPullRequest = async (octokit: Octokit, spec: PullRequestSpec): Promise<PullRequestResult> => {
  const { owner, repo } = spec.slug;
  let existing = await findOpen(octokit, spec);
  let action: PullRequestResult['action'] = 'updated';
  if (existing === undefined) {
    try {
      const { data } = await octokit.rest.pulls.create({ owner, repo, head: spec.head, base: spec.base, title: spec.title, body: spec.body });
      existing = { number: data.number, url: data.html_url };
      action = 'created';
    } catch (error) {
      if (!isAlreadyExists(error)) throw new PullRequestStepError('creating the pull request', error);
      existing = await findOpen(octokit, spec);
      if (existing === undefined) throw new PullRequestStepError('finding the pull request GitHub says already exists', error);
    }
  }
  const found = existing;
  if (action === 'updated') {
    await step(`updating pull request #${found.number}`, () =>
      octokit.rest.pulls.update({ owner, repo, pull_number: found.number, title: spec.title, body: spec.body }),
    );
  }
  if (spec.labels.length > 0) {
    await step(`labelling pull request #${found.number}`, () =>
      octokit.rest.issues.addLabels({ owner, repo, issue_number: found.number, labels: [...spec.labels] }),
    );
  }
  return { ...found, action };
};
