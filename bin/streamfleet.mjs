#!/usr/bin/env node
// @ts-check
// `pnpm <command>` runs this: it loads the compiled CLI (bin/build-cli.mjs), building it first when scripts/ changed,
// and hands it the arguments. `pnpm dev <command>` runs the TypeScript sources with tsx instead.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-cli.mjs';

/** EX_SOFTWARE, as scripts/lib/exit-codes.ts `Crash`: sources that do not compile are a bug, not bad input. */
const CRASH = 70;

const build = async (/** @type {boolean} */ announce) => {
  try {
    return await ensureBuilt({
      onBuild: () => {
        if (announce && process.stderr.isTTY) process.stderr.write('compiling the CLI (scripts changed since the last build)…\n');
      },
    });
  } catch (e) {
    // esbuild has printed the compile errors (file:line) already.
    process.stderr.write(`cannot compile the CLI from scripts/: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    process.exit(CRASH);
  }
};

const args = process.argv.slice(2);
if (args[0] === 'build') {
  // `node bin/streamfleet.mjs build` (the `prepare` script): build now, so the first command does not wait.
  await build(false);
} else {
  /** @type {{ run: (argv: string[]) => void }} */
  const cli = await import(pathToFileURL(await build(true)).href);
  cli.run(args);
}
