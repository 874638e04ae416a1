// `pnpm charts:catalog --source <owner/repo or entry>=<git-dir> ...`: for every Helm chart the fleet pins
// (inventory/fleet.yaml `argocd.chart` and `addons:`), unpack the chart at its pinned tag from the local Git
// directory named for it, render it with tools/chart-render (Helm's `helm template --include-crds`) with the
// fleet's values (every per-cluster variant) twice — a fresh cluster serving only Kubernetes' built-in APIs, and
// one serving every API the fleet's charts provide — and write scripts/platform/chart-catalog/<name>.json.
// Run it when a chart pin or chart values change; tests/charts/chart-catalog.test.ts says when.
//
// Exit codes: 0 written; 1 a chart did not render; 2 usage; 4 an upstream source (Git dir, tag, dependency) is
// missing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { CliError, ExitCode } from '../lib/exit-codes.ts';
import type { Io } from '../lib/io.ts';
import { cliMain, isEntryPoint, runMain } from '../lib/run-main.ts';
import { isClusterScoped } from '../schemas/scope.ts';
import { minorOf } from '../schemas/api-lifecycle.ts';
import { catalogFile, CHART_CATALOG_DIR, type ApiCondition, type CatalogDependency, type ChartCatalog } from '../platform/chart-catalog/index.ts';
import { assembleCrds, assembleObjects, changedQueries, conditionalKeys, objectKey, type VariantRenders } from './assemble-catalog.ts';
import { builtinApis } from './builtin-apis.ts';
import { canonicalJson, loadFleet, pinnedChartInputs, type ChartInputs } from './chart-inputs.ts';
import { chartRenderBinary, ChartRenderError, renderChart, type ChartRender, type RenderedObject } from './chart-render-tool.ts';
import { extractChart, MissingUpstreamError, type ExtractedChart } from './extract-chart.ts';
import { chartUpstream, sourceLabel, type ChartUpstream } from './upstreams.ts';

const USAGE = `usage: pnpm charts:catalog --source <owner/repo|entry>=<git-dir> [--source ...] [--inventory <dir>] [--out <dir>]

  --source KEY=DIR  a local Git directory (bare or not) of an upstream chart repository; KEY is the GitHub
                    owner/repo (e.g. argoproj/argo-helm, istio/istio) or a catalog entry name (argo-cd, keda, ...)
  --inventory DIR   inventory folder (default: inventory)
  --out DIR         catalog folder (default: scripts/platform/chart-catalog)`;

interface Args {
  readonly sources: ReadonlyMap<string, string>;
  readonly inventory: string;
  readonly out: string;
}

const usage = (message: string): CliError => new CliError(`${message}\n${USAGE}`, ExitCode.BadInput);

const parseArgs = (argv: readonly string[]): Args => {
  const sources = new Map<string, string>();
  let inventory = 'inventory';
  let out = CHART_CATALOG_DIR;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') throw new CliError(USAGE, ExitCode.BadInput);
    if (value === undefined || value.startsWith('--')) throw usage(`${flag} needs a value`);
    i++;
    if (flag === '--source') {
      const eq = value.indexOf('=');
      if (eq <= 0 || eq === value.length - 1) throw usage(`--source takes KEY=DIR, got ${JSON.stringify(value)}`);
      sources.set(value.slice(0, eq), resolve(value.slice(eq + 1)));
    } else if (flag === '--inventory') inventory = value;
    else if (flag === '--out') out = resolve(value);
    else throw usage(`unknown flag ${flag}`);
  }
  return { sources, inventory, out };
};

interface Prepared {
  readonly inputs: ChartInputs;
  readonly upstream: ChartUpstream;
  readonly tag: string;
  readonly chart: ExtractedChart;
  readonly valuesFiles: readonly string[];
}

