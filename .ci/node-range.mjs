// Whether Node versions are inside package.json's `engines.node`: `node .ci/node-range.mjs [VERSION...] [--range RANGE]`
// (default: the running Node). One line per version ("inside/OUTSIDE the supported range ..."); exit 0 all inside,
// 1 any outside, 2 bad input.
// Plain JavaScript with no dependencies: .ci/run calls it before `pnpm install`, on whatever Node the machine has
// (Node 20 runs the checks, outside the range, and the banner says so). Understands the subset of npm's range
// syntax that engines fields use: `||` alternatives of space-separated comparators `^X.Y.Z`, `~X.Y.Z`, `>=`, `>`,
// `<=`, `<`, `=` or a bare version; a partial version is an X-range (`>= 20` is `>=20.0.0`, `<= 20` is `<21.0.0`).
// Checked: npm/node-semver @ v7.8.6 : README.md ("X-Ranges": a partial version is an X-range; "Tilde Ranges";
// "Caret Ranges").
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const parseVersion = (text) => {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) return undefined;
  const given = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], given };
};

const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The first version after a partial one (`20` → 21.0.0, `22.12` → 22.13.0): partial versions are X-ranges. */
const after = ({ v, given }) => (given === 1 ? [v[0] + 1, 0, 0] : given === 2 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1]);

/** One comparator as a predicate, or undefined when it is not understood. */
const comparator = (token) => {
  const m = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(token);
  const p = m === null ? undefined : parseVersion(m[2]);
  if (m === null || p === undefined) return undefined;
  const { v } = p;
  switch (m[1]) {
    case '^':
      // ^X.Y.Z with X > 0: >=X.Y.Z <(X+1).0.0 (every range in use has a non-zero major).
      return (x) => compare(x, v) >= 0 && x[0] === v[0];
    case '~':
      return (x) => compare(x, v) >= 0 && x[0] === v[0] && (p.given === 1 || x[1] === v[1]);
    case '>=':
      return (x) => compare(x, v) >= 0;
    case '>':
      return (x) => compare(x, after(p)) >= 0;
    case '<=':
      return (x) => compare(x, after(p)) < 0;
    case '<':
      return (x) => compare(x, v) < 0;
    default:
      return (x) => compare(x, v) >= 0 && compare(x, after(p)) < 0;
  }
};

/** The range as a predicate over [major, minor, patch], or undefined when any part is not understood. */
const parseRange = (range) => {
  const alternatives = range.split('||').map((alt) =>
    alt
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter((t) => t !== '')
      .map(comparator),
  );
  if (alternatives.some((alt) => alt.length === 0 || alt.includes(undefined))) return undefined;
  return (x) => alternatives.some((alt) => alt.every((c) => c(x)));
};

/** Whether a version (`v20.1.0`, `24`) is inside a range; undefined when either cannot be read. */
export const satisfies = (version, range) => {
  const v = parseVersion(version);
  const r = parseRange(range);
  return v === undefined || r === undefined ? undefined : r(v.v);
};

const main = (argv) => {
  const i = argv.indexOf('--range');
  let range = i === -1 ? undefined : argv[i + 1];
  const source = range === undefined ? 'package.json engines' : '--range';
  const rest = i === -1 ? argv : [...argv.slice(0, i), ...argv.slice(i + 2)];
  const versionTexts = rest.length > 0 ? rest : [process.version];
  if (range === undefined) {
    const manifest = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
    range = JSON.parse(readFileSync(manifest, 'utf8')).engines?.node;
    if (typeof range !== 'string') {
      console.log('package.json has no engines.node: add the supported Node range there');
      return 2;
    }
  }
  const inRange = parseRange(range);
  const versions = versionTexts.map(parseVersion);
  const bad = versionTexts.find((_, k) => versions[k] === undefined);
  if (bad !== undefined || inRange === undefined) {
    console.log(`cannot read ${bad !== undefined ? `the version "${bad}"` : `the range "${range}"`}: use X.Y.Z and ^, ~, >=, >, <=, <`);
    return 2;
  }
  let outside = 0;
  for (const version of versions) {
    const v = `v${version.v.join('.')}`;
    if (inRange(version.v)) console.log(`${v} is inside the supported range ${range} (${source})`);
    else {
      outside += 1;
      console.log(`${v} is OUTSIDE the supported range ${range} (${source})`);
    }
  }
  return outside === 0 ? 0 : 1;
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
