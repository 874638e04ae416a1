// The root of this repository's tooling (the folder holding scripts/, tools/, node_modules/), for modules that read
// committed data files next to their source. `import.meta.dirname` alone is not enough: in the compiled CLI
// (bin/build-cli.mjs bundles every module into .cache/cli/<key>/) a module no longer sits next to its data.
import { join, resolve } from 'node:path';

/**
 * Set to "1" at build time by bin/build-cli.mjs (esbuild `define`); unset when running from source (tsx, vitest).
 * Bundled chunks live in <root>/.cache/cli/<key>/, source modules in <root>/scripts/lib/.
 */
const BUNDLED = process.env.STREAMFLEET_BUNDLED === '1';

export const TOOL_ROOT: string = BUNDLED ? resolve(import.meta.dirname, '..', '..', '..') : resolve(import.meta.dirname, '..', '..');

/** A committed file or folder of the tooling, by its path from the root (`scripts/argocd/health-kinds.json`). */
export const toolPath = (...segments: string[]): string => join(TOOL_ROOT, ...segments);
