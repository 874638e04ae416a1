// `pnpm pr-report --pr N --base REF [--head REF] [--dry-run] [--format text|json]` (help text: commands.ts): the
// pull-request side of CI. Renders the diff between the
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
import { progress, type Io } from '../lib/io.ts';
import { parseCliArgs } from '../lib/parse-cli-args.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { commentMarker, upsertStickyComment } from '../pr/sticky-comment.ts';
import { diffLabels } from '../pr/diff-labels.ts';
import { API_URL_VARIABLE, createGitHubClient, DEFAULT_API_URL, gitHubFailure, TOKEN_VARIABLE } from '../promote/github-client.ts';
import { resolveSlug } from '../promote/repo-slug.ts';
import { remoteUrl } from '../promote/git-ops.ts';
import { helpFor, usageFor } from './commands.ts';

const MARKER = commentMarker('rendered-diff');

/** `--format json`: one document on stdout. Add fields, never rename or remove them without bumping `version`. */
interface PrReportJson {
  readonly version: 1;
  readonly pullRequest: number;
  readonly dryRun: boolean;
  /** The whole comment, marker line included. */
  readonly comment: string;
  readonly labels: readonly string[];
  /** What happened on GitHub (null in a dry run). */
  readonly result: { readonly comment: 'created' | 'updated' | 'unchanged'; readonly commentId: number } | null;
  readonly headFailed: boolean;
}

const usageError = (message: string): CliError => new CliError(`${message}\n${usageFor('pr-report')}`, ExitCode.BadInput);

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
        format: { type: 'string', default: 'text' },
        root: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    usageFor('pr-report'),
  );
  if (values.help) {
    io.stdout(helpFor('pr-report'));
    return ExitCode.Ok;
  }
  const { format } = values;
  if (format !== 'text' && format !== 'json') throw usageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  if (values.pr === undefined || values.base === undefined) throw usageError('--pr N and --base REF are required');
  const pr = Number(values.pr);
  if (!Number.isInteger(pr) || pr < 1) throw usageError(`--pr must be a pull request number, got ${JSON.stringify(values.pr)}`);
  const repo = await repoTop(resolve(values.root));
  if (repo === undefined) throw new CliError(`${values.root} is not in a git repository`, ExitCode.BadInput);

  const report = await diffRevisions({
    repo,
    base: values.base,
    head: values.head,
    engine: await detectEngine(),
    cache: chooseCache(undefined, false).cache,
    progress: (step) => progress(io, step),
  });
  const body = formatMarkdown(report, {
    maxChars: GITHUB_BODY_LIMIT - MARKER.length - 1,
    rerunCommand: `pnpm diff --base ${values.base} --head ${values.head}`,
  });
  const labels = diffLabels(report);
  const exitCode = headFailed(report) ? ExitCode.Findings : ExitCode.Ok;
  const asJson = (result: PrReportJson['result']): string => {
    const doc: PrReportJson = { version: 1, pullRequest: pr, dryRun: values['dry-run'], comment: `${MARKER}\n${body}`, labels, result, headFailed: headFailed(report) };
    return `${JSON.stringify(doc, null, 2)}\n`;
  };
  if (values['dry-run']) {
    io.stdout(format === 'json' ? asJson(null) : `${MARKER}\n${body}\nlabels: ${labels.join(', ') || '(none)'}\n(dry run: GitHub was not called)\n`);
    return exitCode;
  }
  // json: the log on stderr, the document on stdout.
  const say = (text: string): void => (format === 'json' ? io.stderr(text) : io.stdout(text));

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
    progress(io, `updating the comment on ${slug.owner}/${slug.repo}#${pr}…`);
    const result = await upsertStickyComment(octokit, slug, pr, MARKER, body);
    say(`comment ${result.action} (#${result.id}) on ${slug.owner}/${slug.repo}#${pr}\n`);
    if (labels.length > 0) {
      progress(io, `labelling #${pr}…`);
      await octokit.rest.issues.addLabels({ ...slug, issue_number: pr, labels });
    }
    say(`labels: ${labels.join(', ') || '(none)'}\n`);
    if (format === 'json') io.stdout(asJson({ comment: result.action, commentId: result.id }));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw gitHubFailure(e, config, `updating pull request #${pr}`);
  }
  return exitCode;
};

export const main = cliMain(run, 'pr-report: ');

if (isEntryPoint(import.meta.url)) runMain(main);
