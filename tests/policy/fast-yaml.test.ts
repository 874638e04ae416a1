// The Kustomize-output parser must read every document exactly as js-yaml does, or hand it to js-yaml: checked on
// real build output, on hand-picked edge cases, and on random values written by two different YAML encoders.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

import { buildKustomization } from '../../scripts/kustomize/build.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { loadStream, resolvePlain } from '../../scripts/schemas/fast-yaml.ts';
import { removeDir } from '../support/fleet.ts';
import { generatedFleet } from './tree.ts';

/** The parser's result, or js-yaml's error message when js-yaml rejects the text. */
const both = (text: string): { fast: unknown; reference: unknown } => {
  let reference: unknown;
  try {
    reference = loadAll(text);
  } catch (error) {
    reference = `error: ${(error as Error).message.split('\n')[0]}`;
  }
  let fast: unknown;
  try {
    fast = loadStream(text).docs;
  } catch (error) {
    fast = `error: ${(error as Error).message.split('\n')[0]}`;
  }
  return { fast, reference };
};

describe('loadStream', () => {
  let root: string;
  let outputs: string[];
  beforeAll(async () => {
    root = await generatedFleet('fast-yaml');
    const engine = await detectEngine();
    const clusters = readdirSync(join(root, 'clusters'), { withFileTypes: true }).filter((e) => e.isDirectory());
    // Every Kustomize folder of a cluster (clusters/<c>/addons holds Helm values files, not a kustomization).
    const paths = ['argocd', ...clusters.flatMap((c) => readdirSync(join(root, 'clusters', c.name)).map((s) => `clusters/${c.name}/${s}`))].filter((p) =>
      existsSync(join(root, p, 'kustomization.yaml')),
    );
    outputs = await Promise.all(paths.map((p) => buildKustomization(engine, join(root, p))));
  });
  afterAll(async () => removeDir(root));

  it('parses every build of the default fleet itself, with the same result as js-yaml', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) {
      const { docs, fallbacks } = loadStream(text);
      expect(fallbacks).toBe(0);
      expect(docs).toEqual(loadAll(text));
    }
  });

  it.each([
    ['empty stream', ''],
    ['explicit empty documents', '---\n---\na: 1\n---\n'],
    ['scalars of every core type', 'a: 0x1F\nb: 1e3\nc: .5\nd: -.inf\ne: 012\nf: 1_000\ng: 1.2.3\nh: ~\ni: Yes\nj: -0\nk: +7\nl: .NaN\nm: 0o17\nn: "true"\no: \'1\'\n'],
    ['quotes and escapes', 'a: \'it\'\'s\'\nb: "q\\"x\\n\\u00e9"\nc: "\\x41"\nd: \'a: b\'\n'],
    ['plain scalars wrapped over lines', 'a: one two\n  three\n\n  four\nb:\n  - long item\n    continued here\nc: x > 1\n  and more\n'],
    ['literal blocks and chomping', 'a: |\n  x\n\n  y\n\n\nb: |-\n  z\nc: |+\n  w\n\nd: |\n    indented\n  less\n'],
    ['compact and nested sequences', 'a:\n- b: 1\n  c:\n  - -x\n  - - nested\n- d\n'],
    ['wrapped single-quoted scalar', "a: 'one: two\n  three\n\n  four'\nb: 1\n"],
    ['multi-line plain scalar', 'a: b\n  c\n'],
    ['flow collections and anchors', 'a: {b: 1}\nc: &x [1, 2]\nd: *x\n'],
    ['repeated key', 'a: 1\na: 2\n'],
    ['comments and tabs', 'a: 1 # note\nb:\t2\n'],
    ['whole-line comments', '# header\na:\n  # inside\n  b: |\n    x\n    # not a comment\n# after\nc: 1\n'],
    ['document end and directives', '%YAML 1.2\n---\na: 1\n...\n'],
    ['a no-break space at the end of a value', 'a: x\u00a0\nb: \u00a0y\n'],
    ['a no-break space in a key line', 'a:\u00a0\n  b: 1\n'],
    ['extra spaces after a sequence dash', 'a:\n  -   key: v\n      other: w\n'],
  ])('%s: same as js-yaml', (_, text) => {
    const { fast, reference } = both(text);
    expect(fast).toEqual(reference);
  });

  it('resolves plain scalars like the YAML 1.2 core schema', () => {
    for (const s of ['1', '-1', '+1', '0x10', '0o7', '1.5', '1e5', '.inf', '-.Inf', '.nan', 'null', '~', 'True', 'FALSE', 'yes', 'on', '0b1', '1_000', '08', '1.2.3', 'v1']) {
      expect(resolvePlain(s), s).toEqual(loadAll(`${s}\n`)[0]);
    }
  });

  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, tie('scalar'), tie('list'), tie('map')),
    scalar: fc.oneof(
      fc.string(),
      fc.constantFrom('true', 'null', '1.0', '0x1', 'a: b', '- x', '#x', "it's", 'line\nbreak', ' padded ', '', '~', '*', '&a', '|', 'on'),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    ),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('a', 'b.c/d', 'key with space', '1', 'true')), tie('node'), { maxKeys: 4 }),
  }));

  it('agrees with js-yaml on random values written by `yaml` and by js-yaml', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string({ minLength: 1 }), value.node, { maxKeys: 5 }), { minLength: 1, maxLength: 3 }), (docs) => {
        for (const text of [docs.map((d) => stringify(d)).join('---\n'), docs.map((d) => dump(d)).join('---\n')]) {
          const { fast, reference } = both(text);
          expect(fast).toEqual(reference);
        }
      }),
      { numRuns: 300 },
    );
  });
});
