// Everything after Kustomize: parse each Application's output, check it against the schemas, Kustomize's silent
// failures and every policy rule, and turn the results into findings. Pure apart from reading source files
// (to name the file of an object) and loading validator modules.
//
// Applications are checked one cluster at a time. Every rule that compares Applications either compares those of
// one cluster (CLUSTER_RULES) or looks at a few kinds of objects across the fleet (FLEET_RULES, which keep only
// those), so a cluster's parsed objects can be dropped as soon as its findings are final. Holding the whole
// fleet's objects until the end instead (213k objects, over 1 GB of heap at 1,000 clusters) made garbage
// collection grow from a sixth of the time at 10 clusters to a third at 1,000.
import type { PathRender } from '../kustomize/render-applications.ts';
import { duplicateIds, silentFailures } from '../kustomize/silent-failures.ts';
import type { Fleet } from '../model/fleet.ts';
import { minorOf } from '../schemas/api-lifecycle.ts';
import { checkSchemas, preloadSchemas } from '../schemas/check-schemas.ts';
import { parseBuildOutput } from '../schemas/parse-output.ts';
import type { KindSchema, SchemaRegistry } from '../schemas/registry.ts';
import { APP_RULES, CLUSTER_RULES, finalize, FLEET_RULES, type AppFinding } from './run-policy.ts';
import { SourceIndex } from './source-index.ts';
import { sourceRepeatedKeys, type RepeatedKeyMemo } from './source-yaml.ts';
import { clusterKey, type AppContext, type AppTarget, type Finding, type RawFinding, type RenderedObject } from './types.ts';

export interface CheckInput {
  readonly target: AppTarget;
  readonly render: PathRender;
}

export interface CheckedApplication {
  readonly target: AppTarget;
  readonly render: PathRender;
  readonly objects: number;
  readonly findings: Finding[];
}

export interface CheckResult {
  readonly applications: CheckedApplication[];
  readonly objects: number;
}

const PROD = 'prod';

/**
 * An Application's findings come in phases, always listed in this order: a failed build; its own output (YAML,
 * Kustomize's silent failures, schemas); the per-Application rules; each fleet rule; each cluster rule.
 */
const PHASE_BUILD = 0;
const PHASE_OUTPUT = 1;
const PHASE_APP_RULES = 2;
const PHASE_FLEET_RULES = 3;
const PHASE_CLUSTER_RULES = PHASE_FLEET_RULES + FLEET_RULES.length;
const PHASES = PHASE_CLUSTER_RULES + CLUSTER_RULES.length;

interface AppState {
  readonly input: CheckInput;
  readonly phases: Finding[][];
  objects: number;
  /** The Application as each fleet rule sees it (only the objects that rule looks at); unset for a failed build. */
  fleetViews?: AppContext[];
}

const append = <T>(to: T[], items: readonly T[]): void => {
  for (const item of items) to.push(item);
};

