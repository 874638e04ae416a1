// How Go's text/template sees the parameters of an ApplicationSet generator. Argo CD decodes every list element
// with encoding/json into map[string]interface{}, so numbers are float64, objects are maps, arrays are slices.
// These helpers reproduce what Go prints (fmt), quotes (strconv), encodes (encoding/json) and counts as true for
// exactly those types, plus Go's `int` (template number literals, len, range indexes), modelled as a bigint.

/** A parsed YAML/JSON value as the generator hands it to the template. */
export type GoValue = null | boolean | number | string | readonly GoValue[] | { readonly [key: string]: GoValue };

/**
 * A value during template execution: a parameter value, a Go `int` (bigint), or `undefined` for Go's invalid
 * reflect.Value (a missing key). `null` is a nil interface{} (a JSON null, a missing key under missingkey=zero).
 */
export type GoRuntimeValue = GoValue | bigint | undefined;

export const isGoMap = (v: unknown): v is { readonly [key: string]: GoValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's type name for a value, as it appears in text/template error messages. */
export const goTypeName = (v: unknown): string => {
  if (v === null || v === undefined) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
};

/**
 * Go's `truth`: false, 0, "", nil and empty slices/maps are false; everything else is true.
 * `undefined` stands for a missing key (an invalid reflect.Value), which Go also treats as false.
 */
export const goTruth = (v: GoRuntimeValue): boolean => {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
};

/**
 * `fmt.Sprint(float64)`: strconv 'g' with the shortest precision, which switches to an exponent from 1e+06 up
 * and below 1e-04 — so a replica count of 1000000 prints `1e+06`, a well-known goTemplate surprise.
 */
export const formatGoFloat = (n: number): string => {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // JavaScript prints these magnitudes without an exponent and with the same shortest digits as Go.
  return String(n);
};

/** Go's string order (byte-wise UTF-8), which differs from JavaScript's UTF-16 order above U+FFFF. */
export const compareGoStrings = (a: string, b: string): number => {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
};

/** A map's keys in the order Go's fmt, encoding/json and text/template's range visit them. */
export const goSortedKeys = (m: { readonly [key: string]: unknown }): string[] => Object.keys(m).sort(compareGoStrings);

/** `fmt.Sprint` of one value (the %v verb) for the types a template can hold. */
export const formatGoValue = (v: GoRuntimeValue, nested = false): string => {
  if (v === undefined) return nested ? '<nil>' : '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map((x: GoValue) => formatGoValue(x, true)).join(' ')}]`;
  const m = v as { readonly [key: string]: GoValue };
  return `map[${goSortedKeys(m).map((k) => `${k}:${formatGoValue(m[k] ?? null, true)}`).join(' ')}]`;
};

// unicode.IsSpace: the ASCII white space plus U+0085, U+00A0 and the Unicode White_Space characters.
const GO_SPACE = '\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** strings.TrimSpace (JavaScript's trim also removes U+FEFF and keeps U+0085). */
export const goTrimSpace = (s: string): string => {
  let start = 0;
  let end = s.length;
  while (start < end && GO_SPACE.includes(s[start] ?? '')) start++;
  while (end > start && GO_SPACE.includes(s[end - 1] ?? '')) end--;
  return s.slice(start, end);
};

/** True when the string holds an unpaired surrogate, which Go strings (UTF-8) cannot. */
export const hasLoneSurrogate = (s: string): boolean => /\p{Surrogate}/u.test(s);

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.Quote: Go's double-quoted form, escaping what strconv.IsPrint rejects. */
export const goQuote = (s: string): string => {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp === 0x20 || (cp > 0x20 && cp < 0x7f) || (cp > 0x7f && PRINTABLE.test(ch))) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
};

/** encoding/json's string form: HTML-safe (<, >, & escaped), U+2028/2029 escaped, lower-case hex. */
const jsonString = (s: string): string => {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
};

/** Why json.Marshal's output for `v` cannot be reproduced exactly, or undefined when it can. */
export const goJsonUnsupported = (v: GoRuntimeValue): string | undefined => {
  if (typeof v === 'string') {
    // Go 1.22 started writing \b and \f as short escapes; the Go version decides, so we do not.
    if (/[\b\f]/.test(v)) return 'a string with \\b or \\f (encoded differently by Go versions)';
    if (hasLoneSurrogate(v)) return 'a string with an unpaired surrogate';
    return undefined;
  }
  if (Array.isArray(v)) {
    for (const x of v as readonly GoValue[]) {
      const why = goJsonUnsupported(x);
      if (why !== undefined) return why;
    }
    return undefined;
  }
  if (isGoMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      const why = goJsonUnsupported(k) ?? goJsonUnsupported(x);
      if (why !== undefined) return why;
    }
  }
  return undefined;
};

/**
 * json.Marshal of a template value (sprig's toJson): keys sorted, HTML-safe strings, floats in the shortest form
 * (JavaScript's number formatting has the same thresholds and spelling), -0 kept. Returns undefined where Go's
 * Marshal fails (NaN, ±Inf), which sprig's toJson turns into "". Check goJsonUnsupported first.
 */
export const goJsonMarshal = (v: GoRuntimeValue): string | undefined => {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    return Object.is(v, -0) ? '-0' : String(v);
  }
  const parts: string[] = [];
  if (Array.isArray(v)) {
    for (const x of v as readonly GoValue[]) {
      const s = goJsonMarshal(x);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return `[${parts.join(',')}]`;
  }
  const m = v as { readonly [key: string]: GoValue };
  for (const k of goSortedKeys(m)) {
    const s = goJsonMarshal(m[k] ?? null);
    if (s === undefined) return undefined;
    parts.push(`${jsonString(k)}:${s}`);
  }
  return `{${parts.join(',')}}`;
};
