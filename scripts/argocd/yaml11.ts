// YAML → JSON the way Argo CD reads a rendered templatePatch (and elementsYaml): sigs.k8s.io/yaml's YAMLToJSON,
// which decodes with go-yaml v2 — YAML 1.1 scalar resolution — and then turns the result into JSON.
// (argoproj/argo-cd@v3.4.4 applicationset/utils/utils.go:75-89 ConvertYAMLToJSON; sigs.k8s.io/yaml@v1.6.0
// yaml.go YAMLToJSON/convertToJSONableObject; go-yaml v2.4.x resolve.go and decode.go.)
//
// Why not the `yaml` package's own `version: '1.1'` schema: measured against the Go harness on the YAML table of
// tests/argocd/go-differential-cases.ts it differs in 47 of 181 cases — base-60 integers (`1:20` → 80; go-yaml
// keeps the string), `0o17` and `0X1f` left as strings, timestamps turned into Dates (go-yaml hands `2001-12-14` to
// interface{} as the original text), !!binary as a Buffer, `.inf`/`.nan` as null where Go's JSON step fails,
// `1e400` as null where go-yaml keeps the string, float keys spelled differently (`1e6` → "1000000", Go: "1e+06"),
// null and collection keys accepted where Go fails, multi-document input rejected where go-yaml reads the first
// document, and a merge key after an explicit key losing where go-yaml lets it win. So the `yaml` package only
// parses here (failsafe schema: every scalar is its text) and the resolution below follows go-yaml's rules.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments, Scalar } from 'yaml';

import { goTrimSpace } from './go-values.ts';

/** The input is not valid (Go fails too: `invalid`) or Go's result cannot be reproduced exactly (`unsupported`). */
export class Yaml11Error extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'unsupported',
  ) {
    super(message);
    this.name = 'Yaml11Error';
  }
}

const TAG = 'tag:yaml.org,2002:';

type Resolved =
  | { readonly tag: 'null'; readonly value: null }
  | { readonly tag: 'bool'; readonly value: boolean }
  | { readonly tag: 'str'; readonly value: string }
  | { readonly tag: 'int'; readonly value: bigint }
  | { readonly tag: 'float'; readonly value: number }
  | { readonly tag: 'merge'; readonly value: string };

