// Structure mistakes a newcomer makes in the inventory (issue 20 item 7, and item 1's unreadable files): each edit
// gives exactly ONE issue for the broken file, at the line to change, naming the key and the fix in plain words,
// with no parser jargon and no schema errors from a half-parsed document. Expected lines are computed from the
// mutated text, so the cases hold when the shipped inventory gains lines elsewhere.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/gen.ts';
import type { InventoryIssue } from '../../scripts/inventory/errors.ts';
import type { InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, tempDir } from '../support/fleet.ts';
import { CLUSTERS, compose, defaultSources, DEV, edit, FLEET, inventoryError, lineOf, replaceOnce, STAGING, textOf, type Mutation } from './helpers.ts';

interface Expected {
  readonly file: string;
  /** The line holding `find` (its first occurrence) in the mutated file. */
  readonly find: string;
  readonly col?: number;
  readonly field: string;
  /** The whole message, or a function of the mutated file's text when it names other lines. */
  readonly message: string | ((text: string) => string);
}

interface StructureCase {
  readonly name: string;
  readonly mutate: Mutation;
  /** One per broken file, and nothing else; in report order (by file path, then line). */
  readonly expected: readonly Expected[];
}

/** What a newcomer must never see: the parser's own words, or a stack trace. */
const JARGON = /implicit key|compact mapping|YAML syntax error|Map keys must be unique|block sequence|flow sequence|YAMLException|\n\s+at /i;

/** The staging cluster's region line, and the same line as a merge of two branches left it. */
const STAGING_REGION = '    region: eu-west-1\n    destination:\n      name: staging';
const CONFLICT = '<<<<<<< HEAD\n    region: eu-west-1\n=======\n    region: eu-west-2\n>>>>>>> add-cluster\n    destination:\n      name: staging';

const cases: StructureCase[] = [
  {
    name: 'key indented more than the one above it',
    mutate: edit(CLUSTERS, replaceOnce('    region: eu-west-1\n    destination:\n      name: staging', '      region: eu-west-1\n    destination:\n      name: staging')),
    expected: [
      {
        file: CLUSTERS,
        find: '      region: eu-west-1',
        col: 7,
        field: 'clusters[1].region',
        message: (t) =>
          `\`region:\` is indented more than \`environment:\` on line ${lineOf(t, 'environment: staging')}; ` +
          'keys of one cluster must line up: remove 2 spaces before `region:`',
      },
    ],
  },
  {
    name: 'key indented less than the one above it',
    mutate: edit(CLUSTERS, replaceOnce('  - name: staging-eu-west-1\n    environment', '  - name: staging-eu-west-1\n  environment')),
    expected: [
      {
        file: CLUSTERS,
        find: '  environment: staging',
        col: 3,
        field: 'clusters[1].environment',
        message: (t) =>
          `\`environment:\` is indented less than \`name:\` on line ${lineOf(t, '- name: staging-eu-west-1')}; ` +
          'keys of one cluster must line up: indent `environment:` by 2 spaces more',
      },
    ],
  },
  {
    name: 'dedented `name:` lands among the cluster keys (a duplicate)',
    mutate: edit(CLUSTERS, replaceOnce('    destination:\n      name: staging-eu-west-1', '    destination:\n    name: staging-eu-west-1')),
    expected: [
      {
        file: CLUSTERS,
        find: '    name: staging-eu-west-1',
        col: 5,
        field: 'clusters[1].name',
        message: (t) =>
          `\`name:\` landed among the cluster's own keys, where \`name:\` is already set on line ${lineOf(t, '- name: staging-eu-west-1')}, ` +
          `leaving \`destination:\` on line ${lineOf(t, 'destination:', 2)} empty: did you mean to indent it by 2 spaces, under \`destination:\`?`,
      },
    ],
  },
  {
    name: 'typo in an environment name: the fix is at the cluster, no "remove this file"',
    mutate: edit(CLUSTERS, replaceOnce('environment: staging', 'environment: stagin')),
    expected: [
      {
        file: CLUSTERS,
        find: 'environment: stagin',
        col: 18,
        field: 'clusters[1].environment',
        message:
          'unknown environment "stagin" (did you mean "staging"?); environments (files in inventory/environments): dev, prod, staging',
      },
    ],
  },
  {
    name: 'git conflict markers',
    mutate: edit(CLUSTERS, replaceOnce(STAGING_REGION, CONFLICT)),
    expected: [
      {
        file: CLUSTERS,
        find: '<<<<<<< HEAD',
        col: 1,
        field: '(file)',
        message: (t) =>
          `has unresolved merge conflict markers (lines ${lineOf(t, '<<<<<<<')}–${lineOf(t, '>>>>>>>')}); resolve them by hand ` +
          '(keep the lines you want, delete the <<<<<<<, ======= and >>>>>>> lines), then run `pnpm gen`',
      },
    ],
  },
  {
    name: 'tab used for indentation',
    mutate: edit(CLUSTERS, replaceOnce('    region: local', '\tregion: local')),
    expected: [
      {
        file: CLUSTERS,
        find: '\tregion: local',
        col: 1,
        field: 'clusters[0].region',
        message: '`region:` is indented with a tab: replace the indentation with 4 spaces (YAML indents with spaces only, never tabs)',
      },
    ],
  },
  {
    name: 'unclosed quote',
    mutate: edit(DEV, replaceOnce('  selfHeal: true', '  selfHeal: "true')),
    expected: [
      {
        file: DEV,
        find: 'selfHeal: "true',
        field: 'syncPolicy.selfHeal',
        message: 'a value opens a " quote that is never closed: add the closing " at the end of the value',
      },
    ],
  },
  {
    name: 'stray `: ` inside a value',
    mutate: edit(CLUSTERS, replaceOnce('    region: local', '    region: local: laptop')),
    expected: [
      {
        file: CLUSTERS,
        find: 'region: local: laptop',
        field: 'clusters[0].region',
        message: 'this value contains `: ` (a colon and a space), which YAML reads as another key: put the value in double quotes',
      },
    ],
  },
  {
    name: 'missing `:` after a key',
    mutate: edit(CLUSTERS, replaceOnce('    region: local', '    region local')),
    expected: [
      {
        file: CLUSTERS,
        find: 'region local',
        field: '(file)',
        message: '`region local` has no `:` after its key: write `key: value` (a colon and a space after the key)',
      },
    ],
  },
  {
    name: 'two broken files: both reported, one issue each',
    mutate: compose(
      edit(CLUSTERS, replaceOnce('    region: eu-west-1\n    destination:\n      name: staging', '      region: eu-west-1\n    destination:\n      name: staging')),
      edit(STAGING, (t) => `<<<<<<< HEAD\n${t}=======\n>>>>>>> other\n`),
      edit(FLEET, replaceOnce('git:\n  repoURL:', 'git:\n\trepoURL:')),
    ),
    expected: [
      { file: CLUSTERS, find: '      region: eu-west-1', field: 'clusters[1].region', message: (t) => `\`region:\` is indented more than \`environment:\` on line ${lineOf(t, 'environment: staging')}; keys of one cluster must line up: remove 2 spaces before \`region:\`` },
      {
        file: STAGING,
        find: '<<<<<<< HEAD',
        field: '(file)',
        message: (t) => `has unresolved merge conflict markers (lines 1–${lineOf(t, '>>>>>>> other')}); resolve them by hand (keep the lines you want, delete the <<<<<<<, ======= and >>>>>>> lines), then run \`pnpm gen\``,
      },
      {
        file: FLEET,
        find: '\trepoURL:',
        field: 'git.repoURL',
        message: '`repoURL:` is indented with a tab: replace the indentation with 2 spaces (YAML indents with spaces only, never tabs)',
      },
    ],
  },
];

