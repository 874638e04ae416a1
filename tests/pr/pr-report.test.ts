// `pnpm pr-report`: one sticky comment with the rendered diff, updated on rerun; labels per env and stack.
// Real git, real Kustomize, and the GitHub stand-in on 127.0.0.1.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/pr-report.ts';
import { captureIo } from '../support/fleet.ts';
import { cloneFixture, commitAllIn, createTemplate, genInto, type FixtureRepo } from '../promote/support/fixture-repo.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../promote/support/github-stand-in.ts';

const TOKEN = 'ghs_pr_report_test_token';
let template: { dir: string; cleanup: () => Promise<void> };
let repo: FixtureRepo;
let api: GitHubStandIn;

beforeAll(async () => {
  template = await createTemplate();
  repo = await cloneFixture(template.dir);
  const dev = join(repo.root, 'inventory', 'environments', 'dev.yaml');
  await writeFile(dev, (await readFile(dev, 'utf8')).replace('ott-auth: "1.3.0"', 'ott-auth: "1.3.1"'));
  await genInto(repo.root);
  await commitAllIn(repo.root, 'bump ott-auth in dev');
  api = await startGitHubStandIn({ owner: 'acme-media', repo: 'streamfleet-gitops', token: TOKEN });
  api.pulls.push({ number: 7, state: 'open', title: 'bump ott-auth', body: '', head: 'bump', base: 'main', labels: [] } as never);
});
afterAll(async () => {
  await api.close();
  await repo.cleanup();
  await template.cleanup();
  delete process.env.GITHUB_TOKEN;
});

const report = async (...extra: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(['--pr', '7', '--base', 'HEAD~1', '--root', repo.root, '--repo', 'acme-media/streamfleet-gitops', '--api-url', api.url, ...extra], c.io);
  return { code, out: c.out(), err: c.err() };
};

describe('pnpm pr-report', () => {
  it('--dry-run prints the marked comment and the labels without calling GitHub', async () => {
    const r = await report('--dry-run');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('<!-- streamfleet:rendered-diff -->\n')).toBe(true);
    expect(r.out).toContain('dev-k3d');
    expect(r.out).not.toContain('prod-eu-west-1');
    expect(r.out).toContain('labels: env:dev, stack:streaming');
    expect(api.requests).toHaveLength(0);
  });

  it('--dry-run --format json: the comment and labels as JSON; the long steps are reported', async () => {
    const c = captureIo();
    const steps: string[] = [];
    const code = await main(
      ['--pr', '7', '--base', 'HEAD~1', '--root', repo.root, '--repo', 'acme-media/streamfleet-gitops', '--api-url', api.url, '--dry-run', '--format', 'json'],
      { ...c.io, progress: (s) => void steps.push(s) },
    );
    expect(code).toBe(0);
    const json = JSON.parse(c.out()) as { comment: string };
    expect(json).toMatchObject({ version: 1, pullRequest: 7, dryRun: true, labels: ['env:dev', 'stack:streaming'], result: null, headFailed: false });
    expect(json.comment.startsWith('<!-- streamfleet:rendered-diff -->\n')).toBe(true);
    expect(json.comment).toContain('dev-k3d');
    expect(steps.some((s) => s.startsWith('checking out HEAD~1'))).toBe(true);
    expect(steps.some((s) => s.startsWith('rendering '))).toBe(true);
    expect(api.requests).toHaveLength(0);
  });

  it('--help prints the registry help and exits 0', async () => {
    const c = captureIo();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('usage: pnpm pr-report --pr N --base REF');
    expect(c.out()).toContain('examples:');
  });

  it('creates one sticky comment, updates it on rerun, and labels the PR', async () => {
    process.env.GITHUB_TOKEN = TOKEN;
    const first = await report();
    expect(first.code).toBe(0);
    expect(first.out).toContain('comment created');
    const second = await report();
    expect(second.out).toMatch(/comment (updated|unchanged)/);
    const comments = api.comments.filter((c) => c.issue === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('ott-auth');
    expect(api.pulls[0]!.labels.sort()).toEqual(['env:dev', 'stack:streaming']);
  });

  it('a rejected token exits 4, names the variable and never prints the token', async () => {
    process.env.GITHUB_TOKEN = 'ghs_wrong_token_value';
    const r = await report();
    expect(r.code).toBe(4);
    expect(r.err).toContain('GITHUB_TOKEN');
    expect(r.err).not.toContain('ghs_wrong_token_value');
  });

  it('needs --pr and --base, and says so with the usage', async () => {
    const c = captureIo();
    expect(await main(['--base', 'HEAD~1'], c.io)).toBe(2);
    expect(c.err()).toContain('--pr N and --base REF are required');
    expect(c.err()).toContain('(pnpm pr-report --help: every option, with examples)');
  });
});
