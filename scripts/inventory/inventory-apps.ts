// Apps declared in fleet.yaml join the component catalog for every cross-check (settings, version pins),
// and must neither shadow a built-in component nor use an undeclared image.
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { issueAt } from './cross-check-input.ts';
import type { FleetFile } from './schema.ts';
import { didYouMean } from './suggest.ts';
import type { CatalogEntry } from '../model/fleet.ts';

export const inventoryAppEntries = (fleet: FleetFile | undefined): CatalogEntry[] =>
  Object.entries(fleet?.apps ?? {}).map(([name, app]) => ({
    name,
    stack: app.stack,
    images: [app.image],
    requires: [],
    scalable: true,
  }));

export function checkInventoryApps(input: CrossCheckInput, builtIn: readonly CatalogEntry[], report: Report): void {
  const fleet = input.fleet;
  if (fleet === undefined) return;
  const images = Object.keys(fleet.value.images);
  for (const [name, app] of Object.entries(fleet.value.apps ?? {})) {
    if (builtIn.some((c) => c.name === name)) {
      report(issueAt(fleet.source, ['apps', name], 'key', `app "${name}" is a built-in component; choose another name`));
    }
    if (!Object.hasOwn(fleet.value.images, app.image)) {
      report(
        issueAt(fleet.source, ['apps', name, 'image'], 'value', `expected an image declared under images (${images.join(', ')}), found "${app.image}"${didYouMean(app.image, images)}`),
      );
    }
  }
}
