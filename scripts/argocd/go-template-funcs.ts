// The template functions an ApplicationSet can call, and the ones we evaluate offline. Argo CD's function map
// (argoproj/argo-cd@v3.4.4 applicationset/utils/utils.go:31-51) is text/template's builtins plus
// sprig.GenericFuncMap() (sprig v3.3.0 functions.go genericMap) minus env, expandenv and getHostByName, plus
// normalize, slugify, toYaml, fromYaml and fromYamlArray. A name outside that map is a Go parse error; a name in
// it but not in FUNCTIONS below is refused. Each function below is compared with Go by
// tests/argocd/go-differential.test.ts; where a result depends on input we do not reproduce exactly (non-ASCII case
// mapping, a cut inside a UTF-8 sequence, printf flags) the call is refused at run time.
import { compareGoStrings, formatGoValue, type GoRuntimeValue, goJsonMarshal, goJsonUnsupported, goQuote, goTrimSpace, goTypeName, isGoMap, type GoValue, goTruth } from './go-values.ts';

const BUILTINS = ['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne'];

// sprig v3.3.0 genericMap keys.
const SPRIG = (
  'abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt ' +
  'biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains date dateInZone dateModify ' +
  'date_in_zone date_modify decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration ' +
  'durationRound empty encryptAES env expandenv ext fail first float64 floor fromJson genCA genCAWithKey genPrivateKey ' +
  'genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get getHostByName has hasKey hasPrefix ' +
  'hasSuffix hello htmlDate htmlDateInZone htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs ' +
  'kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact ' +
  'mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite ' +
  'mustPrepend mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral ' +
  'mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq ' +
  'mustWithout must_date_modify nindent nospace now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend ' +
  'quote randAlpha randAlphaNum randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch ' +
  'regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver ' +
  'semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote ' +
  'sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings trim ' +
  'trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset until untilStep ' +
  'untitle upper urlJoin urlParse uuidv4 values without wrap wrapWith'
).split(' ');

/** Every function name an Argo CD v3.4.4 ApplicationSet template may use. */
export const ARGO_FUNCTIONS: ReadonlySet<string> = new Set([
  ...BUILTINS,
  ...SPRIG.filter((n) => n !== 'env' && n !== 'expandenv' && n !== 'getHostByName'),
  'normalize',
  'slugify',
  'toYaml',
  'fromYaml',
  'fromYamlArray',
]);

/**
 * How text/template converts an argument for a parameter: `string`, `int`, `bool` must match exactly; `any` is
 * interface{} (a missing value becomes nil); `value` is reflect.Value, the builtins' parameter type, which also
 * carries a missing value through.
 */
export type ParamType = 'string' | 'int' | 'bool' | 'any' | 'value';

/** A failure Go reports as "error calling <name>: <message>". */
export class GoCallError extends Error {}

/** A call whose Go result we do not reproduce for these arguments. */
export class GoCallUnsupported extends Error {
  constructor(readonly construct: string) {
    super(construct);
  }
}

export interface GoFunction {
  readonly params: readonly ParamType[];
  /** Type of each argument after the fixed ones, for variadic functions. */
  readonly variadic?: ParamType;
  readonly call: (args: readonly GoRuntimeValue[]) => GoRuntimeValue;
}

const str = (v: GoRuntimeValue): string => v as string;

/** sprig's strval: the string itself, anything else as fmt's %v. */
const strval = (v: GoRuntimeValue): string => (typeof v === 'string' ? v : formatGoValue(v, true));

/** sprig's empty: nil, false, 0, "" and empty lists and maps. */
const empty = (v: GoRuntimeValue): boolean => !goTruth(v);

const isInvalid = (v: GoRuntimeValue): boolean => v === undefined || v === null;

type Kind = 'bool' | 'int' | 'float' | 'string';

const basicKind = (v: GoRuntimeValue, fn: string): Kind => {
  if (isInvalid(v)) throw new GoCallUnsupported(`${fn} with a missing or nil value (Go versions differ)`);
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  throw new GoCallUnsupported(`${fn} of a ${goTypeName(v)}`);
};

const eq = (args: readonly GoRuntimeValue[]): boolean => {
  const [a, ...rest] = args;
  const k1 = basicKind(a, 'eq');
  if (rest.length === 0) throw new GoCallError('missing argument for comparison');
  for (const b of rest) {
    if (basicKind(b, 'eq') !== k1) throw new GoCallError('incompatible types for comparison');
    if (a === b) return true;
  }
  return false;
};

/** lt's kind check: anything but bool, int, float and string (a missing value too) fails in Go. */
const orderedKind = (v: GoRuntimeValue): Kind => {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  throw new GoCallError('invalid type for comparison');
};

