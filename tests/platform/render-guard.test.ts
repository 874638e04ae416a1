// The platform render refuses, all problems at once, a model the loader would have rejected (a caller that builds
// a Fleet by hand must not get issuers under names no environment uses, or a store that cannot work).
import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { PlatformConfigError, renderPlatformConfig } from '../../scripts/platform/render-platform.ts';
import { DEFAULT_INVENTORY, loadFleet } from '../support/fleet.ts';

describe('platform render guard', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);

  it('renders one kustomization per cluster for the shipped fleet', () => {
    const kustomizations = renderPlatformConfig(fleet).filter((f) => f.path.endsWith('/kustomization.yaml')).map((f) => f.path);
    expect(kustomizations).toEqual(fleet.clusters.map((c) => `clusters/${c.name}/platform/kustomization.yaml`));
  });

  it('lists every problem in one error', () => {
    const broken: Fleet = {
      ...fleet,
      environments: fleet.environments.map((e) => (e.name === 'prod' ? { ...e, clusterIssuer: 'letsencrypt-staging' } : e)),
      clusters: fleet.clusters.map((c) => (c.name === 'dev-k3d' ? { ...c, platform: {} } : c)),
    };
    let error: unknown;
    try {
      renderPlatformConfig(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformConfigError);
    const problems = (error as PlatformConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^inventory\/environments\/prod\.yaml: clusterIssuer: "letsencrypt-staging" is not rendered/);
    expect(problems[1]).toMatch(/^cluster dev-k3d: platform\.secretStore: provider aws .*region "local"/);
  });
});
