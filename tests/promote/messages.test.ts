// What promote prints, pure (no git, no Kustomize): versions first; drift and the rendered diff collapsed to a line
// each (the details with --verbose, or folded in the PR body); the dry-run plan as JSON.
import { beforeAll, describe, expect, it } from 'vitest';

import type { DiffReport } from '../../scripts/diff/report.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { driftSummary, driftText, planText, prBody, renderedSummary, type PromotionContext } from '../../scripts/promote/messages.ts';
import { formatPromoteJson } from '../../scripts/promote/plan-json.ts';
import { planFor } from '../../scripts/promote/prepare.ts';
import { selectionScope } from '../../scripts/promote/selection.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

let ctx: PromotionContext;

beforeAll(async () => {
  const fleet: Fleet = await loadFleet(DEFAULT_INVENTORY);
  const planned = planFor(fleet, { from: 'dev', to: 'staging', stacks: [], apps: [], skipReason: undefined, approver: undefined });
  ctx = {
    plan: planned.plan,
    drift: planned.drift,
    scope: selectionScope(planned.selection),
    branch: 'promote/dev-to-staging/all',
    baseBranch: 'main',
    baseLabel: 'main (local)',
    baseSha: 'a'.repeat(40),
    skipped: [],
    skipReason: undefined,
    approver: undefined,
    sourceCheck: { kind: 'not-run' },
    command: 'pnpm promote dev staging',
  };
});

const app = (cluster: string, stack: string, changed: number, status: 'added' | 'changed' = 'changed'): DiffReport['apps'][number] => ({
  name: `${cluster}-${stack}`,
  kind: 'kustomize',
  cluster,
  stack,
  environment: 'staging',
  envRank: 1,
  isLastEnvironment: false,
  status,
  appChanges: [],
  objects: [],
  counts: { added: 0, changed, removed: 0 },
  errors: [],
});

const diff: DiffReport = {
  base: { label: 'main (local)', sha: 'a'.repeat(40) },
  head: { label: 'promote/dev-to-staging/all (uncommitted)', sha: '' },
  apps: [app('staging-eu-west-1', 'streaming', 5), app('staging-eu-west-1', 'transcoding', 2), app('staging-us-east-1', 'transcoding', 1, 'added')],
  unchanged: 40,
  stats: { skipped: 40, built: 6, cacheHits: 0, durationMs: 1200 },
};

describe('promote output', () => {
  it('the plan is the version table; the drift is one line, its table only with --verbose', () => {
    const plan = planText(ctx).join('\n');
    expect(plan).toMatch(/transcode-api\s+transcode-api\s+1\.4\.2\s+1\.5\.0\s+staging-eu-west-1/);
    expect(plan).not.toContain('drift');
    const summary = driftSummary(ctx);
    expect(summary[0]).toMatch(/^drift between dev and staging \(reported, not promoted\): \d+ settings? (and \d+ version pins? )?differ \(--verbose lists them\)$/);
    expect(summary.join('\n')).not.toContain('apps.rtmp-origin.replicas');
    expect(driftText(ctx).join('\n')).toMatch(/apps\.rtmp-origin\.replicas\s+1\s+2/);
  });

  it('the rendered diff is one line per cluster', () => {
    expect(renderedSummary(diff)).toEqual([
      'rendered changes (main (local) (aaaaaaa) → promote/dev-to-staging/all (uncommitted)), per cluster (--verbose shows every object):',
      '  staging-eu-west-1: 2 Applications changed (7 objects)',
      '  staging-us-east-1: 1 Application changed (1 object); 1 new',
    ]);
  });

  it('the PR body has the versions first and the drift table folded in <details>', () => {
    const body = prBody(ctx, diff, 65_536);
    expect(body.indexOf('### Versions')).toBeLessThan(body.indexOf('### Drift between dev and staging (not promoted)'));
    expect(body).toMatch(/<details><summary>\d+ fields? differ<\/summary>\n\n\| field \| dev \| staging \|/);
    expect(body.indexOf('<details><summary>')).toBeLessThan(body.indexOf('| `apps.rtmp-origin.replicas` |'));
  });

  it('--format json: the plan as one document scripts can read', () => {
    const json = JSON.parse(
      formatPromoteJson(ctx, {
        dryRun: true,
        base: { label: 'main (local)', sha: 'a'.repeat(40), aheadOfRemote: 2, behindRemote: 0 },
        diff,
        validation: { exitCode: 0, summary: 'validate: ok' },
        commit: 'b'.repeat(40),
      }),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      version: 1,
      dryRun: true,
      base: { label: 'main (local)', aheadOfRemote: 2 },
      nothingToPromote: false,
      rendered: { applicationsWithDifferences: 3, clusters: [{ cluster: 'staging-eu-west-1', applications: 2, objects: 7 }, { cluster: 'staging-us-east-1', added: 1 }] },
      commit: 'b'.repeat(40),
      pushed: false,
      pullRequest: null,
    });
    expect(json.versions).toContainEqual(expect.objectContaining({ app: 'transcode-api', before: '1.4.2', after: '1.5.0', clusters: ['staging-eu-west-1'] }));
  });
});
