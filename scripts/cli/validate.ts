// `pnpm validate [--root DIR] [--inventory DIR] [--format text|json] [--concurrency N] [--no-cache] [--base REF]`
// Renders every Application the generated ApplicationSets produce (and the root's argocd/) with the real Kustomize,
// then checks the output: Kustomize's silent failures, strict schemas, policy and domain rules.
// Exit codes: 0 ok (warnings allowed), 1 blocking findings or build failures, 2 bad usage, tree or inventory,
// 5 no Kustomize engine.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { InventoryError } from '../inventory/errors.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import { parseInventory } from '../inventory/parse-inventory.ts';
import { catalogEntries } from '../components/catalog.ts';
import { CliError, ExitCode, UsageError } from '../lib/exit-codes.ts';
import { processIo, type Io } from '../lib/io.ts';
import { ARGOCD_DIR, INVENTORY_DIR } from '../lib/layout.ts';
import { acquireTreeLock, recoverInterruptedWrite } from '../writer/index.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';
import { helpFor, usageFor } from './commands.ts';
import type { Fleet } from '../model/fleet.ts';
import { applicationTargets } from '../kustomize/application-targets.ts';
import { BuildCache, DEFAULT_CACHE_SUBDIR } from '../kustomize/build-cache.ts';
import { describeEngine, detectEngine } from '../kustomize/engine.ts';
import { renderPaths } from '../kustomize/render-applications.ts';
import { checkApplications } from '../policy/check-applications.ts';
import { renderGithubAnnotations, renderText, summarize } from '../policy/report.ts';
import { finalize, unknownExemptionRules, type AppFinding } from '../policy/run-policy.ts';
import { previousRender } from '../policy/previous-render.ts';
import { selectorChanges } from '../policy/rules/workload-selectors.ts';
import { SourceIndex } from '../policy/source-index.ts';
import type { AppContext, AppTarget } from '../policy/types.ts';
import { chooseCache } from '../diff/cache-option.ts';
import { MODELS_KUBERNETES_MINOR } from '../schemas/api-lifecycle.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { firstSyncStep } from '../convergence/validate-step.ts';
import { BUNDLED_CATALOGS } from '../platform/chart-catalog/bundled.ts';
import type { ChartCatalog } from '../platform/chart-catalog/index.ts';

const USAGE = usageFor('validate');
const HELP = helpFor('validate');

type Format = 'text' | 'json';

interface Options {
  readonly root: string;
  readonly inventory: string;
  readonly format: Format;
  readonly concurrency: number;
  readonly cache: boolean;
  readonly base: string | undefined;
  readonly help: boolean;
}

const parseOptions = (argv: string[]): Options => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        inventory: { type: 'string' },
        format: { type: 'string' },
        concurrency: { type: 'string' },
        'no-cache': { type: 'boolean' },
        base: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`);
  if (values.root !== undefined && values.root.length === 0) throw new UsageError('--root needs a folder');
  if (values.base !== undefined && values.base.length === 0) throw new UsageError('--base needs a revision');
  const concurrency = values.concurrency === undefined ? availableParallelism() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, got ${JSON.stringify(values.concurrency)}`);
  const root = resolve(values.root ?? process.cwd());
  return {
    root,
    inventory: resolve(values.inventory ?? join(root, INVENTORY_DIR)),
    format,
    concurrency,
    cache: values['no-cache'] !== true,
    base: values.base,
    help: values.help ?? false,
  };
};

const checkRoot = (root: string): void => {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new CliError(`--root ${root} is not a folder`, ExitCode.BadInput);
};

const loadFleet = async (dir: string, charts: readonly ChartCatalog[]): Promise<Fleet> => {
  try {
    return parseInventory(await readInventorySources(dir), catalogEntries(), charts);
  } catch (error) {
    if (error instanceof InventoryError) throw new CliError(error.message, ExitCode.BadInput);
    throw error;
  }
};

/**
 * Never validate a tree a `gen` is writing, nor one a killed `gen` left half-written: take the writer's lock (exit 5
 * naming the holder while a gen runs), complete or roll back an interrupted write from its journal, release. The lock
 * is not held for the whole run, so a long validate never blocks the next gen; a gen started meanwhile is the usual
 * race of reading a working tree.
 */
const settleTree = async (root: string, io: Io): Promise<void> => {
  const lock = acquireTreeLock(root, 'pnpm validate');
  try {
    const note = await recoverInterruptedWrite(root);
    if (note !== undefined) io.stderr(`note: ${note}\n`);
  } finally {
    lock.release();
  }
};

/** Progress on stderr for long runs: at most one line every 2 s, none for runs shorter than that. */
const progressReporter = (io: Io): ((done: number, total: number) => void) => {
  const started = performance.now();
  let last = started;
  return (done, total) => {
    const now = performance.now();
    if (now - last < 2000 || done === total) return;
    last = now;
    io.stderr(`validate: rendered ${done}/${total} paths (${((now - started) / 1000).toFixed(0)} s)\n`);
  };
};

