// Everything after Kustomize: parse each Application's output, check it against the schemas, Kustomize's silent
// failures and every policy rule, and turn the results into findings. Pure apart from reading source files
// (to name the file of an object) and loading validator modules.
import type { PathRender } from '../kustomize/render-applications.ts';
import { duplicateIds, silentFailures } from '../kustomize/silent-failures.ts';
import type { Fleet } from '../model/fleet.ts';
import { minorOf } from '../schemas/api-lifecycle.ts';
import { checkSchemas, preloadSchemas } from '../schemas/check-schemas.ts';
import { parseBuildOutput } from '../schemas/parse-output.ts';
import type { SchemaRegistry } from '../schemas/registry.ts';
import { finalize, runRules, type AppFinding } from './run-policy.ts';
import { SourceIndex } from './source-index.ts';
import type { AppContext, AppTarget, Finding } from './types.ts';

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

export const checkApplications = async (
  root: string,
  fleet: Fleet,
  registry: SchemaRegistry,
  inputs: readonly CheckInput[],
): Promise<CheckResult> => {
  const minor = fleet.kubernetesVersion === undefined ? undefined : minorOf(fleet.kubernetesVersion);
  const raw: AppFinding[] = [];
  const contexts: AppContext[] = [];
  const parsed = inputs.map(({ target, render }) => {
    const file = render.graph.nodes[0]?.file ?? target.path;
    const ctxBase = { fleet, isProd: target.environment?.name === PROD };
    if (!render.ok) {
      const ctx: AppContext = { ...ctxBase, target, objects: [] };
      raw.push({ app: ctx, rule: 'kustomize/build-failed', file, message: render.error ?? 'build failed' });
      return { ctx, findings: [] };
    }
    const out = parseBuildOutput(render.yaml, target.namespace || undefined, file);
    const ctx: AppContext = { ...ctxBase, target, objects: out.objects };
    contexts.push(ctx);
    return { ctx, findings: [...out.findings, ...silentFailures(render.graph, out.objects), ...duplicateIds(out.objects)] };
  });
  const schemas = await preloadSchemas(registry, contexts.flatMap((c) => c.objects));
  for (const { ctx, findings } of parsed) {
    raw.push(...findings.map((f) => ({ ...f, app: ctx })));
    raw.push(...checkSchemas(ctx.objects, schemas, minor).map((f) => ({ ...f, app: ctx })));
  }
  raw.push(...runRules(contexts));

  const sources = new SourceIndex(root);
  const renders = new Map(inputs.map((i) => [i.target.name, i.render]));
  const findings = finalize(raw, fleet.policy?.exemptions ?? [], (f) => {
    const render = renders.get(f.app.target.name);
    if (render === undefined) return f.app.target.path;
    return f.object !== undefined ? sources.fileOf(render.graph, f.object) : (render.graph.nodes[0]?.file ?? f.app.target.path);
  });
  const byApp = new Map<string, Finding[]>();
  for (const f of findings) byApp.set(f.application, [...(byApp.get(f.application) ?? []), f]);
  const applications = parsed.map(({ ctx }) => ({
    target: ctx.target,
    render: renders.get(ctx.target.name) as PathRender,
    objects: ctx.objects.length,
    findings: byApp.get(ctx.target.name) ?? [],
  }));
  return { applications, objects: applications.reduce((n, a) => n + a.objects, 0) };
};
