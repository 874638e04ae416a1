// The pure planning parts: environment order, selection, the plan with shared images, drift, branch names.
import { beforeAll, describe, expect, it } from 'vitest';

import { catalogEntries } from '../../scripts/components/catalog.ts';
import { CliError } from '../../scripts/lib/exit-codes.ts';
import type { CatalogEntry, Fleet } from '../../scripts/model/fleet.ts';
import { driftBetween } from '../../scripts/promote/drift.ts';
import { checkEnvironmentPair } from '../../scripts/promote/environments.ts';
import { planPromotion } from '../../scripts/promote/plan.ts';
import { branchName, selectComponents } from '../../scripts/promote/selection.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

let fleet: Fleet;
const catalog = catalogEntries();

beforeAll(async () => {
  fleet = await loadFleet(DEFAULT_INVENTORY);
});

const exitOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof CliError ? e.exitCode : -1;
  }
};

describe('checkEnvironmentPair', () => {
  it.each([
    ['dev', 'staging', undefined, []],
    ['staging', 'prod', undefined, []],
    ['dev', 'prod', 'hotfix', ['staging']],
  ] as const)('%s → %s is allowed', (from, to, reason, skipped) => {
    expect(checkEnvironmentPair(fleet, from, to, reason, reason === undefined ? undefined : 'release-manager').skipped).toEqual(skipped);
  });

  it.each([
    ['dev', 'dev', undefined],
    ['prod', 'dev', 'because'],
    ['staging', 'dev', undefined],
    ['dev', 'qa', undefined],
  ] as const)('%s → %s (reason %s) is bad input', (from, to, reason) => {
    expect(exitOf(() => checkEnvironmentPair(fleet, from, to, reason, undefined))).toBe(2);
  });
});

describe('planPromotion', () => {
  it('dev → staging on the default fleet: the three differing pins, with clusters', () => {
    const plan = planPromotion(fleet, catalog, 'dev', 'staging', selectComponents(catalog, [], []));
    expect(plan.changes).toEqual([
      { image: 'ffmpeg-worker', before: '1.4.2', after: '1.5.0' },
      { image: 'ffmpeg-worker-cuda', before: '1.4.2', after: '1.5.0' },
      { image: 'transcode-api', before: '1.4.2', after: '1.5.0' },
    ]);
    expect(plan.rows.map((r) => [r.app, r.clusters])).toEqual([
      ['transcode-worker-cpu', ['staging-eu-west-1']],
      ['transcode-worker-gpu', []],
      ['transcode-api', ['staging-eu-west-1']],
    ]);
    expect(plan.clusters).toEqual([{ name: 'staging-eu-west-1', stacks: ['transcoding'] }]);
    expect(plan.stacks).toEqual(['transcoding']);
  });

  it('staging → prod: the GPU worker affects only the GPU cluster, and drift warns it never ran in staging', () => {
    const bumped: Fleet = {
      ...fleet,
      environments: fleet.environments.map((e) => (e.name === 'staging' ? { ...e, versions: { ...e.versions, 'ffmpeg-worker-cuda': '1.5.0' } } : e)),
    };
    const plan = planPromotion(bumped, catalog, 'staging', 'prod', selectComponents(catalog, [], []));
    const gpu = plan.rows.find((r) => r.app === 'transcode-worker-gpu');
    expect(gpu?.clusters).toEqual(['prod-gpu-us-east-1']);
    const drift = driftBetween(bumped, catalog, plan);
    expect(drift.untried).toEqual([
      'transcode-worker-gpu runs on prod-gpu-us-east-1 but on no staging cluster: ffmpeg-worker-cuda 1.5.0 has not run in staging',
    ]);
  });

  it('a shared image changes every app that runs it, and the plan says so', () => {
    const shared: CatalogEntry[] = [...catalog, { name: 'auth-probe', stack: 'streaming', images: ['ott-auth'], requires: [], scalable: true }];
    const plan = planPromotion(fleet, shared, 'staging', 'prod', selectComponents(shared, [], ['ott-auth']));
    expect(plan.changes).toEqual([{ image: 'ott-auth', before: '1.2.1', after: '1.3.0' }]);
    expect(plan.rows.map((r) => [r.app, r.selected])).toEqual([
      ['ott-auth', true],
      ['auth-probe', false],
    ]);
    expect(plan.notes).toEqual(['image ott-auth is shared: promoting ott-auth also changes auth-probe']);
  });

  it('--stack narrows the images; version pins outside it are reported as drift, not promoted', () => {
    const plan = planPromotion(fleet, catalog, 'staging', 'prod', selectComponents(catalog, ['streaming'], []));
    expect(plan.changes.map((c) => c.image)).toEqual(['ott-auth', 'ott-cas', 'ott-catalog', 'ott-license', 'ott-subscription']);
    const drift = driftBetween(fleet, catalog, plan);
    expect(drift.versions.map((d) => d.field)).toEqual(['versions.prometheus']);
    expect(drift.settings).toContainEqual({ field: 'syncPolicy.prune', from: 'true', to: 'false' });
  });
});

describe('branchName', () => {
  it.each([
    [[], [], 'promote/dev-to-staging/all'],
    [['streaming'], [], 'promote/dev-to-staging/streaming'],
    [['transcoding', 'streaming'], [], 'promote/dev-to-staging/streaming+transcoding'],
    [[], ['transcode-api', 'edge-cache'], 'promote/dev-to-staging/edge-cache+transcode-api'],
  ] as const)('stacks %j apps %j → %s', (stacks, apps, expected) => {
    expect(branchName('dev', 'staging', selectComponents(catalog, stacks, apps))).toBe(expected);
  });
});
