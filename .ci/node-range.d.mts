// Types of .ci/node-range.mjs for the tests (the script itself is plain JavaScript: it runs before `pnpm install`).
/** Whether a version (`v20.1.0`, `24`) is inside an engines-style range; undefined when either cannot be read. */
export declare const satisfies: (version: string, range: string) => boolean | undefined;
