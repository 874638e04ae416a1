// One ApplicationSet → the Application objects its controller would create, following Argo CD's
// GenerateApplications: for each generator, for each parameter set, render spec.template, then the templatePatch;
// the Application lands in the ApplicationSet's namespace whatever the template says. Anything that cannot be
// computed offline becomes a finding and the ApplicationSet is marked as not fully evaluated.
import { checkApplicationSet } from './appset-checks.ts';
import { generatorKind, generatorParams, type Params } from './generators.ts';
import { missingKeyOption, TemplateError, UnsupportedTemplateError } from './go-template.ts';
import type { GoValue } from './go-values.ts';
import { deepClone, getIn, isObject, syncWaveOf, type JsonObject } from './kube.ts';
import { TreeRenderer } from './render-tree.ts';
import { rollingSyncOf } from './rolling-sync.ts';
import { applyTemplatePatch, TemplatePatchError } from './template-patch.ts';
import type { ApplicationSetRecord, Finding } from './types.ts';

const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface GeneratedApplication {
  readonly manifest: JsonObject;
  readonly generator: number;
  readonly element: number;
}

export interface AppSetExpansion {
  readonly record: ApplicationSetRecord;
  readonly applications: readonly GeneratedApplication[];
  readonly findings: readonly Finding[];
}

/** The Application Argo CD starts from: only these template metadata fields are copied (GetTempApplication). */
const templateApplication = (template: JsonObject): JsonObject => {
  const meta = isObject(template.metadata) ? template.metadata : {};
  const metadata: JsonObject = {};
  for (const key of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) if (meta[key] !== undefined) metadata[key] = deepClone(meta[key]);
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec: deepClone(isObject(template.spec) ? template.spec : {}) };
};

/** The finalizer that deletes an Application's resources with it, added unless the set preserves resources. */
const withFinalizer = (app: JsonObject, appSet: JsonObject): JsonObject => {
  const meta = isObject(app.metadata) ? app.metadata : {};
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (finalizers.length > 0 || getIn(appSet, ['spec', 'syncPolicy', 'preserveResourcesOnDeletion']) === true) return app;
  return { ...app, metadata: { ...meta, finalizers: [RESOURCES_FINALIZER] } };
};

const templateFinding = (ref: string, error: TemplateError, field: string | undefined): Finding => ({
  code: error instanceof UnsupportedTemplateError ? 'template-unsupported' : 'template-error',
  object: ref,
  ...(field !== undefined ? { field, message: error.detail } : { message: error.message }),
});

export const expandApplicationSet = (appSet: JsonObject, defaultNamespace: string): AppSetExpansion => {
  const name = typeof getIn(appSet, ['metadata', 'name']) === 'string' ? (getIn(appSet, ['metadata', 'name']) as string) : '';
  const namespace = (getIn(appSet, ['metadata', 'namespace']) as string | undefined) ?? defaultNamespace;
  const ref = `ApplicationSet/${name}`;
  const spec = isObject(appSet.spec) ? appSet.spec : {};
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const findings: Finding[] = checkApplicationSet(appSet, ref);
  const applications: GeneratedApplication[] = [];
  const strategy = getIn(spec, ['strategy', 'type']);
  const applicationsSync = getIn(spec, ['syncPolicy', 'applicationsSync']);
  const record = (evaluated: boolean): ApplicationSetRecord => ({
    name,
    namespace,
    wave: syncWaveOf(appSet).wave,
    generators: generators.map(generatorKind),
    strategy: typeof strategy === 'string' ? strategy : 'AllAtOnce',
    ...(typeof applicationsSync === 'string' ? { applicationsSync } : {}),
    evaluated,
    applications: evaluated ? applications.length : 0,
  });
  const done = (evaluated: boolean): AppSetExpansion => ({ record: record(evaluated), applications: evaluated ? applications : [], findings });

  if (!isObject(spec.template)) {
    findings.push({ code: 'invalid-object', object: ref, field: 'spec.template', message: 'ApplicationSet has no spec.template' });
    return done(false);
  }
  // The legacy fasttemplate syntax has different semantics; it is reported above and not rendered here.
  if (spec.goTemplate !== true) return done(false);

  const renderer = new TreeRenderer(ref, missingKeyOption(Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : []).missingKey);
  const templatePatch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const parseErrors = [
    ...renderer.check(spec.template, 'spec.template'),
    ...(templatePatch !== undefined ? renderer.check(templatePatch, 'spec.templatePatch') : []),
  ];
  if (parseErrors.length > 0) {
    for (const e of parseErrors) findings.push(templateFinding(ref, e, renderer.fieldOf(e)));
    return done(false);
  }

  const base = templateApplication(spec.template);
  let evaluated = true;
  let renderFailed = false;
  let projectPatchReported = false;
  for (const [g, generator] of generators.entries()) {
    const outcome = generatorParams(generator);
    if (!outcome.ok) {
      findings.push({ code: outcome.offline ? 'generator-offline' : 'generator-unsupported', object: ref, field: `spec.generators[${g}]`, message: outcome.reason });
      evaluated = false;
      continue;
    }
    for (const [e, params] of outcome.params.entries()) {
      const rendered = renderOne(renderer, base, params, templatePatch);
      if ('error' in rendered) {
        findings.push({ ...rendered.error, message: `element ${e} of generator ${g}: ${rendered.error.message}` });
        renderFailed = true;
        continue;
      }
      if (rendered.ignoredProject !== undefined && !projectPatchReported) {
        projectPatchReported = true;
        findings.push({ code: 'template-patch-project', object: ref, field: 'spec.templatePatch', message: `templatePatch sets spec.project (${JSON.stringify(rendered.ignoredProject)}); Argo CD ignores it and keeps the template's project` });
      }
      const placed = { ...rendered.application, metadata: { ...(rendered.application.metadata as JsonObject), namespace } };
      applications.push({ manifest: withFinalizer(placed, appSet), generator: g, element: e });
    }
  }
  if (renderFailed) {
    // The controller stops at a render error and creates or updates none of the set's Applications.
    findings.push({ code: 'template-error', object: ref, message: 'Argo CD generates no Applications from this ApplicationSet while any element fails to render' });
    return done(false);
  }
  return done(evaluated);

  function renderOne(
    r: TreeRenderer,
    template: JsonObject,
    params: Params,
    patch: string | undefined,
  ): { application: JsonObject; ignoredProject?: unknown } | { error: Finding } {
    // Argo CD returns the template untouched for an element without parameters.
    if (Object.keys(params).length === 0) return { application: deepClone(template) };
    try {
      const data = params as GoValue;
      const application: JsonObject = {
        ...template,
        metadata: r.render(template.metadata, data, 'spec.template.metadata'),
        spec: r.render(template.spec, data, 'spec.template.spec'),
      };
      if (patch === undefined) return { application };
      const patchText = r.renderString(patch, data, 'spec.templatePatch');
      return applyTemplatePatch(application, patchText);
    } catch (error) {
      if (error instanceof TemplateError) return { error: templateFinding(ref, error, r.fieldOf(error)) };
      if (error instanceof TemplatePatchError) return { error: { code: 'template-patch-error', object: ref, field: 'spec.templatePatch', message: error.message } };
      throw error;
    }
  }
};