const run = async (argv: string[], io: Io, charts: readonly ChartCatalog[]): Promise<number> => {
  const started = performance.now();
  const options = parseOptions(argv);
  if (options.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  checkRoot(options.root);
  await settleTree(options.root, io);
  const fleet = await loadFleet(options.inventory, charts);
  const badRules = unknownExemptionRules(fleet.policy?.exemptions ?? []);
  if (badRules.length > 0) throw new CliError(`inventory policy.exemptions name unknown rules: ${badRules.join(', ')}`, ExitCode.BadInput);
  const targets = applicationTargets(options.root, fleet);
  if (targets.length === 0) {
    throw new CliError(`no Applications with a kustomization under ${options.root} (run \`pnpm gen\` first?)`, ExitCode.BadInput);
  }

  const engine = await detectEngine();
  const registry = new SchemaRegistry();
  if (options.format === 'text') {
    const k8s = registry.tables.find((t) => t.package === 'kubernetes-models');
    const pin = fleet.kubernetesVersion !== undefined ? `, inventory pins ${fleet.kubernetesVersion}` : ', no Kubernetes version pinned in the inventory';
    io.stdout(`kustomize: ${describeEngine(engine)}\n`);
    io.stdout(`schemas: kubernetes-models ${k8s?.version ?? '?'} (Kubernetes 1.${MODELS_KUBERNETES_MINOR} API)${pin}; strict fields from ${registry.tables.length} model packages\n`);
  }

  const cache = new BuildCache(options.cache ? join(options.root, DEFAULT_CACHE_SUBDIR) : undefined);
  const renders = await renderPaths(options.root, engine, targets.map((t) => t.path), {
    concurrency: options.concurrency,
    cache,
    onProgress: progressReporter(io),
  });
  cache.prune();
  const byPath = new Map(renders.map((r) => [r.path, r]));
  const previous = await previousRender(options.root, targets, engine, chooseCache(undefined, !options.cache).cache, options.base);
  const firstSync = firstSyncStep(options.root, fleet, charts);
  // Compared while each Application's objects go by (they are dropped after its cluster is checked).
  const changed: AppFinding[] = [];
  const contextBase = (target: AppTarget): Omit<AppContext, 'objects'> => ({ target, fleet, isProd: target.environment?.name === 'prod' });
  const checked = await checkApplications(
    options.root,
    fleet,
    registry,
    targets.map((target) => ({ target, render: byPath.get(target.path)! })),
    (target, objects) => {
      firstSync.observe(target, objects);
      const before = previous?.selectors.get(target.path);
      if (previous === undefined || before === undefined) return;
      const ctx: AppContext = { ...contextBase(target), objects };
      for (const f of selectorChanges(ctx, before, previous.label)) changed.push({ ...f, app: ctx });
    },
  );
  const sources = new SourceIndex(options.root);
  const changedFindings = finalize(changed, fleet.policy?.exemptions ?? [], (f) => {
    const graph = byPath.get(f.app.target.path)?.graph;
    return graph !== undefined && f.object !== undefined ? sources.fileOf(graph, f.object) : f.app.target.path;
  });
  const simulation = firstSync.run(byPath.get(ARGOCD_DIR)?.graph);
  // The simulation's findings are about the hub's objects: they are listed with the root's folder.
  const applications = checked.applications.map((a) => {
    const own = changedFindings.filter((f) => f.application === a.target.name);
    const withChanged = own.length === 0 ? a : { ...a, findings: [...a.findings, ...own] };
    return a.target.path === ARGOCD_DIR ? { ...withChanged, findings: [...withChanged.findings, ...simulation.findings] } : withChanged;
  });
  const summary = summarize(applications, performance.now() - started);

  if (options.format === 'json') {
    const report = {
      engine: { name: engine.name, version: engine.version },
      kubernetes: { models: `1.${MODELS_KUBERNETES_MINOR}`, pinned: fleet.kubernetesVersion ?? null },
      root: options.root,
      firstSync: simulation.report,
      applications: applications.map((a) => ({
        name: a.target.name,
        path: a.target.path,
        cluster: a.target.cluster?.name ?? null,
        stack: a.target.stack ?? null,
        environment: a.target.environment?.name ?? null,
        objects: a.objects,
        built: a.render.ok,
        cached: a.render.cached,
        buildMs: Math.round(a.render.durationMs),
        findings: a.findings,
      })),
      summary,
    };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(simulation.summaryLine);
    io.stdout(renderText(applications, summary));
  }
  if (process.env.GITHUB_ACTIONS === 'true') io.stdout(renderGithubAnnotations(applications.flatMap((a) => a.findings)));
  return summary.ok ? ExitCode.Ok : ExitCode.Findings;
};

/**
 * Run the command; returns the exit code instead of exiting, so tests can call it. `charts` replaces the committed
 * chart catalogs (tests that pin a chart version this repository does not catalogue).
 */
export const main = async (argv: string[], io: Io = processIo, charts: readonly ChartCatalog[] = BUNDLED_CATALOGS): Promise<number> => {
  try {
    return await run(argv, io, charts);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`validate: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr(`${USAGE}\n`);
      return error.exitCode;
    }
    throw error;
  }
};

if (isEntryPoint(import.meta.url)) runMain(main);