export const checkApplications = async (
  root: string,
  fleet: Fleet,
  registry: SchemaRegistry,
  inputs: readonly CheckInput[],
  /** Sees each built Application's parsed objects once, before they are dropped (the first-sync simulation). */
  observe?: (target: AppTarget, objects: readonly RenderedObject[]) => void,
): Promise<CheckResult> => {
  const minor = fleet.kubernetesVersion === undefined ? undefined : minorOf(fleet.kubernetesVersion);
  const exemptions = fleet.policy?.exemptions ?? [];
  const sources = new SourceIndex(root);
  // By name, as Argo CD knows Applications: the file of an object is looked up in that Application's graph.
  const renders = new Map(inputs.map((i) => [i.target.name, i.render]));
  const final = (raw: readonly AppFinding[]): Finding[] =>
    finalize(raw, exemptions, (f) => {
      const render = renders.get(f.app.target.name);
      if (render === undefined) return f.app.target.path;
      return f.object !== undefined ? sources.fileOf(render.graph, f.object) : (render.graph.nodes[0]?.file ?? f.app.target.path);
    });
  const schemas = new Map<string, KindSchema>();
  const repeatedKeys: RepeatedKeyMemo = new Map();

  const states: AppState[] = inputs.map((input) => ({ input, phases: Array.from({ length: PHASES }, (): Finding[] => []), objects: 0 }));
  const clusters = new Map<string, AppState[]>();
  for (const state of states) {
    const key = clusterKey(state.input.target);
    const group = clusters.get(key);
    if (group === undefined) clusters.set(key, [state]);
    else group.push(state);
  }

  for (const group of clusters.values()) {
    const contexts: AppContext[] = [];
    const stateOf = new Map<AppContext, AppState>();
    const outputFindings = new Map<AppContext, RawFinding[]>();
    for (const state of group) {
      const { target, render } = state.input;
      const file = render.graph.nodes[0]?.file ?? target.path;
      const ctxBase = { fleet, isProd: target.environment?.name === PROD };
      if (!render.ok) {
        const ctx: AppContext = { ...ctxBase, target, objects: [] };
        // Kustomize's message on a repeated key names no file: each one is also blamed on its file and line.
        const blamed = sourceRepeatedKeys(root, render.graph, repeatedKeys).map((f) => ({ ...f, app: ctx }));
        state.phases[PHASE_BUILD] = final([{ app: ctx, rule: 'kustomize/build-failed', file, message: render.error ?? 'build failed' }, ...blamed]);
        continue;
      }
      const out = parseBuildOutput(render.yaml, target.namespace || undefined, file);
      const ctx: AppContext = { ...ctxBase, target, objects: out.objects };
      observe?.(target, out.objects);
      contexts.push(ctx);
      stateOf.set(ctx, state);
      state.objects = out.objects.length;
      outputFindings.set(ctx, [...out.findings, ...silentFailures(render.graph, out.objects), ...duplicateIds(out.objects)]);
    }
    await preloadSchemas(registry, contexts.flatMap((c) => c.objects), schemas);

    for (const ctx of contexts) {
      const state = stateOf.get(ctx) as AppState;
      const output: AppFinding[] = [];
      for (const f of outputFindings.get(ctx) ?? []) output.push({ ...f, app: ctx });
      for (const f of checkSchemas(ctx.objects, schemas, minor)) output.push({ ...f, app: ctx });
      state.phases[PHASE_OUTPUT] = final(output);
      const rules: AppFinding[] = [];
      for (const rule of APP_RULES) for (const f of rule(ctx)) rules.push({ ...f, app: ctx });
      state.phases[PHASE_APP_RULES] = final(rules);
      state.fleetViews = FLEET_RULES.map(({ objects }) => ({ ...ctx, objects: ctx.objects.filter(objects) }));
    }
    CLUSTER_RULES.forEach((rule, i) => {
      for (const f of rule(contexts)) {
        const state = stateOf.get(f.app) as AppState;
        append(state.phases[PHASE_CLUSTER_RULES + i] as Finding[], final([f]));
      }
    });
  }

  FLEET_RULES.forEach(({ rule }, i) => {
    const views: AppContext[] = [];
    const stateOf = new Map<AppContext, AppState>();
    for (const state of states) {
      const view = state.fleetViews?.[i];
      if (view === undefined) continue;
      views.push(view);
      stateOf.set(view, state);
    }
    for (const f of rule(views)) append((stateOf.get(f.app) as AppState).phases[PHASE_FLEET_RULES + i] as Finding[], final([f]));
  });

  // Each Application's findings phase by phase; Applications that share a name share one list, in the same order.
  const byName = new Map<string, AppState[]>();
  for (const state of states) {
    const same = byName.get(state.input.target.name);
    if (same === undefined) byName.set(state.input.target.name, [state]);
    else same.push(state);
  }
  const findingsOf = new Map<string, Finding[]>();
  for (const [name, same] of byName) {
    const list: Finding[] = [];
    for (let phase = 0; phase < PHASES; phase++) for (const state of same) append(list, state.phases[phase] as Finding[]);
    findingsOf.set(name, list);
  }
  const applications = states.map((state) => ({
    target: state.input.target,
    render: renders.get(state.input.target.name) as PathRender,
    objects: state.objects,
    findings: findingsOf.get(state.input.target.name) ?? [],
  }));
  return { applications, objects: applications.reduce((n, a) => n + a.objects, 0) };
};
