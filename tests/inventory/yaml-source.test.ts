import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadFast, parseYamlSource } from '../../scripts/inventory/yaml-source.ts';

const TEXT = ['# comment', 'a:', '  b: 1.10', '  c:', '  list: [x, y]', 'd: &anchor', '  e: 1', 'f: *anchor', '']
  .join('\n');

describe('parseYamlSource positions', () => {
  const src = parseYamlSource('t.yaml', TEXT);

  it('parses to plain data', () => {
    expect(src.issues).toEqual([]);
    expect(src.data).toEqual({ a: { b: 1.1, c: null, list: ['x', 'y'] }, d: { e: 1 }, f: { e: 1 } });
  });

  it('points at keys or values', () => {
    expect(src.position(['a', 'b'], 'key')).toEqual({ line: 3, col: 3 });
    expect(src.position(['a', 'b'], 'value')).toEqual({ line: 3, col: 6 });
    expect(src.position(['a', 'list', 1], 'value')).toEqual({ line: 5, col: 13 });
  });

  it('points at the key of an empty value, and at the parent for a missing field', () => {
    expect(src.position(['a', 'c'], 'value')).toEqual({ line: 4, col: 3 });
    expect(src.position(['a', 'missing'], 'value')).toEqual({ line: 3, col: 3 });
    expect(src.position([], 'value')).toEqual({ line: 2, col: 1 });
  });

  it('follows aliases to the anchored value', () => {
    expect(src.position(['f', 'e'], 'value')).toEqual({ line: 7, col: 6 });
  });

  it('gives the source text of plain scalars only', () => {
    expect(src.plainScalarSource(['a', 'b'])).toBe('1.10');
    expect(parseYamlSource('t', 'v: "1.10"\n').plainScalarSource(['v'])).toBeUndefined();
  });
});

describe('parseYamlSource problems', () => {
  it.each([
    // Plain words at the line to change (issue 20 item 7): the duplicate where it is, the `[` where it opens.
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', { line: 3, col: 1, field: 'a' }, '`a:` is set twice among the top-level keys (first on line 1)'],
    ['syntax error', 'a: [1, 2\nb: 3\n', { line: 1, col: 1, field: 'a' }, 'a `[` or `{` on this line is not closed'],
    ['several documents', 'a: 1\n---\nb: 2\n', { line: 2, col: 1, field: '(file)' }, 'starts a second YAML document'],
    ['recursive alias', 'a: &x [*x]\n', { line: 1, col: 1, field: '(root)' }, 'recursive'],
    [
      'alias expansion bomb',
      // Each level refers to the previous one ten times: 1000 aliases in all, over the library's limit.
      ['a: &a [x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]']
        .concat('d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', '')
        .join('\n'),
      { line: 1, col: 1, field: '(root)' },
      'YAML error',
    ],
  ])('%s', (_name, text, where, message) => {
    const src = parseYamlSource('t.yaml', text);
    expect(src.data).toBeUndefined();
    expect(src.issues[0]).toMatchObject({ file: 't.yaml', ...where });
    expect(src.issues[0]?.message).toContain(message);
  });

  it.each([
    ['block sequences', '- '.repeat(20_000) + 'x'],
    ['flow sequences', '['.repeat(20_000) + ']'.repeat(20_000)],
    ['flow mappings', '{a: '.repeat(20_000) + '1' + '}'.repeat(20_000)],
  ])('refuses absurdly deep %s instead of overflowing the stack', (_name, text) => {
    const src = parseYamlSource('t.yaml', text);
    expect(src.data).toBeUndefined();
    expect(src.issues).toEqual([
      expect.objectContaining({ line: 1, col: 1, field: '(root)', message: expect.stringContaining('nested too deeply') }),
    ]);
  });

  it('accepts nesting far deeper than an inventory needs', () => {
    const levels = 40;
    const text = Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';
    const src = parseYamlSource('t.yaml', text);
    expect(src.issues).toEqual([]);
    let node: unknown = src.data;
    for (let i = 0; i < levels - 1; i++) node = (node as Record<string, unknown>)[`k${i}`];
    expect(node).toEqual({ [`k${levels - 1}`]: 'leaf' });
  });

  it('treats an empty file as null data, not an error', () => {
    const src = parseYamlSource('t.yaml', '# nothing\n');
    expect(src.issues).toEqual([]);
    expect(src.data).toBeNull();
    expect(src.position(['x'], 'value')).toEqual({ line: 1, col: 1 });
  });
});

describe('loadFast (js-yaml) agrees with the positioned parser or steps aside', () => {
  const positioned = (text: string): { data: unknown; errors: number } => {
    const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error', uniqueKeys: true });
    return { data: doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined, errors: doc.errors.length };
  };

  it.each([
    ['scalars of the core schema', 'a: 1_000\nb: 0b11\nc: 0o17\nd: 017\ne: 1e3\nf: .inf\ng: 1.10\nh: 2024-01-01\ni: yes\nj: ~\nk: 0x1F\nl: +12\nm: .5\nn: 1.\np: 0.\nq: +.5e-3\nr: 1_0.5\nt: True\nu: NULL\nv:\nw: 00\nx: 0x_1\ny: -0x1\nz: 1e\n'],
    ['quoting and blocks', 'a: "x\\ty"\nb: \'it\'\'s\'\nc: |\n  l1\n  l2\nd: >-\n  folded\n  text\ne: [a, {b: c}]\nf: {}\n'],
    ['nested lists', 'clusters:\n  - name: a\n    stacks: [streaming]\n  - name: b\n    capabilities:\n      - gpu\n'],
    ['comments everywhere', '# head\na: 1 # trailing\n# between\nb:\n  - x # item\n'],
    ['CRLF line endings', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\nc: |\r\n  l1\r\n  l2\r\n'],
    ['a byte-order mark', '\ufeffa: 1\nb: x\n'],
    ['an escaped line break in double quotes', 'a: "x\\\n  y"\n'],
  ])('%s: same data', (_, text) => {
    const slow = positioned(text);
    expect(slow.errors).toBe(0);
    expect(loadFast(text)).toEqual({ data: slow.data });
  });

  it.each([
    ['duplicate key', 'a: 1\na: 2\n'],
    ['nested duplicate key', 'a:\n  b: 1\n  b: 2\n'],
    ['unclosed flow', 'a: [1, 2\nb: 3\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an empty file', ''],
    ['only a comment', '# nothing\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a complex key', '? [a]\n: 1\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
  ])('%s: the positioned parser reads it', (_, text) => {
    expect(loadFast(text)).toBeUndefined();
  });

  it('every inventory file of the repository and its fixtures reads the same both ways', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else if (e.name.endsWith('.yaml')) files.push(join(dir, e.name));
      }
    };
    await walk(join(import.meta.dirname, '..', '..', 'inventory'));
    await walk(join(import.meta.dirname, '..', 'fixtures', 'small-fleet', 'inventory'));
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const fast = loadFast(text);
      expect(fast, file).toBeDefined();
      expect(fast!.data, file).toEqual(positioned(text).data);
    }
  });
});
