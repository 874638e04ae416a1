// The bot that bumps chart versions reads inventory/fleet.yaml through renovate.json's regex manager: every
// add-on (and Argo CD's own chart) must be matched with its exact repository, chart and version, or that pin
// would silently never be bumped.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INVENTORY, loadFleet, REPO_ROOT } from '../support/fleet.ts';

interface RenovateConfig {
  enabledManagers: string[];
  customManagers: Array<{ customType: string; managerFilePatterns: string[]; matchStrings: string[]; datasourceTemplate: string }>;
}

/** Renovate writes file patterns as `/regex/`; anything else would be a glob, which this config does not use. */
const patternRegex = (p: string): RegExp => {
  expect(p).toMatch(/^\/.+\/$/);
  return new RegExp(p.slice(1, -1));
};

describe('renovate.json', async () => {
  const config = JSON.parse(await readFile(join(REPO_ROOT, 'renovate.json'), 'utf8')) as RenovateConfig;
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const fleetText = await readFile(join(DEFAULT_INVENTORY, 'fleet.yaml'), 'utf8');
  const manager = config.customManagers.find((m) => m.customType === 'regex')!;

  const matches = (): Array<{ registryUrl: string; depName: string; currentValue: string }> =>
    manager.matchStrings.flatMap((s) =>
      [...fleetText.matchAll(new RegExp(s, 'g'))].map((m) => m.groups as { registryUrl: string; depName: string; currentValue: string }),
    );

  it('runs its regex manager on inventory/fleet.yaml with the helm datasource', () => {
    expect(config.enabledManagers).toContain('custom.regex');
    expect(manager.datasourceTemplate).toBe('helm');
    expect(manager.managerFilePatterns.some((p) => patternRegex(p).test('inventory/fleet.yaml'))).toBe(true);
  });

  it.each(Object.keys(fleet.addons).sort())('matches add-on %s with its exact repository, chart and version', (name) => {
    const addon = fleet.addons[name]!;
    expect(matches()).toContainEqual({ registryUrl: addon.repoURL, depName: addon.chart, currentValue: addon.version });
  });

  it('matches Argo CD\'s chart and nothing but chart pins', () => {
    const { repoURL, chart, version } = fleet.argocd.chart;
    expect(matches()).toContainEqual({ registryUrl: repoURL, depName: chart, currentValue: version });
    expect(matches()).toHaveLength(Object.keys(fleet.addons).length + 1);
  });
});
