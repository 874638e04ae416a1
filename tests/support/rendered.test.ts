// The rendered-output support itself: it builds every cluster stack of the shipped fleet and applies edits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFleetBuilds, type RenderedFleet } from './rendered.ts';

describe('renderFleetBuilds', () => {
  let fleet: RenderedFleet;
  beforeAll(async () => {
    fleet = await renderFleetBuilds({ edits: [{ file: 'environments/dev.yaml', path: ['apps', 'rtmp-origin', 'replicas'], value: 2 }] });
  });
  afterAll(async () => fleet.dispose());

  it('builds every cluster stack and applies inventory edits', () => {
    expect(fleet.builds.size).toBe(23); // 14 built-in cluster stacks + 4 of the api-platform system + 5 clusters' platform config
    expect(fleet.find('dev-k3d', 'streaming', 'Deployment', 'rtmp-origin').spec?.replicas).toBe(2);
  });

  it('refuses unknown paths and objects instead of returning nothing', () => {
    expect(() => fleet.objects('nope', 'streaming')).toThrow(/was not built/);
    expect(() => fleet.find('dev-k3d', 'streaming', 'Deployment', 'nope')).toThrow(/no Deployment\/nope/);
  });
});
