// @ts-check
// Compiles the CLI (scripts/cli/streamfleet.ts and everything it loads) into one esbuild bundle under
// .cache/cli/<key>/, where <key> hashes every input of the bundle. Why a bundle: started through tsx, every command
// spent ~3 s compiling TypeScript before printing anything; the bundle starts in ~0.1 s (help, usage errors) and loads a
// command's whole module graph, node_modules included, in ~0.2 s (`pnpm bench` measures both).
// Why keyed by content and built on demand: the tool lives in the repository it generates, so anyone may edit
// scripts/ or switch branches; a stale bundle would run old code. Hashing the sources (~10 ms) decides; a changed
// source rebuilds once (~0.7 s) and every later run reuses the bundle. Plain JavaScript: it runs before any build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const ENTRY = 'scripts/cli/streamfleet.ts';
export const CACHE_DIR = join(ROOT, '.cache', 'cli');
/** Builds older than this are pruned when a new one is made (a running command may still load chunks of its own). */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/** Every file under `dir` whose name ends in one of `extensions`, sorted, relative to ROOT. */
const filesUnder = (/** @type {string} */ dir, /** @type {string[]} */ extensions) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();

/**
 * The inputs of the bundle: the sources it compiles, the dependency versions it bundles (the lockfile), and this
 * builder. The hash of their paths and contents names the build.
 */
export const sourceKey = () => {
  const hash = createHash('sha256');
  const inputs = [...filesUnder('scripts', ['.ts', '.json']), 'package.json', 'pnpm-lock.yaml', 'bin/build-cli.mjs'];
  for (const file of inputs) {
    const path = join(ROOT, file);
    if (!existsSync(path)) continue;
    hash.update(`${file}\0`).update(readFileSync(path)).update('\0');
  }
  hash.update(process.version.split('.')[0] ?? '');
  return hash.digest('hex').slice(0, 16);
};

/** Remove other builds older than PRUNE_AFTER_MS, and abandoned temp folders; best effort. */
const prune = (/** @type {string} */ keep) => {
  for (const name of readdirSync(CACHE_DIR)) {
    if (name === keep) continue;
    const path = join(CACHE_DIR, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another process pruned it first
    }
  }
};

/**
 * The path of the bundle's entry for the current sources, building it first when there is none. Concurrent callers
 * each build into their own temp folder and rename it into place; the loser discards its copy.
 */
export const ensureBuilt = async (/** @type {{ onBuild?: () => void }} */ options = {}) => {
  const key = sourceKey();
  const dir = join(CACHE_DIR, key);
  const entry = join(dir, 'streamfleet.js');
  if (existsSync(entry)) return entry;
  options.onBuild?.();
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = join(CACHE_DIR, `${key}.tmp-${process.pid}-${Date.now()}`);
  const { build } = await import('esbuild');
  await build({
    entryPoints: { streamfleet: join(ROOT, ENTRY) },
    bundle: true,
    // Each command in its own chunk: `pnpm fleet` does not load the code of `pnpm validate`.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    outdir: temp,
    // Tells scripts/lib/tool-root.ts where the chunks live relative to the repository.
    define: { 'process.env.STREAMFLEET_BUNDLED': '"1"' },
    // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __streamfleetRequire } from 'node:module'; const require = __streamfleetRequire(import.meta.url);" },
    logLevel: 'error',
  });
  try {
    renameSync(temp, dir);
  } catch {
    // Another process finished the same build first: use its copy.
    rmSync(temp, { recursive: true, force: true });
  }
  prune(key);
  return entry;
};
