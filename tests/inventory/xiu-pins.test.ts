// Every environment's xiu pin must be a version the generated origin was written against (xiu-contract.ts): the
// error is at the pin's line, names the field, the supported versions and why, whatever registry serves the image.
import { describe, expect, it } from 'vitest';

import { SUPPORTED_XIU_VERSIONS } from '../../scripts/components/streaming/xiu-contract.ts';
import { parseInventory } from '../../scripts/inventory/parse-inventory.ts';
import { XIU_CONTRACT_FILE } from '../../scripts/inventory/xiu-pin-checks.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { DEV, FLEET, PROD, STAGING, compose, defaultSources, edit, inventoryError, lineOf, replaceOnce, textOf, type Mutation } from './helpers.ts';

const DIGEST = `@sha256:${'a'.repeat(64)}`;
const SHIPPED = 'xiu: "0.13.0"';
const MIRROR = compose(edit(FLEET, replaceOnce('repository: docker.io/harlancn/xiu', 'repository: registry.example.com/mirror/xiu')));

describe('xiu pins outside SUPPORTED_XIU_VERSIONS', () => {
  it.each<{ name: string; mutate: Mutation; file: string; find: string; version: string }>([
    // 0.12.4 is in the image catalog, so this is the only issue: the image exists, the generator does not fit it.
    { name: 'prod back on 0.12.4', mutate: edit(PROD, replaceOnce(SHIPPED, 'xiu: "0.12.4"')), file: PROD, find: 'xiu: "0.12.4"', version: '0.12.4' },
    { name: 'a pin by digest (the tag is the version)', mutate: edit(STAGING, replaceOnce(SHIPPED, `xiu: "0.12.4${DIGEST}"`)), file: STAGING, find: 'xiu: "0.12.4@', version: '0.12.4' },
    {
      name: 'a private mirror (the image catalog does not speak for it; the xiu version still matters)',
      mutate: compose(MIRROR, edit(DEV, replaceOnce(SHIPPED, 'xiu: "0.12.7"'))),
      file: DEV,
      find: 'xiu: "0.12.7"',
      version: '0.12.7',
    },
  ])('$name', async ({ mutate, file, find, version }) => {
    const sources = mutate(await defaultSources());
    const error = inventoryError(sources);
    expect(error.issues.map((i) => ({ file: i.file, line: i.line, field: i.field }))).toEqual([
      { file, line: lineOf(textOf(sources, file), find), field: 'versions.xiu' },
    ]);
    const message = error.issues[0]!.message;
    expect(message).toMatch(new RegExp(`^xiu ${version.replaceAll('.', '\\.')} is not a supported version: expected one of ${SUPPORTED_XIU_VERSIONS.join(', ')}; `));
    // Why, and where the facts live.
    expect(message).toContain("relies on facts read in xiu's source at those tags");
    expect(message).toContain(XIU_CONTRACT_FILE);
  });
});

describe('xiu pins the loader accepts', () => {
  it.each<{ name: string; mutate: Mutation }>([
    { name: 'the shipped inventory', mutate: (s) => [...s] },
    { name: 'a supported version pinned by digest', mutate: edit(PROD, replaceOnce(SHIPPED, `xiu: "0.13.0${DIGEST}"`)) },
  ])('$name', async ({ mutate }) => {
    const sources = mutate(await defaultSources());
    expect(() => parseInventory(sources, TEST_CATALOG)).not.toThrow();
  });

  it('every environment of the shipped inventory pins a supported xiu', async () => {
    const sources = await defaultSources();
    for (const file of [DEV, STAGING, PROD]) {
      const pin = /^ {2}xiu: "([^"@]+)/m.exec(textOf(sources, file));
      expect(pin, file).not.toBeNull();
      expect(SUPPORTED_XIU_VERSIONS, file).toContain(pin![1]);
    }
  });
});