const WORDS = new Map<string, Resolved>();
const word = (r: Resolved, ...spellings: string[]): void => spellings.forEach((s) => WORDS.set(s, r));
word({ tag: 'bool', value: true }, 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON');
word({ tag: 'bool', value: false }, 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF');
word({ tag: 'null', value: null }, '', '~', 'null', 'Null', 'NULL');
word({ tag: 'float', value: Number.NaN }, '.nan', '.NaN', '.NAN');
word({ tag: 'float', value: Number.POSITIVE_INFINITY }, '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF');
word({ tag: 'float', value: Number.NEGATIVE_INFINITY }, '-.inf', '-.Inf', '-.INF');
word({ tag: 'merge', value: '<<' }, '<<');

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt/ParseUint with base 0 (sign, 0x/0o/0b/leading-0 prefixes), or undefined when it fails. */
const parseGoInteger = (text: string, signed: boolean): bigint | undefined => {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return undefined;
  const [, sign = '', digits = ''] = m;
  if (!signed && sign !== '') return undefined;
  let magnitude: bigint;
  const prefix = digits.slice(0, 2).toLowerCase();
  if (prefix === '0x' || prefix === '0b') magnitude = BigInt(digits.toLowerCase());
  else if (prefix === '0o') magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = sign === '-' ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return undefined;
  return value;
};

// go-yaml's yamlStyleFloat; strconv.ParseFloat then accepts every string it matches (overflow aside).
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2's resolve() for a plain scalar (tag "") or one with an explicit core tag. */
const resolveScalar = (text: string, explicitTag: string | undefined): Resolved => {
  const tag = explicitTag ?? '';
  const first = text[0];
  const hint = first === undefined ? 'N' : /[+-]/.test(first) ? 'S' : /[0-9]/.test(first) ? 'D' : /[yYnNtTfFoO~]/.test(first) ? 'M' : first === '.' ? '.' : '';
  if (hint !== '' && tag !== 'str') {
    const known = WORDS.get(text);
    if (known !== undefined) return known;
    if (hint === '.') {
      // strconv.ParseFloat of a string starting with "." accepts exactly the yamlStyleFloat shapes.
      if (YAML_FLOAT.test(text)) {
        const f = Number(text);
        if (Number.isFinite(f)) return { tag: 'float', value: f };
      }
    } else if (hint === 'S' || hint === 'D') {
      // Timestamps (YYYY-…) resolve to a timestamp, which decodes into interface{} as the original string: that
      // is what falling through to "str" gives, and no timestamp shape parses as a number below.
      const plain = text.replaceAll('_', '');
      const signed = parseGoInteger(plain, true);
      if (signed !== undefined) return { tag: 'int', value: signed };
      const unsigned = parseGoInteger(plain, false);
      if (unsigned !== undefined) return { tag: 'int', value: unsigned };
      if (YAML_FLOAT.test(plain)) {
        const f = Number(plain);
        // ParseFloat reports overflow as an error, and go-yaml then keeps the text as a string.
        if (Number.isFinite(f)) return { tag: 'float', value: f };
      }
      // (go-yaml's separate 0b / -0b branches accept nothing that ParseInt with base 0 has not accepted above.)
    }
  }
  return { tag: 'str', value: text };
};

/** A scalar node → its Go value (as decoded into interface{}); throws Yaml11Error. */
const scalarValue = (node: Scalar, where: string): Resolved => {
  const text = typeof node.value === 'string' ? node.value : node.value === null || node.value === undefined ? '' : String(node.value);
  const plain = node.type === Scalar.PLAIN || node.type === undefined;
  const explicit = node.tag;
  if (explicit === undefined) return plain ? resolveScalar(text, undefined) : { tag: 'str', value: text };
  if (!explicit.startsWith(TAG)) throw new Yaml11Error(`${where}: tag ${explicit} is not resolved offline`, 'unsupported');
  const short = explicit.slice(TAG.length);
  if (short === 'str') return { tag: 'str', value: text };
  if (short === 'binary') return { tag: 'str', value: decodeBinary(text, where) };
  if (short !== 'int' && short !== 'float' && short !== 'bool' && short !== 'null') throw new Yaml11Error(`${where}: tag !!${short} is not resolved offline`, 'unsupported');
  const r = resolveScalar(text, short);
  if (r.tag === short) return r;
  // go-yaml accepts an integer where !!float was asked for, as a float.
  if (short === 'float' && r.tag === 'int') return { tag: 'float', value: Number(r.value) };
  throw new Yaml11Error(`${where}: cannot decode !!${r.tag} \`${text}\` as a !!${short}`, 'invalid');
};

/** base64.StdEncoding.DecodeString after go-yaml; the bytes must be UTF-8 (json.Marshal would replace the rest). */
const decodeBinary = (text: string, where: string): string => {
  // Go's decoder skips \r and \n only; padding is required.
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(compact) || /=[^=]/.test(compact)) {
    throw new Yaml11Error(`${where}: !!binary value contains invalid base64 data`, 'invalid');
  }
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Yaml11Error(`${where}: !!binary value is not UTF-8 text; Go would replace its bytes`, 'unsupported');
  }
};

