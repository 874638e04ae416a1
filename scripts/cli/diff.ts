// `pnpm diff [--base REF] [--head REF] [--format text|markdown|json]`: render every Argo CD Application at two
// revisions with real Kustomize and report, per cluster × stack, the objects added, changed and removed. By default
// HEAD against the working tree, regenerated from its inventory in a scratch copy (uncommitted edits show, whether
// or not `pnpm gen` ran); `--base REF` alone compares REF with the working tree. Applications whose inputs are
// identical at both revisions are not rendered.
// Exit codes: 0 ok, 1 the head revision fails to build, 2 bad usage, revision or inventory, 5 no Kustomize engine.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { chooseCache } from '../diff/cache-option.ts';
import { diffRevisions } from '../diff/diff-revisions.ts';
import { formatJson } from '../diff/format-json.ts';
import { formatMarkdown, GITHUB_BODY_LIMIT } from '../diff/format-markdown.ts';
import { formatText } from '../diff/format-text.ts';
import { repoTop } from '../diff/git.ts';
import { headFailed } from '../diff/report.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { processIo, progress, type Io } from '../lib/io.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { detectEngine } from '../kustomize/engine.ts';
import { helpFor, usageFor } from './commands.ts';

interface DiffArgs {
  readonly base: string;
  /** undefined: the working tree, regenerated. */
  readonly head: string | undefined;
  readonly format: 'text' | 'markdown' | 'json';
  readonly color: 'auto' | 'always' | 'never';
  readonly maxChars: number;
  readonly root: string;
  readonly cacheDir: string | undefined;
  readonly noCache: boolean;
}

const usageError = (message: string): CliError => new CliError(`${message}\n${usageFor('diff')}`, ExitCode.BadInput);

const parse = (argv: string[]): DiffArgs | 'help' => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        base: { type: 'string', default: 'HEAD' },
        head: { type: 'string' },
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
  if (format !== 'text' && format !== 'markdown' && format !== 'json') throw usageError(`--format must be text, markdown or json, got ${JSON.stringify(format)}`);
  if (color !== 'auto' && color !== 'always' && color !== 'never') throw usageError(`--color must be auto, always or never, got ${JSON.stringify(color)}`);
  const maxChars = values['max-chars'] === undefined ? GITHUB_BODY_LIMIT : Number(values['max-chars']);
  if (!Number.isInteger(maxChars) || maxChars < 1000) throw usageError(`--max-chars must be an integer ≥ 1000, got ${values['max-chars']}`);
  for (const [flag, v] of [['--base', values.base], ['--head', values.head]] as const) {
    if (v !== undefined && (v.length === 0 || v.startsWith('-'))) throw usageError(`${flag} needs a revision, got ${JSON.stringify(v)}`);
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
    io.stdout(helpFor('diff'));
    return ExitCode.Ok;
  }
  const repo = await repoTop(args.root);
  if (repo === undefined) throw new CliError(`${args.root} is not in a git repository`, ExitCode.BadInput);
  const engine = await detectEngine();
  const { cache } = chooseCache(args.cacheDir, args.noCache);
  const report = await diffRevisions({ repo, base: args.base, head: args.head, engine, cache, progress: (step) => progress(io, step) });
  const rerun = `pnpm diff --base ${args.base}${args.head === undefined ? '' : ` --head ${args.head}`}`;
  io.stdout(
    args.format === 'json'
      ? formatJson(report)
      : args.format === 'markdown'
        ? formatMarkdown(report, { maxChars: args.maxChars, rerunCommand: rerun })
        : formatText(report, { color: useColor(args.color, io) }),
  );
  return headFailed(report) ? ExitCode.Findings : ExitCode.Ok;
};

/** Exit code of `pnpm diff`; CliErrors are printed to stderr. */
export const main = cliMain(run, 'diff: ');

if (isEntryPoint(import.meta.url)) runMain(main);