const digestOf = (value: unknown): string => `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;

/** APIs a render provides: served CRD versions (group/version and group/version/Kind) and APIService group/versions. */
const providedBy = (r: ChartRender): string[] => {
  const out: string[] = [];
  for (const c of r.crds) for (const v of c.servedVersions) out.push(`${c.group}/${v}`, `${c.group}/${v}/${c.kind}`);
  for (const o of r.objects) {
    if (o.group !== 'apiregistration.k8s.io' || o.kind !== 'APIService') continue;
    const spec = o.manifest?.spec as { group?: unknown; version?: unknown } | undefined;
    if (typeof spec?.group === 'string' && typeof spec.version === 'string') out.push(`${spec.group}/${spec.version}`);
  }
  return out;
};

type ScopeOf = (group: string, kind: string, known?: string) => 'Namespaced' | 'Cluster';

/** Heads only (manifests dropped once the APIServices were read), with each kind's final scope and namespace. */
const normalised = (r: ChartRender, scopeOf: ScopeOf): ChartRender => ({
  ...r,
  objects: r.objects.map((o): RenderedObject => {
    const head: { -readonly [K in keyof RenderedObject]: RenderedObject[K] } = { ...o };
    delete head.manifest;
    const scope = scopeOf(o.group, o.kind, o.scope);
    return { ...head, scope, namespace: scope === 'Cluster' ? '' : o.namespace || r.release.namespace };
  }),
});

const run = async (argv: string[], io: Io): Promise<number> => {
  const args = parseArgs(argv);
  const fleet = await loadFleet(args.inventory);
  const all = pinnedChartInputs(fleet);
  const minor = minorOf(fleet.kubernetesVersion ?? '');
  if (minor === undefined) throw new CliError(`inventory kubernetesVersion ${JSON.stringify(fleet.kubernetesVersion)} is not 1.<minor>`, ExitCode.BadInput);

  // Every source first, so that one run names every missing repository.
  const missing: string[] = [];
  const located: Array<{ inputs: ChartInputs; upstream: ChartUpstream; gitDir: string }> = [];
  for (const inputs of all) {
    const upstream = chartUpstream(inputs.repoURL, inputs.chart);
    if (upstream === undefined) {
      missing.push(`${inputs.name}: no upstream known for chart ${inputs.chart} from ${inputs.repoURL} (add it to scripts/charts/upstreams.ts)`);
      continue;
    }
    const gitDir = args.sources.get(inputs.name) ?? args.sources.get(upstream.repo);
    if (gitDir === undefined) missing.push(`${inputs.name}: pass --source ${upstream.repo}=<git-dir> (a clone of https://github.com/${upstream.repo} with tag ${upstream.tag(inputs.version)})`);
    else located.push({ inputs, upstream, gitDir });
  }
  if (missing.length > 0) throw new CliError(`missing upstream sources:\n  ${missing.join('\n  ')}`, ExitCode.RemoteFailure);

  const binary = chartRenderBinary();
  const work = mkdtempSync(join(tmpdir(), 'chart-catalog-'));
  try {
    const prepared: Prepared[] = [];
    for (const { inputs, upstream, gitDir } of located) {
      const dir = join(work, inputs.name);
      let chart: ExtractedChart;
      try {
        chart = extractChart(gitDir, upstream, inputs.version, dir);
      } catch (e) {
        if (e instanceof MissingUpstreamError) throw new CliError(`${inputs.name}: ${e.message}`, ExitCode.RemoteFailure);
        throw e;
      }
      const valuesFiles = inputs.variants.map((values, i) => {
        const file = join(dir, `values-v${i + 1}.json`);
        writeFileSync(file, JSON.stringify(values));
        return file;
      });
      prepared.push({ inputs, upstream, tag: upstream.tag(inputs.version), chart, valuesFiles });
    }

    const builtin = builtinApis(minor);
    const renderOne = (p: Prepared, variant: number, apis: readonly string[]): ChartRender => {
      try {
        return renderChart(
          { chartDir: p.chart.dir, releaseName: p.inputs.releaseName, namespace: p.inputs.namespace, kubeVersion: p.inputs.kubeVersion, valuesFiles: [p.valuesFiles[variant]!], apiVersions: apis, withManifests: true },
          binary,
        );
      } catch (e) {
        if (e instanceof ChartRenderError) {
          const code = e.message.includes('enabled dependencies missing') ? ExitCode.RemoteFailure : ExitCode.Findings;
          throw new CliError(`${p.inputs.name} (values variant v${variant + 1}): ${e.message}`, code);
        }
        throw e;
      }
    };
    const renderAll = (apis: readonly string[]): Map<string, ChartRender[]> =>
      new Map(prepared.map((p) => [p.inputs.name, p.valuesFiles.map((_, i) => renderOne(p, i, apis))]));

    io.stderr(`rendering ${prepared.length} charts for Kubernetes ${fleet.kubernetesVersion} (built-in APIs only)\n`);
    const fresh = renderAll(builtin);
    // Whatever the charts provide may switch more templates on (CRDs gated on other CRDs): iterate to a fixpoint.
    let provided = new Set([...fresh.values()].flat().flatMap(providedBy));
    let full = new Map<string, ChartRender[]>();
    for (let round = 1; ; round++) {
      io.stderr(`rendering with the ${provided.size} APIs the charts provide (round ${round})\n`);
      full = renderAll([...builtin, ...[...provided].sort()]);
      const next = new Set([...provided, ...[...full.values()].flat().flatMap(providedBy)]);
      if (next.size === provided.size || round === 3) break;
      provided = next;
    }
    const providedApis = [...provided].filter((a) => !builtin.includes(a)).sort();

    // Scope of every kind: CRDs of any chart first, then what the renderer knew; the project's table cross-checks.
    const crdScope = new Map<string, 'Namespaced' | 'Cluster'>();
    for (const r of [...fresh.values(), ...full.values()].flat()) for (const c of r.crds) crdScope.set(`${c.group}/${c.kind}`, c.scope);
    const notes: string[] = [];
    const unknown = new Set<string>();
    const scopeOf: ScopeOf = (group, kind, known) => {
      const fromCrd = crdScope.get(`${group}/${kind}`);
      if (fromCrd !== undefined) return fromCrd;
      if (known === 'Cluster' || known === 'Namespaced') return known;
      unknown.add(`${group}/${kind}`);
      return 'Namespaced';
    };
    const rendererScope = new Map<string, string>();
    for (const r of [...fresh.values(), ...full.values()].flat()) {
      for (const o of r.objects) {
        if (o.scope !== 'Unknown') rendererScope.set(`${o.group}/${o.kind}`, o.scope);
        const project = isClusterScoped(o.apiVersion, o.kind);
        const final = scopeOf(o.group, o.kind, o.scope);
        if (project !== (final === 'Cluster')) notes.push(`scripts/schemas/scope.ts says ${o.group || 'core'}/${o.kind} is ${project ? 'cluster-scoped' : 'namespaced'}, the ${crdScope.has(`${o.group}/${o.kind}`) ? 'CRD' : 'Kubernetes API'} says ${final}`);
      }
    }
    if (unknown.size > 0) throw new CliError(`kinds of unknown scope (no CRD in any pinned chart defines them): ${[...unknown].sort().join(', ')}`, ExitCode.Findings);

    for (const p of prepared) {
      const name = p.inputs.name;
      const finalScope: ScopeOf = (g, k, known) => scopeOf(g, k, rendererScope.get(`${g}/${k}`) ?? known);
      const variants: VariantRenders[] = p.valuesFiles.map((_, i) => ({
        id: `v${i + 1}`,
        fresh: normalised(fresh.get(name)![i]!, finalScope),
        full: normalised(full.get(name)![i]!, finalScope),
      }));
      const conditions = new Map<string, ApiCondition>();
      const inAnyFresh = new Set(variants.flatMap((v) => v.fresh.objects.map(objectKey)));
      const inAnyFull = new Set(variants.flatMap((v) => v.full.objects.map(objectKey)));
      const probes = new Map<string, Set<string>>();
      const probe = (variant: number, api: string): Set<string> => {
        const key = `${variant} ${api}`;
        let keys = probes.get(key);
        if (keys === undefined) {
          keys = new Set(normalised(renderOne(p, variant, [...builtin, api]), finalScope).objects.map(objectKey));
          probes.set(key, keys);
        }
        return keys;
      };
      variants.forEach((v, i) => {
        const { onlyFull, onlyFresh } = conditionalKeys(v);
        for (const key of onlyFull) {
          if (inAnyFresh.has(key) || conditions.has(key)) continue;
          const o = v.full.objects.find((x) => objectKey(x) === key)!;
          const candidates = changedQueries(v, o.source);
          if (candidates.length === 0) throw new CliError(`${name}: ${o.kind} ${o.name} (${o.source}) renders only with the provided APIs, but no .Capabilities.APIVersions.Has answer changed in its template`, ExitCode.Findings);
          const anyOf = candidates.length === 1 ? candidates : candidates.filter((api) => probe(i, api).has(key));
          conditions.set(key, anyOf.length > 0 ? { requiresAnyOf: anyOf } : { requiresAllOf: candidates });
        }
        for (const key of onlyFresh) {
          if (inAnyFull.has(key) || conditions.has(key)) continue;
          const o = v.fresh.objects.find((x) => objectKey(x) === key)!;
          conditions.set(key, { absentWhenServed: changedQueries(v, o.source) });
        }
      });
      const root = fresh.get(name)![0]!;
      const reports = new Map<string, { enabled: boolean; alias?: string; condition?: string }>();
      for (const r of [...fresh.get(name)!, ...full.get(name)!]) {
        for (const d of r.dependencies) {
          if (d.chart !== root.chart.name) continue;
          const prev = reports.get(d.name);
          reports.set(d.name, { enabled: (prev?.enabled ?? false) || d.enabled, ...(d.alias !== undefined ? { alias: d.alias } : {}), ...(d.condition !== undefined ? { condition: d.condition } : {}) });
        }
      }
      const dependencies: CatalogDependency[] = p.chart.dependencies.map((d) => {
        const rep = reports.get(d.name);
        return {
          name: d.name,
          ...(rep?.alias !== undefined ? { alias: rep.alias } : {}),
          version: d.version,
          ...(d.repository !== undefined ? { repository: d.repository } : {}),
          ...(rep?.condition !== undefined ? { condition: rep.condition } : {}),
          enabled: rep?.enabled ?? false,
          ...(d.source !== undefined ? { source: sourceLabel(p.upstream, d.source.tag, d.source.path) } : rep?.enabled === true ? { source: 'vendored under charts/' } : {}),
        };
      });
      const catalog: ChartCatalog = {
        name,
        repoURL: p.inputs.repoURL,
        chart: p.inputs.chart,
        version: p.inputs.version,
        appVersion: root.chart.appVersion,
        source: sourceLabel(p.upstream, p.tag, p.upstream.path),
        buildSteps: [...p.upstream.build],
        ...(root.chart.kubeVersion !== undefined && root.chart.kubeVersion !== '' ? { kubeVersionConstraint: root.chart.kubeVersion } : {}),
        dependencies,
        renderedWith: { helmVersion: root.helmVersion, kubeVersion: root.kubeVersion, releaseName: p.inputs.releaseName, namespace: p.inputs.namespace, providedApis },
        valuesDigest: p.inputs.valuesDigest,
        variants: p.inputs.variants.map((values, i) => ({ id: `v${i + 1}`, valuesDigest: digestOf(values) })),
        kinds: assembleObjects({ variants, conditions, scopeOf: (g, k) => finalScope(g, k) }),
        crds: assembleCrds(variants, conditions),
      };
      if (root.chart.name !== p.inputs.chart) throw new CliError(`${name}: the chart at ${catalog.source} is named ${root.chart.name}, not ${p.inputs.chart}`, ExitCode.Findings);
      if (root.chart.version !== p.inputs.version) throw new CliError(`${name}: the chart at ${catalog.source} has version ${root.chart.version}, the fleet pins ${p.inputs.version}`, ExitCode.Findings);
      writeFileSync(catalogFile(name, args.out), `${JSON.stringify(catalog, null, 2)}\n`);
      io.stdout(`${name}: ${p.inputs.chart} ${p.inputs.version}, ${catalog.kinds.length} kinds, ${catalog.crds.length} CRDs, ${variants.length} values variant(s)\n`);
    }
    // Catalogs of charts no longer pinned would pass for current ones: remove them.
    const keep = new Set(prepared.map((p) => `${p.inputs.name}.json`));
    for (const f of readdirSync(args.out)) if (f.endsWith('.json') && !keep.has(f)) rmSync(join(args.out, f));
    for (const n of [...new Set(notes)].sort()) io.stderr(`note: ${n}\n`);
    return ExitCode.Ok;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

/** `pnpm charts:catalog`; exit 0 written, 1 a chart did not render, 2 usage, 4 an upstream source is missing. */
export const main = cliMain(run, 'charts:catalog: ');

if (isEntryPoint(import.meta.url)) runMain(main);
