// The house YAML emitter must read back as the value it was given, with every YAML reader the fleet meets:
// js-yaml (our tools), `yaml` in 1.2 mode and in 1.1 mode (go-yaml in Kustomize and Argo CD still resolves YAML
// 1.1 booleans such as `on`). Fast-check explores arbitrary JSON; a table pins the strings that are easy to get wrong.
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compareKeys } from '../../scripts/render/serialize.ts';
import { emitYaml } from '../../scripts/render/yaml-emitter.ts';

const readers = {
  'js-yaml': (t: string): unknown => load(t),
  'yaml 1.2': (t: string): unknown => parse(t),
  'yaml 1.1': (t: string): unknown => parse(t, { version: '1.1' }),
};

const roundTrips = (value: unknown): void => {
  const text = emitYaml(value, compareKeys);
  for (const [name, read] of Object.entries(readers)) expect(read(text), `${name} reading:\n${text}`).toEqual(value);
};

const TRICKY = [
  'true', 'True', 'FALSE', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'null', 'Null', '~', '', ' ', '  lead', 'trail ',
  '1', '-1', '+1', '1.5', '1e3', '1E3', '0x1F', '0o17', '017', '0b101', '1_000', '12:30', '1:20:30', '2020-01-01',
  '2001-12-14t21:59:43.10-05:00', '.inf', '-.inf', '.NaN', 'NaN', 'Infinity', '=', '<<', '-', '-c', '--flag', '- a',
  '? x', ':x', 'a:b', 'a: b', 'a:', 'a #b', 'a#b', '#x', '@x', '`x', '%x', '!x', '&x', '*x', '|', '>', '[x]', '{x}',
  'a, b', '"q"', "'q'", 'x\ny', 'x\ny\n', '\nleading', '  indented\nnext\n', ' \n', 'a\n  \nb\n', '\t\nx', 'x\n\n', 'x\n\n\n', 'tab\there', '\t',
  'cr\r\nlf', 'del\x7f', 'nel\u0085', 'c1\u0090', 'é', '日本', 'emoji 🎥', 'bom\ufeff', 'ls\u2028', '250m', '1.5Gi', '10e',
  '25%', '0.0.0.0/0', '10.0.0.1', '1.2.3', '4.11.3', '1.27.3-alpine', '0.12.4@sha256:0123', 'v1.2.3', '../apps',
  './x', '.x', '..', '/', '$x', '${{ inputs.to }}', 'pr-${{ github.event.number }}', 'https://example.com:443/x',
];

describe('emitYaml', () => {
  it.each(TRICKY)('round-trips %j as a value and as a key', (s) => {
    roundTrips({ value: s, list: [s], [s]: 'key', nested: { deep: [{ s }] } });
  });

  it('round-trips arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        // -0 reads back as 0 in YAML; JSON has no -0 either.
        const json = JSON.parse(JSON.stringify(v)) as unknown;
        roundTrips({ v: json });
      }),
      { numRuns: 400 },
    );
  });

  it('round-trips arbitrary strings, including multi-line ones', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), (s, lines) => {
        roundTrips({ s, block: lines.join('\n'), blockNl: `${lines.join('\n')}\n` });
      }),
      { numRuns: 600 },
    );
  });

  it('puts apiVersion, kind and metadata first, then sorts, and drops undefined members', () => {
    const text = emitYaml({ spec: { b: 1, a: undefined, c: [] }, metadata: { name: 'x' }, kind: 'K', apiVersion: 'v1', data: {} }, compareKeys);
    expect(text).toBe('apiVersion: v1\nkind: K\nmetadata:\n  name: x\ndata: {}\nspec:\n  b: 1\n  c: []\n');
  });

  it('writes multi-line strings as literal blocks', () => {
    expect(emitYaml({ conf: 'a\n  b\n' }, compareKeys)).toBe('conf: |\n  a\n    b\n');
    expect(emitYaml({ conf: ' a\nb' }, compareKeys)).toBe('conf: |2-\n   a\n  b\n');
  });

  it.each([
    ['a function', { f: (): number => 1 }, /cannot serialise function at \$\.f/],
    ['undefined in a list', { l: [1, undefined] }, /cannot serialise undefined at \$\.l\[1\]/],
    ['a non-finite number', { n: Number.POSITIVE_INFINITY }, /non-finite number at \$\.n/],
  ])('refuses %s', (_, value, message) => {
    expect(() => emitYaml(value, compareKeys)).toThrow(message);
  });
});
