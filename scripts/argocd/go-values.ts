// How Go's text/template sees the parameters of an ApplicationSet generator. Argo CD decodes every list element
// with encoding/json into map[string]interface{}, so numbers are float64, objects are maps, arrays are slices.
// These helpers reproduce what Go prints and what Go counts as true for exactly those types.

/** A parsed YAML/JSON value as the generator hands it to the template. */
export type GoValue = null | boolean | number | string | readonly GoValue[] | { readonly [key: string]: GoValue };

export const isGoMap = (v: unknown): v is { readonly [key: string]: GoValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's type name for a value, as it appears in text/template error messages. */
export const goTypeName = (v: unknown): string => {
  if (v === null || v === undefined) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
};

/**
 * Go's `truth`: false, 0, "", nil and empty slices/maps are false; everything else is true.
 * `undefined` stands for a missing key (an invalid reflect.Value), which Go also treats as false.
 */
export const goTruth = (v: GoValue | undefined): boolean => {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
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
