// parseInventory is total: whatever the files hold, it returns a Fleet or throws an InventoryError
// whose issues are all well-formed, and never throws anything else.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { InventoryError } from '../../scripts/inventory/errors.ts';
import { parseInventory, type InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { defaultSources } from './helpers.ts';

/** Returns normally for a Fleet or a well-formed InventoryError; throws (failing the property) otherwise. */
function assertTotal(sources: readonly InventorySource[]): void {
  try {
    parseInventory(sources, TEST_CATALOG);
  } catch (e) {
    if (!(e instanceof InventoryError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) {
      expect(typeof i.file === 'string' && i.file.length > 0).toBe(true);
      expect(Number.isInteger(i.line) && i.line >= 0).toBe(true);
      expect(Number.isInteger(i.col) && i.col >= 0).toBe(true);
      expect(typeof i.field === 'string' && i.field.length > 0).toBe(true);
      expect(typeof i.message === 'string' && i.message.length > 0).toBe(true);
    }
  }
}

/** Tokens that make random text look like (broken) inventory YAML, including its sharp edges. */
const token = fc.constantFrom(
  'name', 'clusters', 'environment', 'promotesTo', 'syncPolicy', 'versions', 'apps', 'images', 'replicas',
  'autoscaling', 'minReplicas', 'stacks', 'xiu', 'dev', 'prod', 'staging', 'streaming', '- ', ': ', '{', '}',
  '[', ']', ', ', '"', "'", '&a ', '*a', '!!str ', '!!int ', '!!set ', '%YAML 1.1\n', '---', '? ', '<<: ', '# ',
  '1.10', 'latest', 'true', 'null', '~', '2001-12-14', '0x1F', '__proto__', 'constructor', '\t', '|', '>', ' ',
);
const yamlLine = fc
  .tuple(fc.nat({ max: 6 }), fc.array(token, { maxLength: 6 }))
  .map(([indent, tokens]) => ' '.repeat(indent) + tokens.join(''));
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.array(yamlLine, { maxLength: 15 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  // Deep nesting: the YAML library itself would overflow the stack on this.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('- ', '[', '{a: ', '? ', 'indent'), fc.integer({ min: 50, max: 3000 }))
      .map(([open, depth]) =>
        open === 'indent'
          ? Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`).join('\n')
          : open.repeat(depth),
      ),
  },
);

type Json = unknown;
type Path = Array<string | number>;

/** Every path in a plain JSON-like value, the root included. */
function paths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

const getAt = (value: Json, path: Path): Json =>
  path.reduce<Json>((v, seg) => (v !== null && typeof v === 'object' ? (v as Record<string, Json>)[seg] : undefined), value);

interface StructuredOp {
  readonly kind: 'delete' | 'replace' | 'duplicate' | 'rename';
  readonly pick: number;
  readonly value: Json;
  readonly key: string;
}

/** Apply one op at the `pick`-th path; ops that do not fit the chosen node leave it alone. */
function applyOp(root: Json, op: StructuredOp): Json {
  const all = paths(root);
  const path = all[op.pick % all.length] ?? [];
  if (path.length === 0) return op.kind === 'replace' ? op.value : root;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent) && typeof last === 'number') {
    if (op.kind === 'delete') parent.splice(last, 1);
    else if (op.kind === 'replace') parent[last] = op.value;
    else if (op.kind === 'duplicate') parent.splice(last, 0, structuredClone(parent[last]));
  } else if (parent !== null && typeof parent === 'object') {
    const obj = parent as Record<string, Json>;
    const key = String(last);
    if (op.kind === 'delete') delete obj[key];
    else if (op.kind === 'replace') obj[key] = op.value;
    else if (op.kind === 'duplicate') {
      const v = obj[key];
      if (Array.isArray(v) && v.length > 0) v.push(structuredClone(v[0]));
    } else if (op.kind === 'rename' && op.key !== key) {
      obj[op.key] = obj[key];
      delete obj[key];
    }
  }
  return root;
}

/** Key renames that are typos of real keys, plus arbitrary strings. */
const typoOf = (word: string, at: number, how: number): string => {
  const i = at % Math.max(1, word.length);
  switch (how % 4) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1); // drop a letter
    case 1:
      return word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2); // swap
    case 2:
      return word.toUpperCase();
    default:
      return `${word}s`;
  }
};
const renameKey = fc.oneof(
  fc
    .tuple(fc.constantFrom('name', 'replicas', 'region', 'versions', 'promotesTo', 'clusters', 'xiu'), fc.nat(), fc.nat())
    .map(([w, at, how]) => typoOf(w, at, how)),
  fc.string({ maxLength: 12 }),
);

const structuredOp: fc.Arbitrary<StructuredOp> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'rename'),
  pick: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }),
  key: renameKey,
});

type TextOp = { readonly kind: 'drop-line' | 'dup-line' | 'swap-chars' | 'insert'; readonly pick: number; readonly char: string };
const textOp: fc.Arbitrary<TextOp> = fc.record({
  kind: fc.constantFrom('drop-line', 'dup-line', 'swap-chars', 'insert'),
  pick: fc.nat(),
  char: fc.constantFrom(' ', '\t', ':', '-', '"', '[', '{', '#', '\n', 'x', '&', '*'),
});

function applyTextOp(text: string, op: TextOp): string {
  const lines = text.split('\n');
  const li = op.pick % lines.length;
  const ci = op.pick % Math.max(1, text.length);
  switch (op.kind) {
    case 'drop-line':
      return [...lines.slice(0, li), ...lines.slice(li + 1)].join('\n');
    case 'dup-line':
      return [...lines.slice(0, li + 1), ...lines.slice(li)].join('\n');
    case 'swap-chars':
      return text.slice(0, ci) + text.charAt(ci + 1) + text.charAt(ci) + text.slice(ci + 2);
    case 'insert':
      return text.slice(0, ci) + op.char + text.slice(ci);
  }
}

describe('parseInventory is total', () => {
  let base: InventorySource[] = [];
  beforeAll(async () => {
    base = await defaultSources();
  });

  it('random text in any file: a Fleet or an InventoryError, nothing else', () => {
    const perFile = fc.oneof(
      { weight: 2, arbitrary: anyText.map((t): string | null => t) },
      { weight: 2, arbitrary: fc.constant<string | null>('keep') },
      { weight: 1, arbitrary: fc.constant<string | null>(null) }, // file missing
    );
    fc.assert(
      fc.property(
        fc.array(perFile, { minLength: base.length, maxLength: base.length }),
        fc.option(fc.tuple(fc.string({ maxLength: 10 }), anyText)),
        (choices, extra) => {
          const sources = base.flatMap((s, i) => {
            const c = choices[i];
            if (c === null) return [];
            return [{ file: s.file, text: c === 'keep' || c === undefined ? s.text : c }];
          });
          if (extra !== null) sources.push({ file: `inventory/environments/${extra[0]}.yaml`, text: extra[1] });
          assertTotal(sources);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('structured and textual mutations of the shipped inventory: a Fleet or an InventoryError', () => {
    const docs = base.map((s) => parse(s.text) as Json);
    const mutation = fc.record({
      file: fc.nat({ max: base.length - 1 }),
      structured: fc.array(structuredOp, { maxLength: 3 }),
      textual: fc.array(textOp, { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const texts = base.map((s) => s.text);
        for (const m of mutations) {
          let doc = structuredClone(docs[m.file]);
          for (const op of m.structured) doc = applyOp(doc, op);
          let text = m.structured.length > 0 ? stringify(doc) : (texts[m.file] ?? '');
          for (const op of m.textual) text = applyTextOp(text, op);
          texts[m.file] = text;
        }
        assertTotal(base.map((s, i) => ({ file: s.file, text: texts[i] ?? '' })));
      }),
      { numRuns: 150 },
    );
  });
});
