// `spec.templatePatch`: after the template is rendered for one element, Argo CD renders the patch text with the
// same parameters, reads it as YAML and applies it as a strategic merge patch typed by Application. Application's
// Go types carry no patch-merge keys, so the patch behaves like a JSON merge patch: maps merge key by key with
// the patch winning, lists and scalars are replaced, `null` deletes. Argo CD then puts `spec.project` back to the
// template's value, so a patch can never move an Application into another project.
import { parse as parseYaml } from 'yaml';

import { isObject, type JsonObject } from './kube.ts';

export class TemplatePatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplatePatchError';
  }
}

/** Drop nulls from a subtree that the patch adds where the base had nothing (they would decode to zero values). */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
};

/** Merge `patch` into `base` (neither is modified): maps deep-merge, patch wins, lists replace, null deletes. */
export const mergePatch = (base: unknown, patch: unknown, path = ''): unknown => {
  if (!isObject(patch)) return withoutNulls(patch);
  if (!isObject(base)) return withoutNulls(patch);
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    // Strategic-merge directives would need the Kubernetes patch machinery; refuse rather than guess.
    if (key.startsWith('$')) throw new TemplatePatchError(`strategic merge directive ${JSON.stringify(key)} at ${path || '.'} is not supported offline`);
    if (value === null) delete out[key];
    else out[key] = mergePatch(base[key], value, path.length > 0 ? `${path}.${key}` : key);
  }
  return out;
};

export interface PatchOutcome {
  readonly application: JsonObject;
  /** The project the patch asked for when it differs from the template's; Argo CD ignores it. */
  readonly ignoredProject?: unknown;
}

/** Apply already-rendered patch text to a rendered Application. Throws TemplatePatchError. */
export const applyTemplatePatch = (application: JsonObject, renderedPatch: string): PatchOutcome => {
  // sigs.k8s.io/yaml turns an empty document into JSON null, which the merge treats as "no change".
  if (renderedPatch.trim().length === 0) return { application };
  let patch: unknown;
  try {
    patch = parseYaml(renderedPatch);
  } catch (error) {
    throw new TemplatePatchError(`rendered templatePatch is not valid YAML: ${(error as Error).message}\n${renderedPatch}`);
  }
  if (patch === null || patch === undefined) return { application };
  if (!isObject(patch)) throw new TemplatePatchError(`rendered templatePatch must be a map (metadata/spec), got ${Array.isArray(patch) ? 'a list' : typeof patch}`);
  const merged = mergePatch(application, patch) as JsonObject;
  const before = isObject(application.spec) ? application.spec.project : undefined;
  const after = isObject(merged.spec) ? merged.spec.project : undefined;
  if (isObject(merged.spec)) {
    const spec: JsonObject = { ...merged.spec };
    if (before === undefined) delete spec.project;
    else spec.project = before;
    merged.spec = spec;
  }
  return after !== before && isObject(patch.spec) && 'project' in patch.spec ? { application: merged, ignoredProject: after } : { application: merged };
};
