// `pnpm diff [--base REF] [--head REF] [--format text|markdown]`: render every Argo CD Application of the
// committed tree at two revisions with real Kustomize and report, per cluster × stack, the objects added,
// changed and removed. Applications whose inputs are identical at both revisions are not rendered.
// Exit codes: 0 ok, 1 the head revision fails to build, 2 bad usage or revision, 5 no Kustomize engine.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { chooseCache } from '../diff/cache-option.ts';
import { diffRevisions } from '../diff/diff-revisions.ts';
import { formatMarkdown, GITHUB_BODY_LIMIT } from '../diff/format-markdown.ts';
import { formatText } from '../diff/format-text.ts';
import { repoTop } from '../diff/git.ts';
import { headFailed } from '../diff/report.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { processIo, type Io } from '../lib/io.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { detectEngine } from '../kustomize/engine.ts';

const USAGE = `usage: pnpm diff [--base REF] [--head REF] [--format text|markdown] [--root DIR]

  --base REF          revision to compare from (default: HEAD~1)
  --head REF          revision to compare to (default: HEAD)
  --format FORMAT     text (default; coloured on a terminal) or markdown (for a PR comment)
  --color WHEN        auto (default), always or never
  --max-chars N       markdown size limit (default: ${GITHUB_BODY_LIMIT}, GitHub's comment limit)
  --root DIR          the repository (default: current directory)
  --cache-dir DIR     build cache folder (default: node_modules/.cache/streamfleet/kustomize or $STREAMFLEET_CACHE_DIR)
  --no-cache          do not read or write the build cache
  -h, --help          show this help`;

interface DiffArgs {
  readonly base: string;
  readonly head: string;
  readonly format: 'text' | 'markdown';
  readonly color: 'auto' | 'always' | 'never';
  readonly maxChars: number;
  readonly root: string;
  readonly cacheDir: string | undefined;
  readonly noCache: boolean;
}

const usageError = (message: string): CliError => new CliError(`${message}\n${USAGE}`, ExitCode.BadInput);

const parse = (argv: string[]): DiffArgs | 'help' => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        base: { type: 'string', default: 'HEAD~1' },
        head: { type: 'string', default: 'HEAD' },
        format: { type: 'string', default: 'text' },
        color: { type: 'string', default: 'auto' },
        'max-chars': { type: 'string' },
        root: { type: 'string' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw usageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return 'help';
  const { format, color } = values;
  if (format !== 'text' && format !== 'markdown') throw usageError(`--format must be text or markdown, got ${JSON.stringify(format)}`);
  if (color !== 'auto' && color !== 'always' && color !== 'never') throw usageError(`--color must be auto, always or never, got ${JSON.stringify(color)}`);
  const maxChars = values['max-chars'] === undefined ? GITHUB_BODY_LIMIT : Number(values['max-chars']);
  if (!Number.isInteger(maxChars) || maxChars < 1000) throw usageError(`--max-chars must be an integer ≥ 1000, got ${values['max-chars']}`);
  for (const [flag, v] of [['--base', values.base], ['--head', values.head]] as const) {
    if (v.length === 0 || v.startsWith('-')) throw usageError(`${flag} needs a revision, got ${JSON.stringify(v)}`);
  }
  return {
    base: values.base,
    head: values.head,
    format,
    color,
    maxChars,
    root: resolve(values.root ?? '.'),
    cacheDir: values['cache-dir'],
    noCache: values['no-cache'],
  };
};

/** Colour on an interactive terminal unless NO_COLOR is set (https://no-color.org). */
const useColor = (when: DiffArgs['color'], io: Io): boolean =>
  when === 'always' || (when === 'auto' && io === processIo && process.stdout.isTTY === true && !process.env.NO_COLOR);

const run = async (argv: string[], io: Io): Promise<number> => {
  const args = parse(argv);
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return ExitCode.Ok;
  }
  const repo = await repoTop(args.root);
  if (repo === undefined) throw new CliError(`${args.root} is not in a git repository`, ExitCode.BadInput);
  const engine = await detectEngine();
  const { cache } = chooseCache(args.cacheDir, args.noCache);
  const report = await diffRevisions({ repo, base: args.base, head: args.head, engine, cache });
  io.stdout(
    args.format === 'markdown'
      ? formatMarkdown(report, { maxChars: args.maxChars, rerunCommand: `pnpm diff --base ${args.base} --head ${args.head}` })
      : formatText(report, { color: useColor(args.color, io) }),
  );
  return headFailed(report) ? ExitCode.Findings : ExitCode.Ok;
};

/** Exit code of `pnpm diff`; CliErrors are printed to stderr. */
export const main = cliMain(run, 'diff: ');

if (isEntryPoint(import.meta.url)) runMain(main);
