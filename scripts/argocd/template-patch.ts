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

/** Merge `patch` into `base` (neither is modified): maps deep-merge, patch wins, lists replace, null deletes. */
export const mergePatch = (base: unknown, patch: unknown, path = ''): unknown => {
  if (Array.isArray(patch)) return patch.map((item, i) => mergePatch(undefined, item, `${path}[${i}]`));
  if (!isObject(patch)) return patch;
  // Where the base has no map, the patch map is taken as it is, minus its nulls (they decode to zero values).
  const out: JsonObject = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    // Strategic-merge directives would need the Kubernetes patch machinery; refuse rather than guess.
    if (key.startsWith('$')) throw new TemplatePatchError(`strategic merge directive ${JSON.stringify(key)} at ${path || '.'} is not supported offline`);
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value, path.length > 0 ? `${path}.${key}` : key);
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
