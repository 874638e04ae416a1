// Golden files: the small fixture fleet's whole rendered tree, one snapshot file per generated file.
// A change to any renderer shows up as a reviewable diff under __golden__/ (update with `vitest -u`).
import { describe, expect, it } from 'vitest';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { loadFleet, SMALL_FLEET_INVENTORY } from '../support/fleet.ts';

describe('golden: small fleet', async () => {
  const files = renderFleet(await loadFleet(SMALL_FLEET_INVENTORY));

  it('produces the expected set of paths', async () => {
    await expect(`${files.map((f) => f.path).join('\n')}\n`).toMatchFileSnapshot('./__golden__/small-fleet.paths.txt');
  });

  it.each(files.map((f) => ({ path: f.path, content: f.content })))('$path', async ({ path, content }) => {
    await expect(content).toMatchFileSnapshot(`./__golden__/small-fleet/${path}`);
  });
});