const lt = (a: GoRuntimeValue, b: GoRuntimeValue): boolean => {
  const k1 = orderedKind(a);
  const k2 = orderedKind(b);
  if (k1 !== k2) throw new GoCallError('incompatible types for comparison');
  if (k1 === 'bool') throw new GoCallError('invalid type for comparison');
  if (k1 === 'string') return compareGoStrings(a as string, b as string) < 0;
  return (a as number | bigint) < (b as number | bigint);
};

const index = (args: readonly GoRuntimeValue[]): GoRuntimeValue => {
  let [item] = args;
  if (isInvalid(item)) throw new GoCallError('index of untyped nil');
  for (const i of args.slice(1)) {
    if (item === null || item === undefined) throw new GoCallError('index of nil pointer');
    if (typeof item === 'string') throw new GoCallUnsupported('index of a string (Go returns a byte)');
    if (Array.isArray(item)) {
      if (isInvalid(i)) throw new GoCallError('cannot index slice/array with nil');
      if (typeof i !== 'bigint') throw new GoCallError(`cannot index slice/array with type ${goTypeName(i)}`);
      if (i < 0n || i >= BigInt(item.length)) throw new GoCallError(`index out of range: ${i}`);
      item = (item as readonly GoValue[])[Number(i)] ?? null;
    } else if (isGoMap(item)) {
      if (isInvalid(i)) throw new GoCallError('value is nil; should be of type string');
      if (typeof i !== 'string') throw new GoCallError(`value has type ${goTypeName(i)}; should be string`);
      item = Object.hasOwn(item, i) ? (item[i] ?? null) : null;
    } else {
      throw new GoCallError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
};

const length = (v: GoRuntimeValue): bigint => {
  if (v === undefined) throw new GoCallError('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new GoCallError('len of nil pointer');
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v, 'utf8'));
  if (Array.isArray(v)) return BigInt(v.length);
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new GoCallError(`len of type ${goTypeName(v)}`);
};

/** fmt.Sprint: operands separated by a space when neither side is a string. */
const sprint = (args: readonly GoRuntimeValue[]): string => {
  let out = '';
  let prevString = false;
  for (const [i, a] of args.entries()) {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatGoValue(a ?? null, true);
    prevString = isString;
  }
  return out;
};

/** fmt.Sprintf for %v, %s, %d, %q, %t and %% without flags, width or precision; anything else is refused. */
const sprintf = (format: string, args: readonly GoRuntimeValue[]): string => {
  let out = '';
  let n = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (verb === undefined || !'vsdqt'.includes(verb)) throw new GoCallUnsupported(`printf verb %${verb ?? ''} (only %v %s %d %q %t without flags)`);
    if (n >= args.length) throw new GoCallUnsupported('printf with fewer arguments than verbs');
    const a = args[n++] ?? null;
    const ok = verb === 'v' || ((verb === 's' || verb === 'q') && typeof a === 'string') || (verb === 'd' && typeof a === 'bigint') || (verb === 't' && typeof a === 'boolean');
    if (!ok) throw new GoCallUnsupported(`printf %${verb} of a ${goTypeName(a)}`);
    out += verb === 'q' ? goQuote(a as string) : formatGoValue(a, true);
  }
  if (n < args.length) throw new GoCallUnsupported('printf with more arguments than verbs');
  return out;
};

const ascii = (s: string, fn: string): string => {
  // strings.ToLower/ToUpper use Unicode's simple case mapping of Go's Unicode version; only ASCII is certain.
  if ([...s].some((ch) => ch.charCodeAt(0) > 0x7f)) throw new GoCallUnsupported(`${fn} of non-ASCII text`);
  return s;
};

/** SanitizeName (Argo CD's normalize): lower-case, [^-a-z0-9.] → "-", 253 bytes, "-" and "." trimmed. */
const normalize = (name: string): string => {
  let out = '';
  for (const ch of name) {
    // unicode.ToLower maps only U+0130 (İ) and U+212A (Kelvin sign) from outside ASCII into it.
    const lower = ch === '\u0130' ? 'i' : ch === '\u212a' ? 'k' : ch.length === 1 && ch <= '\x7f' ? ch.toLowerCase() : '';
    out += /^[-a-z0-9.]$/.test(lower) ? lower : '-';
  }
  return out.slice(0, 253).replace(/^[-.]+/, '').replace(/[-.]+$/, '');
};

