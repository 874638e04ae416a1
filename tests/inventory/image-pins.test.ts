// Every image tag an environment pins needs an image catalog entry (scripts/images/catalog-data.ts) for exactly that
// repository and tag: the error is at the pin, names what was expected and the doc section that says how to add one.
import { describe, expect, it } from 'vitest';

import { IMAGE_CATALOG_DOC } from '../../scripts/inventory/image-pin-checks.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { DEV, FLEET, PROD, STAGING, compose, defaultSources, edit, inventoryError, lineOf, replaceOnce, textOf, type Mutation } from './helpers.ts';

const DIGEST = `@sha256:${'a'.repeat(64)}`;

describe('image pins without an image catalog entry', () => {
  it.each([
    {
      name: 'an upstream tag bump',
      mutate: edit(DEV, replaceOnce('nginx: "1.27.3-alpine"', 'nginx: "1.27.4-alpine"')),
      issues: [{ file: DEV, find: 'nginx: "1.27.4-alpine"', field: 'versions.nginx' }],
      message: /^no image catalog entry for docker\.io\/nginxinc\/nginx-unprivileged:1\.27\.4-alpine \(catalogued: 1\.27\.3-alpine\): expected an entry for docker\.io\/nginxinc\/nginx-unprivileged:1\.27\.4-alpine in scripts\/images\/catalog-data\.ts/,
    },
    {
      name: 'a bump pinned by digest (the tag part is what is catalogued)',
      mutate: edit(STAGING, replaceOnce('nginx: "1.27.3-alpine"', `nginx: "1.27.4-alpine${DIGEST}"`)),
      issues: [{ file: STAGING, find: 'nginx: "1.27.4-alpine', field: 'versions.nginx' }],
      message: /^no image catalog entry for docker\.io\/nginxinc\/nginx-unprivileged:1\.27\.4-alpine \(catalogued: 1\.27\.3-alpine\): /,
    },
    {
      name: 'a repository the tag is not pushed to (the GitHub registry path of the log exporter)',
      mutate: edit(FLEET, replaceOnce('repository: quay.io/martinhelmich/prometheus-nginxlog-exporter', 'repository: ghcr.io/martin-helmich/prometheus-nginxlog-exporter/exporter')),
      issues: [DEV, PROD, STAGING].map((file) => ({ file, find: 'nginxlog-exporter: "v1.11.0"', field: 'versions.nginxlog-exporter' })),
      message: /^the image catalog has nginxlog-exporter at quay\.io\/martinhelmich\/prometheus-nginxlog-exporter, not ghcr\.io\/martin-helmich\/prometheus-nginxlog-exporter\/exporter: /,
    },
  ])('$name', async ({ mutate, issues, message }) => {
    const sources = mutate(await defaultSources());
    const error = inventoryError(sources);
    expect(error.issues.map((i) => ({ file: i.file, line: i.line, field: i.field }))).toEqual(
      issues.map((i) => ({ file: i.file, line: lineOf(textOf(sources, i.file), i.find), field: i.field })),
    );
    for (const issue of error.issues) {
      expect(issue.message).toMatch(message);
      expect(issue.message).toContain(IMAGE_CATALOG_DOC);
    }
  });
});

describe('image pins the catalog accepts', () => {
  it.each<{ name: string; mutate: Mutation }>([
    { name: 'the shipped inventory', mutate: (s) => [...s] },
    { name: 'a catalogued tag pinned by digest', mutate: edit(PROD, replaceOnce('nginx: "1.27.3-alpine"', `nginx: "1.27.3-alpine${DIGEST}"`)) },
    { name: 'another catalogued tag', mutate: edit(PROD, replaceOnce('prometheus: "v3.0.1"', 'prometheus: "v3.1.0"')) },
    { name: 'any tag of an internal image', mutate: edit(DEV, replaceOnce('ott-auth: "1.3.0"', 'ott-auth: "9.9.9"')) },
    {
      name: 'a private mirror (outside the public registries the catalog reads)',
      mutate: compose(
        edit(FLEET, replaceOnce('repository: docker.io/nginxinc/nginx-unprivileged', 'repository: registry.example.com/mirror/nginx-unprivileged')),
        edit(DEV, replaceOnce('nginx: "1.27.3-alpine"', 'nginx: "1.27.4-alpine"')),
      ),
    },
  ])('$name', async ({ mutate }) => {
    const sources = mutate(await defaultSources());
    expect(() => parseInventory(sources, TEST_CATALOG)).not.toThrow();
  });
});
