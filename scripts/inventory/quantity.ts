// Kubernetes resource quantities ("250m", "1.5Gi", "2e3") as exact numbers, so limits and requests compare
// the way the API server compares them, not as text and not through floating point.
// Checked: kubernetes/apimachinery @ v0.32.0 : pkg/api/resource/quantity.go (grammar in the Quantity doc comment;
// ParseQuantity rounds a non-zero amount up to nano units) and pkg/api/resource/suffix.go (the suffix table).

/** Power of 2 (binary SI) or of 10 (decimal SI) each suffix multiplies by. */
const SUFFIXES: ReadonlyMap<string, { readonly base: 2n | 10n; readonly exponent: number }> = new Map([
  ['Ki', { base: 2n, exponent: 10 }],
  ['Mi', { base: 2n, exponent: 20 }],
  ['Gi', { base: 2n, exponent: 30 }],
  ['Ti', { base: 2n, exponent: 40 }],
  ['Pi', { base: 2n, exponent: 50 }],
  ['Ei', { base: 2n, exponent: 60 }],
  ['n', { base: 10n, exponent: -9 }],
  ['u', { base: 10n, exponent: -6 }],
  ['m', { base: 10n, exponent: -3 }],
  ['', { base: 10n, exponent: 0 }],
  ['k', { base: 10n, exponent: 3 }],
  ['M', { base: 10n, exponent: 6 }],
  ['G', { base: 10n, exponent: 9 }],
  ['T', { base: 10n, exponent: 12 }],
  ['P', { base: 10n, exponent: 15 }],
  ['E', { base: 10n, exponent: 18 }],
]);

// <signedNumber><suffix>, where <number> is `1`, `1.5`, `1.` or `.5` and the suffix may be a decimal exponent.
const QUANTITY_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([eE])([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?))$/;

/** Nano units per unit: the API server keeps nothing finer. */
const NANO = 9;

const ceilDiv = (a: bigint, b: bigint): bigint => {
  // b > 0; rounds towards +infinity, like inf.RoundUp on the magnitude for the positive amounts compared here.
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
};

/**
 * The quantity in nano units (1 = 10^-9 of the unit: 1m cpu = 10^6), rounded up the way ParseQuantity rounds,
 * or undefined when the text is not a quantity. Exact for any size (bigint); the API's 2^63-1 cap is not applied,
 * which only matters for quantities no inventory would hold.
 */
export function parseQuantity(text: string): bigint | undefined {
  const m = QUANTITY_TEXT.exec(text);
  if (m === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentMark, exponentText, suffixText = ''] = m;
  if (whole === '' && fraction === '') return undefined; // "", ".", "Mi": no digits
  // value = digits × 10^-(fraction length) × base^exponent; keep it as numerator / denominator.
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 10n ** BigInt(fraction.length);
  const suffix = exponentMark !== undefined ? { base: 10n, exponent: Number(exponentText) } : SUFFIXES.get(suffixText);
  // An absurd exponent (1e999999) would make a number of a million digits; no resource needs more than 10^±60.
  if (suffix === undefined || Math.abs(suffix.exponent) > 60) return undefined;
  const scale = suffix.base ** BigInt(Math.abs(suffix.exponent));
  if (suffix.exponent >= 0) numerator *= scale;
  else denominator *= scale;
  const nanos = ceilDiv(numerator * 10n ** BigInt(NANO), denominator);
  return sign === '-' ? -nanos : nanos;
}