/** strconv.FormatFloat(f, 'g', -1, 32), the way convertToJSONableObject names a float key. */
const formatFloatKey = (f: number): string => {
  if (Number.isNaN(f)) return '.nan';
  const f32 = Math.fround(f);
  if (f32 === Number.POSITIVE_INFINITY) return '.inf';
  if (f32 === Number.NEGATIVE_INFINITY) return '-.inf';
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  // The shortest decimal that reads back as the same float32.
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const candidate = Math.abs(f32).toExponential(p - 1);
    if (Math.fround(Number(candidate)) === Math.abs(f32)) {
      const [mantissa = '', e = '0'] = candidate.split('e');
      digits = mantissa.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  const sign = f32 < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.padEnd(exp + 1, '0');
  const int = whole.slice(0, exp + 1);
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac.length > 0 ? `.${frac}` : ''}`;
};

// Two phases, as in Go. Decoding (go-yaml into interface{}) fails eagerly on bad tags, collection keys, unknown
// anchors and bad merges, and keeps only the last value of a repeated key. Converting (convertToJSONableObject and
// json.Marshal) then sees only what is left: a nil key or a NaN that a later duplicate key replaced never fails.

/** go-yaml's decoded value: maps keyed by the Go identity of each key (type and value), last one winning. */
type GoTree =
  | { readonly kind: 'scalar'; readonly value: Resolved }
  | { readonly kind: 'seq'; readonly items: readonly GoTree[] }
  | { readonly kind: 'map'; readonly entries: Map<string, { readonly key: Resolved; readonly value: GoTree }> };

let nanKeys = 0;

/** A key's identity as a Go map key: NaN is never equal to itself, so every NaN key is its own entry. */
const identityOf = (r: Resolved): string => {
  if (r.tag === 'float') return Number.isNaN(r.value) ? `f:NaN:${nanKeys++}` : `f:${Object.is(r.value, -0) ? 0 : r.value}`;
  if (r.tag === 'null') return 'n';
  return `${r.tag === 'merge' ? 'str' : r.tag}:${String(r.value)}`;
};

/** libyaml's anchor and alias names; the yaml package takes any run of non-space, non-flow characters. */
const ANCHOR_NAME = /^[A-Za-z0-9_-]+$/;

/** The first `&name` / `*name` in the text whose name libyaml would end early, if any. */
const oddAnchorName = (text: string): string | undefined => {
  for (const m of text.matchAll(/(?:^|[\s[\]{},])[&*]([^\s[\]{},]+)/g)) {
    const name = m[1] ?? '';
    if (!ANCHOR_NAME.test(name)) return name;
  }
  return undefined;
};

const checkAnchorName = (node: unknown, where: string): void => {
  const name = isAlias(node) ? node.source : (node as { anchor?: string } | null | undefined)?.anchor;
  if (name !== undefined && !ANCHOR_NAME.test(name)) {
    throw new Yaml11Error(`${where}: anchor or alias name ${JSON.stringify(name)}: libyaml stops names at the first character outside [A-Za-z0-9_-]`, 'unsupported');
  }
};

class Decoder {
  private readonly active = new Set<Node>();

  constructor(private readonly doc: Document) {}

  decode(node: unknown, where: string): GoTree {
    if (node === null || node === undefined) return { kind: 'scalar', value: { tag: 'null', value: null } };
    checkAnchorName(node, where);
    if (isAlias(node)) return this.decode(this.target(node, where), where);
    if (isScalar(node)) return { kind: 'scalar', value: scalarValue(node, where) };
    if (isSeq(node)) {
      if (node.tag !== undefined) throw new Yaml11Error(`${where}: tag ${node.tag} on a sequence is not resolved offline`, 'unsupported');
      this.active.add(node);
      try {
        return { kind: 'seq', items: node.items.map((item, i) => this.decode(item, `${where}[${i}]`)) };
      } finally {
        this.active.delete(node);
      }
    }
    if (isMap(node)) {
      if (node.tag !== undefined) throw new Yaml11Error(`${where}: tag ${node.tag} on a mapping is not resolved offline`, 'unsupported');
      const entries = new Map<string, { key: Resolved; value: GoTree }>();
      this.fill(node, entries, where);
      return { kind: 'map', entries };
    }
    throw new Yaml11Error(`${where}: unexpected YAML node`, 'invalid');
  }

  private target(alias: Node, where: string): Node {
    if (!isAlias(alias)) return alias;
    const target = alias.resolve(this.doc);
    if (target === undefined) throw new Yaml11Error(`${where}: unknown anchor '${alias.source}' referenced`, 'invalid');
    if (this.active.has(target)) throw new Yaml11Error(`${where}: anchor '${alias.source}' value contains itself`, 'invalid');
    return target;
  }

  /** go-yaml's mapping(): pairs in order, a later pair (or merge) overwriting an earlier value of the same key. */
  private fill(node: Node, entries: Map<string, { key: Resolved; value: GoTree }>, where: string): void {
    if (!isMap(node)) throw new Yaml11Error(`${where}: map merge requires map or sequence of maps as the value`, 'invalid');
    this.active.add(node);
    try {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (isScalar(keyNode) && (keyNode.type === Scalar.PLAIN || keyNode.type === undefined) && keyNode.value === '<<' && keyNode.tag === undefined) {
          this.merge(pair.value, entries, where);
          continue;
        }
        // libyaml rejects a ":" with no key in front ("did not find expected key") unless "?" made the key explicit;
        // the yaml package reads a null key either way.
        const emptyKey = keyNode === null || keyNode === undefined || (isScalar(keyNode) && keyNode.value === '' && keyNode.tag === undefined && keyNode.range?.[0] === keyNode.range?.[1]);
        const explicit = pair.srcToken !== undefined && 'start' in pair.srcToken && pair.srcToken.start.some((t) => t.type === 'explicit-key-ind');
        if (emptyKey && !explicit) throw new Yaml11Error(`${where}: did not find expected key`, 'invalid');
        checkAnchorName(keyNode, where);
        const resolvedKey = isAlias(keyNode) ? this.target(keyNode, where) : keyNode;
        if (resolvedKey !== null && resolvedKey !== undefined && !isScalar(resolvedKey)) throw new Yaml11Error(`${where}: invalid map key (a ${isMap(resolvedKey) ? 'map' : 'list'})`, 'invalid');
        const key: Resolved = resolvedKey === null || resolvedKey === undefined ? { tag: 'null', value: null } : scalarValue(resolvedKey, `${where} key`);
        const value = this.decode(pair.value, `${where}.${String(key.value)}`);
        const identity = identityOf(key);
        // Map insertion order is irrelevant (JSON keys come out sorted), so re-setting in place is fine.
        entries.set(identity, { key, value });
      }
    } finally {
      this.active.delete(node);
    }
  }

  private merge(value: unknown, entries: Map<string, { key: Resolved; value: GoTree }>, where: string): void {
    const node = isAlias(value) ? this.target(value, where) : value;
    if (isSeq(node)) {
      // Earlier maps of the list take precedence, so they are applied last.
      for (const item of [...node.items].reverse()) this.fill(isAlias(item) ? this.target(item, where) : (item as Node), entries, where);
      return;
    }
    this.fill(node as Node, entries, where);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON key convertToJSONableObject makes of a go-yaml key; throws for the key types it refuses. */
const jsonKey = (r: Resolved, where: string): string => {
  switch (r.tag) {
    case 'str':
    case 'merge':
      return r.value;
    case 'bool':
      return String(r.value);
    case 'int':
      // go-yaml hands out int (64-bit) or, beyond int64, uint64 — which convertToJSONableObject refuses as a key.
      if (r.value > INT64_MAX) throw new Yaml11Error(`${where}: unsupported map key of type uint64: ${r.value}`, 'invalid');
      return r.value.toString();
    case 'float':
      return formatFloatKey(r.value);
    case 'null':
      throw new Yaml11Error(`${where}: unsupported map key of type <nil>`, 'invalid');
  }
};

/**
 * convertToJSONableObject + json.Marshal. Throws what makes Go fail whatever its map order (a nil or uint64 key
 * anywhere, a NaN or infinity that survives); collects what we cannot reproduce. `random`: this value sits under a
 * JSON key two Go keys compete for, so whether it survives into json.Marshal depends on Go's map order.
 */
const toJson = (tree: GoTree, where: string, refusals: string[], random = false): Json => {
  if (tree.kind === 'seq') return tree.items.map((item, i) => toJson(item, `${where}[${i}]`, refusals, random));
  if (tree.kind === 'map') {
    const keyed = [...tree.entries].map(([identity, { key, value }]) => ({ identity, json: jsonKey(key, where), value }));
    const owners = new Map<string, string[]>();
    for (const e of keyed) owners.set(e.json, [...(owners.get(e.json) ?? []), e.identity]);
    const out: { [key: string]: Json } = {};
    for (const e of keyed) {
      const competing = (owners.get(e.json) ?? []).length > 1;
      // Two different Go keys (1 and "1", on and "true") both become this JSON key; which one wins depends on
      // Go's map iteration order, so nothing exact can be said.
      if (competing) refusals.push(`${where}: keys ${(owners.get(e.json) ?? []).join(' and ')} both become ${JSON.stringify(e.json)}; Go's result is random`);
      out[e.json] = toJson(e.value, `${where}.${e.json}`, refusals, random || competing);
    }
    return out;
  }
  const r = tree.value;
  switch (r.tag) {
    case 'null':
      return null;
    case 'bool':
    case 'str':
    case 'merge':
      return r.value;
    case 'int':
      if (r.value > BigInt(Number.MAX_SAFE_INTEGER) || r.value < BigInt(Number.MIN_SAFE_INTEGER)) {
        refusals.push(`${where}: integer ${r.value} is beyond 2^53; Go keeps it exact, JavaScript cannot`);
      }
      return Number(r.value);
    case 'float':
      if (!Number.isFinite(r.value)) {
        if (random) refusals.push(`${where}: ${r.value} under competing keys`);
        else throw new Yaml11Error(`${where}: json: unsupported value: ${r.value}`, 'invalid');
      }
      return r.value;
  }
};

