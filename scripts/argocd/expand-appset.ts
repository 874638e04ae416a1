// One ApplicationSet → the Application objects its controller would create, following Argo CD's
// GenerateApplications: for each generator, for each parameter set, render spec.template, then the templatePatch;
// the Application lands in the ApplicationSet's namespace whatever the template says. Anything that cannot be
// computed offline becomes a finding and the ApplicationSet is marked as not fully evaluated.
import { checkApplicationSet } from './appset-checks.ts';
import { generatorKind, generatorParams, type Params } from './generators.ts';
import { missingKeyOption, TemplateError, UnsupportedTemplateError } from './go-template.ts';
import type { GoValue } from './go-values.ts';
import { deepClone, getIn, isObject, stringAt, syncWaveOf, type JsonObject } from './kube.ts';
import { TreeRenderer } from './render-tree.ts';
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

interface Rendered {
  readonly application: JsonObject;
  /** False when the element had no parameters and Argo CD kept the template as it is. */
  readonly templated: boolean;
  readonly ignoredProject?: unknown;
  /** Keys of the rendered templatePatch that no Application field has (Argo CD drops them). */
  readonly droppedKeys?: readonly string[];
  readonly yaml11Differences?: readonly string[];
}

const yaml11Finding = (ref: string, difference: string): Finding => ({
  code: 'template-patch-yaml11',
  object: ref,
  field: 'spec.templatePatch',
  message: `Argo CD reads templatePatch as YAML 1.1: ${difference}; quote the value`,
});

/** Render the template (and the templatePatch) for one parameter set. */
const renderElement = (ref: string, r: TreeRenderer, template: JsonObject, params: Params, patch: string | undefined): Rendered | { error: Finding; related?: Finding[] } => {
  const data = params as GoValue;
  try {
    // RenderTemplateParams returns the template untouched for an element without parameters.
    const templated = Object.keys(params).length > 0;
    const application: JsonObject = templated
      ? { ...template, metadata: r.render(template.metadata, data, 'spec.template.metadata'), spec: r.render(template.spec, data, 'spec.template.spec') }
      : deepClone(template);
    if (patch === undefined) return { application, templated };
    return { ...applyTemplatePatch(application, r.renderString(patch, data, 'spec.templatePatch')), templated };
  } catch (error) {
    if (error instanceof TemplateError) return { error: templateFinding(ref, error, r.fieldOf(error)) };
    if (error instanceof TemplatePatchError) {
      const at = error.path !== undefined ? ` (at ${error.path})` : '';
      return {
        error: { code: 'template-patch-error', object: ref, field: 'spec.templatePatch', message: `${error.message}${at}` },
        related: error.yaml11Differences.map((d) => yaml11Finding(ref, d)),
      };
    }
    throw error;
  }
};

export const expandApplicationSet = (appSet: JsonObject, defaultNamespace: string): AppSetExpansion => {
  const name = stringAt(appSet, ['metadata', 'name']) ?? '';
  // Generated Applications always land in the ApplicationSet's namespace (createOrUpdateInCluster).
  const namespace = stringAt(appSet, ['metadata', 'namespace']) ?? defaultNamespace;
  const ref = `ApplicationSet/${name}`;
  const spec = isObject(appSet.spec) ? appSet.spec : {};
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const findings: Finding[] = checkApplicationSet(appSet, ref);
  const applications: GeneratedApplication[] = [];
  const strategy = getIn(spec, ['strategy', 'type']);
  const applicationsSync = getIn(spec, ['syncPolicy', 'applicationsSync']);
  const done = (evaluated: boolean, apps: readonly GeneratedApplication[]): AppSetExpansion => ({
    record: {
      name,
      namespace,
      wave: syncWaveOf(appSet).wave,
      generators: generators.map(generatorKind),
      strategy: typeof strategy === 'string' ? strategy : 'AllAtOnce',
      ...(typeof applicationsSync === 'string' ? { applicationsSync } : {}),
      evaluated,
      applications: apps.length,
    },
    applications: apps,
    findings,
  });

  if (!isObject(spec.template)) {
    findings.push({ code: 'invalid-object', object: ref, field: 'spec.template', message: 'ApplicationSet has no spec.template' });
    return done(false, []);
  }
  // The legacy fasttemplate syntax has different semantics; it is reported by the checks and not rendered here.
  if (spec.goTemplate !== true) return done(false, []);

  const renderer = new TreeRenderer(ref, missingKeyOption(Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : []).missingKey);
  const templatePatch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
  const parseErrors = [
    ...renderer.check(spec.template, 'spec.template'),
    ...(templatePatch !== undefined ? renderer.check(templatePatch, 'spec.templatePatch') : []),
  ];
  if (parseErrors.length > 0) {
    for (const e of parseErrors) findings.push(templateFinding(ref, e, renderer.fieldOf(e)));
    return done(false, []);
  }

  const base = templateApplication(spec.template);
  let complete = true;
  let renderFailed = false;
  let projectPatchReported = false;
  // Patch findings that repeat for every element (dropped keys, YAML 1.1 readings) are reported once per set.
  const reportedOnce = new Set<string>();
  for (const [g, generator] of generators.entries()) {
    const outcome = generatorParams(generator);
    if (!outcome.ok) {
      // The other generators' Applications are still listed: they do not depend on this one.
      findings.push({ code: outcome.offline ? 'generator-offline' : 'generator-unsupported', object: ref, field: `spec.generators[${g}]`, message: outcome.reason });
      complete = false;
      continue;
    }
    for (const [e, params] of outcome.params.entries()) {
      const rendered = renderElement(ref, renderer, base, params, templatePatch);
      if ('error' in rendered) {
        findings.push({ ...rendered.error, message: `element ${e} of generator ${g}: ${rendered.error.message}` });
        for (const f of rendered.related ?? []) {
          if (reportedOnce.has(f.message)) continue;
          reportedOnce.add(f.message);
          findings.push(f);
        }
        renderFailed = true;
        continue;
      }
      if (rendered.ignoredProject !== undefined && !projectPatchReported) {
        projectPatchReported = true;
        findings.push({ code: 'template-patch-project', object: ref, field: 'spec.templatePatch', message: `templatePatch sets spec.project (${JSON.stringify(rendered.ignoredProject)}); Argo CD ignores it and keeps the template's project` });
      }
      for (const key of rendered.droppedKeys ?? []) {
        if (reportedOnce.has(key)) continue;
        reportedOnce.add(key);
        findings.push({ code: 'template-patch-unknown-field', object: ref, field: 'spec.templatePatch', message: `templatePatch sets ${key}, which Application has no field for: Argo CD drops it silently` });
      }
      for (const difference of rendered.yaml11Differences ?? []) {
        const f = yaml11Finding(ref, difference);
        if (reportedOnce.has(f.message)) continue;
        reportedOnce.add(f.message);
        findings.push(f);
      }
      const placed = { ...rendered.application, metadata: { ...(rendered.application.metadata as JsonObject), namespace } };
      applications.push({ manifest: rendered.templated ? withFinalizer(placed, appSet) : placed, generator: g, element: e });
    }
  }
  if (renderFailed) {
    // The controller stops at a render error and creates or updates none of the set's Applications.
    findings.push({ code: 'template-error', object: ref, message: 'Argo CD generates no Applications from this ApplicationSet while any element fails to render' });
    return done(false, []);
  }
  return done(complete, applications);
};