/** sprig's trunc counts bytes; a cut inside a UTF-8 sequence would leave invalid UTF-8, which we refuse. */
const trunc = (c: bigint, s: string): string => {
  const bytes = Buffer.from(s, 'utf8');
  const n = BigInt(bytes.length);
  let cut: Buffer;
  if (c < 0n && n + c > 0n) cut = bytes.subarray(Number(n + c));
  else if (c >= 0n && n > c) cut = bytes.subarray(0, Number(c));
  else return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(cut);
  } catch {
    throw new GoCallUnsupported('trunc inside a multi-byte character');
  }
};

const indent = (spaces: bigint, v: string): string => {
  if (spaces < 0n) throw new GoCallError('strings: negative Repeat count');
  if (spaces > 100_000n) throw new GoCallUnsupported('indent by more than 100000 spaces');
  const pad = ' '.repeat(Number(spaces));
  return pad + v.replaceAll('\n', `\n${pad}`);
};

const replace = (old: string, replacement: string, src: string): string =>
  // strings.Replace with an empty `old` inserts at every rune boundary (code points, not UTF-16 units).
  old === '' ? replacement + Array.from(src).map((ch) => ch + replacement).join('') : src.split(old).join(replacement);

const toJson = (v: GoRuntimeValue): string => {
  const why = goJsonUnsupported(v);
  if (why !== undefined) throw new GoCallUnsupported(`toJson of ${why}`);
  // sprig's toJson swallows json.Marshal's error (NaN, ±Inf) and returns "".
  return goJsonMarshal(v) ?? '';
};

const f = (params: readonly ParamType[], call: GoFunction['call'], variadic?: ParamType): GoFunction => (variadic !== undefined ? { params, variadic, call } : { params, call });

/** The functions evaluated offline, with text/template's and sprig's Go signatures. */
export const FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  // text/template builtins (and/or are evaluated lazily by the executor).
  ['and', f(['value'], () => undefined, 'value')],
  ['or', f(['value'], () => undefined, 'value')],
  ['not', f(['value'], ([v]) => !goTruth(v))],
  ['eq', f(['value'], (args) => eq(args), 'value')],
  ['ne', f(['value', 'value'], (args) => !eq(args))],
  ['lt', f(['value', 'value'], ([a, b]) => lt(a, b))],
  ['le', f(['value', 'value'], ([a, b]) => lt(a, b) || eq([a, b]))],
  ['gt', f(['value', 'value'], ([a, b]) => !(lt(a, b) || eq([a, b])))],
  ['ge', f(['value', 'value'], ([a, b]) => !lt(a, b))],
  ['index', f(['value'], (args) => index(args), 'value')],
  ['len', f(['value'], ([v]) => length(v))],
  ['print', f([], (args) => sprint(args), 'any')],
  ['println', f([], (args) => `${args.map((a) => formatGoValue(a ?? null, true)).join(' ')}\n`, 'any')],
  ['printf', f(['string'], ([format, ...args]) => sprintf(str(format), args), 'any')],
  // sprig
  ['default', f(['any'], ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 'any')],
  ['empty', f(['any'], ([v]) => empty(v))],
  ['coalesce', f([], (args) => args.find((a) => !empty(a)) ?? null, 'any')],
  ['ternary', f(['any', 'any', 'bool'], ([vt, vf, v]) => (v === true ? vt : vf))],
  ['quote', f([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '), 'any')],
  ['squote', f([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${formatGoValue(a, true)}'`).join(' '), 'any')],
  ['toJson', f(['any'], ([v]) => toJson(v))],
  ['lower', f(['string'], ([s]) => ascii(str(s), 'lower').toLowerCase())],
  ['upper', f(['string'], ([s]) => ascii(str(s), 'upper').toUpperCase())],
  ['trim', f(['string'], ([s]) => goTrimSpace(str(s)))],
  ['trimPrefix', f(['string', 'string'], ([a, b]) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b)))],
  ['trimSuffix', f(['string', 'string'], ([a, b]) => (str(a) !== '' && str(b).endsWith(str(a)) ? str(b).slice(0, -str(a).length) : str(b)))],
  ['hasPrefix', f(['string', 'string'], ([a, b]) => str(b).startsWith(str(a)))],
  ['hasSuffix', f(['string', 'string'], ([a, b]) => str(b).endsWith(str(a)))],
  ['contains', f(['string', 'string'], ([a, b]) => str(b).includes(str(a)))],
  ['replace', f(['string', 'string', 'string'], ([a, b, c]) => replace(str(a), str(b), str(c)))],
  ['trunc', f(['int', 'string'], ([c, s]) => trunc(c as bigint, str(s)))],
  ['indent', f(['int', 'string'], ([n, s]) => indent(n as bigint, str(s)))],
  ['nindent', f(['int', 'string'], ([n, s]) => `\n${indent(n as bigint, str(s))}`)],
  // Argo CD
  ['normalize', f(['string'], ([s]) => normalize(str(s)))],
]);
