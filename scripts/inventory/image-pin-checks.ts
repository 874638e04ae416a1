// Every image tag an environment pins must be in the image catalog (scripts/images/catalog-data.ts): the tree relies
// on the image's user, entrypoint, ports and paths, and those are read from the upstream release that pushes exactly
// that `repository:tag`. A pin without an entry is an error at the pin, naming the doc section that says how to add
// one. This organisation's own images (source: internal, or any repository under its registry prefix) accept any tag.
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { issueAt } from './cross-check-input.ts';
import { parsePin } from '../render/image-pin.ts';
import { INTERNAL_REPOSITORY_PREFIX, lookupPin, type ImageCatalogEntry } from '../images/catalog.ts';

/** Where docs/images.md explains how to add a catalog entry. */
export const IMAGE_CATALOG_DOC = 'docs/images.md "Adding an image or bumping a tag"';

/** `docker.io/library/redis` → `docker.io`. */
const registryHost = (repository: string): string => repository.split('/')[0] ?? '';


export function checkImagePins(input: CrossCheckInput, catalog: readonly ImageCatalogEntry[], report: Report): void {
  if (input.fleet === undefined) return;
  const images = input.fleet.value.images;
  // The catalog speaks for the public registries its images are released to. A pin served from any other registry
  // (a private mirror) is that mirror's business: what it holds cannot be read upstream.
  const covered = new Set(catalog.map((e) => registryHost(e.repository)));
  for (const env of input.environments) {
    if (env.value === undefined) continue;
    for (const [name, pin] of Object.entries(env.value.versions)) {
      const repository = images[name]?.repository;
      // An undeclared image is reported by the cross-checks; one pin, one issue.
      if (repository === undefined || !covered.has(registryHost(repository))) continue;
      // This organisation's own builds (a service added with `pnpm new app`, say) have no upstream to read.
      if (repository.startsWith(INTERNAL_REPOSITORY_PREFIX)) continue;
      const { tag } = parsePin(pin);
      const found = lookupPin(name, repository, tag, catalog);
      if (found.kind !== 'missing') continue;
      report(
        issueAt(
          env.source,
          ['versions', name],
          'value',
          `${found.reason}: expected an entry for ${repository}:${tag} in scripts/images/catalog-data.ts, read from the ` +
            `release that pushes that tag (the tree relies on its user, ports and paths); see ${IMAGE_CATALOG_DOC}`,
        ),
      );
    }
  }
}