/**
 * sigs.k8s.io/yaml.YAMLToJSON of `text`, as a parsed JSON value: YAML 1.1 booleans (yes/no/on/off/y/n), go-yaml's
 * integers (0x1F, 0o17, 017, 1_000) and floats (1e3, .5), timestamps kept as strings, only the first document,
 * later duplicate keys winning, non-string keys turned into strings. Throws Yaml11Error.
 */
export const yamlToJson11 = (text: string): unknown => {
  const docs = parseAllDocuments(text, { version: '1.1', schema: 'failsafe', uniqueKeys: false, merge: false, keepSourceTokens: true });
  const first = Array.isArray(docs) ? docs[0] : undefined;
  if (first === undefined) return null;
  const error = first.errors[0];
  if (error !== undefined) {
    // `*a: b` is the alias `a` and a key indicator to libyaml, but an alias named `a:` to the yaml package.
    const odd = oddAnchorName(text);
    if (odd !== undefined) throw new Yaml11Error(`anchor or alias name ${JSON.stringify(odd)}: libyaml stops names at the first character outside [A-Za-z0-9_-]`, 'unsupported');
    throw new Yaml11Error(`invalid YAML: ${error.message}`, 'invalid');
  }
  const tree = new Decoder(first).decode(first.contents, '.');
  // Any failure of Go's conversion wins over our refusals: Go fails whatever its map order.
  const refusals: string[] = [];
  const json = toJson(tree, '.', refusals);
  if (refusals.length > 0) throw new Yaml11Error(refusals[0] ?? '', 'unsupported');
  return json;
};

/**
 * Argo CD's ConvertYAMLToJSON as applied to a rendered templatePatch: text that starts with "{" (after white
 * space) is read as JSON, as it is; anything else as YAML 1.1 (yamlToJson11). Throws Yaml11Error.
 */
export const templatePatchToJson = (text: string): unknown => {
  if (goTrimSpace(text).startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Yaml11Error(`templatePatch starts with "{" and is read as JSON: ${(error as Error).message}`, 'invalid');
    }
  }
  return yamlToJson11(text);
};
