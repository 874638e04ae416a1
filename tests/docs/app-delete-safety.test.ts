// Retiring an Application is one safe procedure everywhere: `argocd app delete <name> --cascade=false`. A plain
// `argocd app delete` cascades by default and deletes the Application's workloads (Argo CD's API server adds the
// resources finalizer first, whatever preserveResourcesOnDeletion says). Checked: argoproj/argo-cd @ v3.4.4 :
// cmd/argocd/commands/app.go (`--cascade` default true, `--propagation-policy` default foreground),
// server/application/application.go `Delete`. The removal guard's messages and every doc must agree; a mention of
// the command without the flag is only allowed where the same line warns that it cascades.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { formatAllowed, formatRefusal, type GeneratedApplication } from '../../scripts/pipeline/removal-guard.ts';
import { REPO_ROOT } from '../support/fleet.ts';

const app: GeneratedApplication = {
  name: 'prod-eu-west-1-streaming',
  applicationSet: 'streaming-prod',
  project: 'streaming',
  destination: 'prod-eu-west-1',
  namespace: 'streaming',
  source: 'clusters/prod-eu-west-1/streaming',
};

/** Lines that name `argocd app delete` but neither add `--cascade=false` nor warn that it cascades. */
const unsafeMentions = (text: string): string[] =>
  text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.includes('argocd app delete') && !line.includes('--cascade=false') && !/cascad/i.test(line.replace(/argocd app delete/g, '')))
    .map(({ line, n }) => `${n}: ${line.trim()}`);

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));

describe('retiring an Application', () => {
  it('the removal refusal names the safe command and says why', () => {
    const text = formatRefusal({ removed: [app], refused: [app], unknownAllowed: [] });
    expect(text).toContain('argocd app delete <name> --cascade=false');
    expect(text).toMatch(/cascades by default/);
    expect(unsafeMentions(text)).toEqual([]);
  });

  it('the allowed-removal note names the safe command', () => {
    const text = formatAllowed({ removed: [app], refused: [], unknownAllowed: [] });
    expect(text).toContain('argocd app delete <name> --cascade=false');
    expect(unsafeMentions(text)).toEqual([]);
  });

  it.each([join(REPO_ROOT, 'README.md'), ...markdownFiles(join(REPO_ROOT, 'docs'))].map((f) => relative(REPO_ROOT, f)))('%s never gives the cascading form as advice', (file) => {
    expect(unsafeMentions(readFileSync(join(REPO_ROOT, file), 'utf8'))).toEqual([]);
  });

  it('the runbook has the procedure the messages point to', () => {
    const runbook = readFileSync(join(REPO_ROOT, 'docs', 'runbooks.md'), 'utf8');
    expect(runbook).toContain('## Retire a removed Application');
    expect(runbook).toContain('argocd app delete <name> --cascade=false');
  });
});
