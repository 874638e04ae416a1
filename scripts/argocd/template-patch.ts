// `spec.templatePatch`, as Argo CD v3.4.4 applies it (applicationset/controllers/template/patch.go): after the
// template is rendered for one element, the patch text is rendered with the same parameters, converted YAML → JSON by
// sigs.k8s.io/yaml (YAML 1.1: `yes`, `on`, `010` are not what YAML 1.2 reads), decoded into the typed Application
// (a value of the wrong type fails the patch; unknown keys are dropped silently), and applied as a strategic merge
// patch typed by the Application (strategic-merge.ts: a key that is a map on both sides must be a field of a struct,
// so nothing below `helm.valuesObject` can be merged into). Argo CD then puts `spec.project` back to the template's.
import { applicationShape } from './application-shape.ts';
import { isObject, type JsonObject } from './kube.ts';
import { asMarshalled, StrategicMergeError, strategicMerge, typeCheck } from './strategic-merge.ts';
import { parse as parseYaml12 } from 'yaml';

import { templatePatchToJson } from './yaml11.ts';

export class TemplatePatchError extends Error {
  constructor(
    message: string,
    /** Dotted path inside the Application where the patch failed, when one key is to blame. */
    readonly path?: string,
    /** Values YAML 1.1 and 1.2 read differently: often why a patch fails (`on` is a boolean to Argo CD). */
    readonly yaml11Differences: readonly string[] = [],
  ) {
    super(message);
    this.name = 'TemplatePatchError';
  }
}

export interface PatchOutcome {
  readonly application: JsonObject;
  /** The project the patch asked for when it differs from the template's; Argo CD ignores it. */
  readonly ignoredProject?: unknown;
  /** Keys of the patch no Application field has: Argo CD drops them without a word. */
  readonly droppedKeys: readonly string[];
  /** Paths whose value YAML 1.1 (what Argo CD reads) and YAML 1.2 (what an author and most editors read) disagree on. */
  readonly yaml11Differences: readonly string[];
}

/** Where two JSON values differ, as dotted paths (a whole subtree counts once). */
const differences = (a: unknown, b: unknown, path = ''): string[] => {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => differences(v, b[i], `${path}[${i}]`));
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], path === '' ? k : `${path}.${k}`));
  }
  return [`${path === '' ? '.' : path}: YAML 1.1 reads ${JSON.stringify(a)}, YAML 1.2 ${JSON.stringify(b)}`];
};

const yaml12Reading = (text: string): unknown => {
  try {
    return parseYaml12(text, { version: '1.2' }) as unknown;
  } catch {
    return undefined;
  }
};

type Json = Parameters<typeof strategicMerge>[0][string];

/** Apply already-rendered patch text to a rendered Application. Throws TemplatePatchError. */
export const applyTemplatePatch = (application: JsonObject, renderedPatch: string): PatchOutcome => {
  let patch: unknown;
  try {
    patch = templatePatchToJson(renderedPatch);
  } catch (error) {
    throw new TemplatePatchError(`rendered templatePatch is not valid YAML: ${(error as Error).message}\n${renderedPatch}`);
  }
  const yaml12 = yaml12Reading(renderedPatch);
  const yaml11Differences = yaml12 === undefined ? [] : differences(patch, yaml12);
  // sigs.k8s.io/yaml turns an empty document into JSON null; the merge of null changes nothing.
  if (patch === null || patch === undefined) return { application, droppedKeys: [], yaml11Differences };
  if (!isObject(patch)) throw new TemplatePatchError(`invalid templatePatch: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type v1alpha1.Application`, undefined, yaml11Differences);
  const { shape } = applicationShape();
  const types = typeCheck(patch as Json, shape);
  const [typeError] = types.errors;
  if (typeError !== undefined) throw new TemplatePatchError(`invalid templatePatch: ${typeError.path}: ${typeError.message}`, typeError.path, yaml11Differences);
  let merged: JsonObject;
  try {
    merged = strategicMerge(asMarshalled(application as never, shape), patch as never, shape) as JsonObject;
  } catch (error) {
    if (error instanceof StrategicMergeError) throw new TemplatePatchError(`error while applying templatePatch: ${error.message}`, error.path, yaml11Differences);
    throw error;
  }
  const before = isObject(application.spec) ? application.spec.project : undefined;
  const after = isObject(merged.spec) ? merged.spec.project : undefined;
  if (isObject(merged.spec)) {
    const spec: JsonObject = { ...merged.spec };
    if (before === undefined) delete spec.project;
    else spec.project = before;
    merged.spec = spec;
  }
  const ignoredProject = after !== before && isObject(patch.spec) && 'project' in patch.spec ? { ignoredProject: after } : {};
  return { application: merged, ...ignoredProject, droppedKeys: types.unknown, yaml11Differences };
};