let shipped: InventorySource[];
beforeAll(async () => {
  shipped = await defaultSources();
});

const pick = (i: InventoryIssue): Record<string, unknown> => ({ file: i.file, line: i.line, col: i.col, field: i.field, message: i.message });

describe('structure mistakes: one plain-words issue per broken file, at the line to change', () => {
  it.each(cases)('$name', ({ mutate, expected }) => {
    const mutated = mutate(shipped);
    const error = inventoryError(mutated);
    const want = expected.map((e) => {
      const text = textOf(mutated, e.file);
      return {
        file: e.file,
        line: lineOf(text, e.find),
        ...(e.col === undefined ? {} : { col: e.col }),
        field: e.field,
        message: typeof e.message === 'string' ? e.message : e.message(text),
      };
    });
    expect(error.issues.map(pick)).toEqual(want.map((w) => expect.objectContaining(w)));
    expect(error.message).not.toMatch(JARGON);
  });
});

describe('pnpm gen on an inventory with conflict markers', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('structure-errors');
    await copyInventory(DEFAULT_INVENTORY, root);
  });
  afterAll(async () => removeDir(root));

  it('exits 2 naming each file and the first marker line, without a stack trace, and writes nothing', async () => {
    const clusters = join(root, 'inventory', 'clusters.yaml');
    await writeFile(clusters, (await readFile(clusters, 'utf8')).replace(STAGING_REGION, CONFLICT));
    const staging = join(root, 'inventory', 'environments', 'staging.yaml');
    await writeFile(staging, `<<<<<<< HEAD\n${await readFile(staging, 'utf8')}=======\n>>>>>>> other\n`);
    const io = captureIo();
    const code = await main(['--inventory', join(root, 'inventory'), '--out', root], io.io);
    expect(code).toBe(2);
    const err = io.err();
    expect(err).toMatch(/inventory has 2 errors/);
    expect(err).toMatch(/clusters\.yaml:\d+:1 \(file\): has unresolved merge conflict markers \(lines \d+–\d+\)/);
    expect(err).toMatch(/environments\/staging\.yaml:1:1 \(file\): has unresolved merge conflict markers/);
    expect(err).not.toMatch(JARGON);
    expect(await readdir(root)).toEqual(['inventory']);
  });
});
