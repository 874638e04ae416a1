// `pnpm pr-report --pr N --base REF [--head REF]`: the pull-request side of CI. Renders the diff between the
// base branch and the PR head (same engine and cache as `pnpm diff`), posts it as ONE sticky comment that
// later pushes update, and labels the PR with every environment and stack it touches.
// Exit codes: 0 ok, 1 the head fails to build, 2 bad usage, 4 GitHub API failure, 5 no token or Kustomize.
import { resolve } from 'node:path';
import { chooseCache } from '../diff/cache-option.ts';
import { diffRevisions } from '../diff/diff-revisions.ts';
import { formatMarkdown, GITHUB_BODY_LIMIT } from '../diff/format-markdown.ts';
import { repoTop } from '../diff/git.ts';
import { headFailed } from '../diff/report.ts';
import { detectEngine } from '../kustomize/engine.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { commentMarker, upsertStickyComment } from '../pr/sticky-comment.ts';
import { diffLabels } from '../pr/diff-labels.ts';
import { API_URL_VARIABLE, createGitHubClient, DEFAULT_API_URL, gitHubFailure, TOKEN_VARIABLE } from '../promote/github-client.ts';
import { resolveSlug } from '../promote/repo-slug.ts';
import { remoteUrl } from '../promote/git-ops.ts';

const USAGE = `usage: pnpm pr-report --pr N --base REF [--head REF] [--repo OWNER/NAME] [--api-url URL] [--dry-run] [--root DIR]

  --pr N        pull request number
  --base REF    the PR's base (e.g. origin/main)
  --head REF    the PR's head (default: HEAD)
  --dry-run     print the comment and labels instead of calling GitHub`;

const MARKER = commentMarker('rendered-diff');

const run = async (argv: string[], io: Io): Promise<number> => {
  const { values } = parseCliArgs(
    {
      args: argv,
      options: {
        pr: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string', default: 'HEAD' },
        repo: { type: 'string' },
        'api-url': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        root: { type: 'string', default: '.' },
      },
    },
    USAGE,
  );
  const pr = Number(values.pr);
  if (!Number.isInteger(pr) || pr < 1 || !values.base) throw new CliError(USAGE, ExitCode.BadInput);
  const repo = await repoTop(resolve(values.root));
  if (repo === undefined) throw new CliError(`${values.root} is not in a git repository`, ExitCode.BadInput);

  const report = await diffRevisions({ repo, base: values.base, head: values.head, engine: await detectEngine(), cache: chooseCache(undefined, false).cache });
  const body = formatMarkdown(report, {
    maxChars: GITHUB_BODY_LIMIT - MARKER.length - 1,
    rerunCommand: `pnpm diff --base ${values.base} --head ${values.head}`,
  });
  const labels = diffLabels(report);
  if (values['dry-run']) {
    io.stdout(`${MARKER}\n${body}\nlabels: ${labels.join(', ') || '(none)'}\n(dry run: GitHub was not called)\n`);
    return headFailed(report) ? ExitCode.Findings : ExitCode.Ok;
  }

  const token = process.env[TOKEN_VARIABLE] ?? '';
  if (token === '') throw new CliError(`${TOKEN_VARIABLE} is not set: the workflow passes secrets.GITHUB_TOKEN`, ExitCode.Precondition);
  const slug = resolveSlug(values.repo, process.env.GITHUB_REPOSITORY, await remoteUrl(repo, 'origin'), 'origin');
  const config = {
    token,
    slug,
    baseUrl: values['api-url'] ?? process.env[API_URL_VARIABLE] ?? DEFAULT_API_URL,
    sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)),
    now: () => Date.now(),
    onRetry: (m: string) => io.stderr(`${m}\n`),
  };
  const octokit = createGitHubClient(config);
  try {
    const result = await upsertStickyComment(octokit, slug, pr, MARKER, body);
    io.stdout(`comment ${result.action} (#${result.id}) on ${slug.owner}/${slug.repo}#${pr}\n`);
    if (labels.length > 0) await octokit.rest.issues.addLabels({ ...slug, issue_number: pr, labels });
    io.stdout(`labels: ${labels.join(', ') || '(none)'}\n`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw gitHubFailure(e, config, `updating pull request #${pr}`);
  }
  return headFailed(report) ? ExitCode.Findings : ExitCode.Ok;
};

export const main = cliMain(run, 'pr-report: ');

if (isEntryPoint(import.meta.url)) runMain(main);
