// The generated GitHub Actions workflows: valid against GitHub's workflow schema (action-validator), calling
// only commands package.json has, actions pinned by SHA, least-privilege permissions, no racing promotions.
import { validateWorkflow } from '@action-validator/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderWorkflows, TEST_APT_PACKAGES } from '../../scripts/render/render-workflows.ts';
import { DEFAULT_INVENTORY, loadFleet, REPO_ROOT } from '../support/fleet.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Workflow = any;

const scripts = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
/** pnpm's own commands a workflow may use besides package.json scripts. */
const PNPM_BUILTINS = ['install'];

describe('generated workflows', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const files = renderWorkflows(fleet);
  const workflows = files.map((f) => ({ path: f.path, text: f.content, wf: parse(f.content) as Workflow }));

  it.each(files.map((f) => [f.path, f.content]))('%s is a valid workflow', (_, content) => {
    const result = validateWorkflow(content);
    expect(result.errors).toEqual([]);
  });

  it('the validator rejects a broken workflow (the lint can fail)', () => {
    const broken = files[0]!.content.replace('runs-on:', 'runs-onn:');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('calls only pnpm commands that exist in package.json', () => {
    for (const { path, wf } of workflows) {
      for (const job of Object.values(wf.jobs) as Workflow[]) {
        for (const step of job.steps) {
          for (const m of String(step.run ?? '').matchAll(/\bpnpm ([\w:-]+)/g)) {
            const cmd = m[1]!;
            if (cmd.startsWith('-') || cmd.startsWith('@')) continue;
            expect([...scripts, ...PNPM_BUILTINS], `${path}: pnpm ${cmd}`).toContain(cmd);
          }
        }
      }
    }
  });

  it('pins every action by a full commit SHA', () => {
    for (const { path, wf } of workflows) {
      for (const job of Object.values(wf.jobs) as Workflow[]) {
        for (const step of job.steps.filter((s: Workflow) => s.uses)) expect(step.uses, path).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      }
    }
  });

  it('is read-only by default and grants writes per job only where needed', () => {
    for (const { path, wf } of workflows) {
      expect(wf.permissions, path).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(wf.jobs) as Array<[string, Workflow]>) {
        expect(job.permissions, `${path} ${name}`).toBeDefined();
        const writes = Object.entries(job.permissions).filter(([, v]) => v === 'write').map(([k]) => k).sort();
        const expected = name === 'check' ? [] : name === 'report' ? ['issues', 'pull-requests'] : ['contents', 'issues', 'pull-requests'];
        expect(writes, `${path} ${name}`).toEqual(expected);
      }
    }
  });

  it('never expands expressions inside shell scripts (inputs go through env)', () => {
    for (const { path, wf } of workflows) {
      for (const job of Object.values(wf.jobs) as Workflow[]) {
        for (const step of job.steps) expect(String(step.run ?? ''), `${path} ${step.name}`).not.toContain('${{');
      }
    }
  });

  it('serialises promotions per target environment and offers the inventory\'s environments', () => {
    const promote = workflows.find((w) => w.path.endsWith('promote.yaml'))!.wf;
    expect(promote.concurrency).toEqual({ group: 'promote-${{ inputs.to }}', 'cancel-in-progress': false });
    expect(promote.on.workflow_dispatch.inputs.from.options).toEqual(['dev', 'staging']);
    expect(promote.on.workflow_dispatch.inputs.to.options).toEqual(['staging', 'prod']);
  });

  it('checks pull requests with gen --check, validate and the tests, and posts the rendered diff', () => {
    const pr = workflows.find((w) => w.path.endsWith('pull-request.yaml'))!.wf;
    const runs = (job: string): string => pr.jobs[job].steps.map((s: Workflow) => s.run ?? '').join('\n');
    expect(runs('check')).toMatch(/pnpm gen --check[\s\S]*pnpm validate[\s\S]*pnpm test/);
    expect(runs('report')).toContain('pnpm pr-report --pr "$PR_NUMBER" --base "origin/$BASE_REF"');
  });
});

describe('the packages the tests build against', () => {
  it('are the same in the pull-request workflow and .ci/install-packages, which .ci/run and the README\'s first command run', () => {
    const script = readFileSync(join(REPO_ROOT, '.ci/install-packages'), 'utf8');
    const list = /APT_PACKAGES=\(([^)]*)\)/.exec(script)?.[1]?.split(/\s+/).filter((p) => p !== '') ?? [];
    expect(list).toEqual([...TEST_APT_PACKAGES]);
    expect(readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8')).toContain('bash .ci/install-packages');
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(/```sh\n(.*)\n/.exec(readme)?.[1]).toMatch(/^bash \.ci\/install-packages && /);
  });
});
