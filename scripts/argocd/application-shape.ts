// The JSON shape of Argo CD's typed Application (pkg/apis/application/v1alpha1), as the strategic merge of
// `templatePatch` sees it: which fields are structs (a key they do not have cannot be merged into), maps, lists,
// opaque values (runtime.RawExtension / apiextensions JSON: nothing below them can be looked up) and scalars.
// `application-shape.json` is derived from the Application CRD at the pinned Argo CD version by
// `pnpm exec tsx scripts/argocd/build-application-shape.ts <application-crd.yaml>` (see its header).
import { readFileSync } from 'node:fs';
import { toolPath } from '../lib/tool-root.ts';

/** s string, b bool, i integer, n number, q int-or-string, o opaque (RawExtension, JSON). */
export type ScalarShape = 's' | 'b' | 'i' | 'n' | 'q' | 'o';
export type Shape = ScalarShape | { readonly f: Readonly<Record<string, Shape>> } | { readonly m: Shape } | { readonly l: Shape };

export interface ApplicationShape {
  /** Where it was derived from: repository, tag and file. */
  readonly source: string;
  readonly shape: Shape;
}

export const isStruct = (s: Shape): s is { readonly f: Readonly<Record<string, Shape>> } => typeof s === 'object' && 'f' in s;
export const isMap = (s: Shape): s is { readonly m: Shape } => typeof s === 'object' && 'm' in s;
export const isList = (s: Shape): s is { readonly l: Shape } => typeof s === 'object' && 'l' in s;

let cached: ApplicationShape | undefined;

/** The committed shape of the pinned Argo CD's Application. */
export const applicationShape = (): ApplicationShape => {
  cached ??= JSON.parse(readFileSync(toolPath('scripts', 'argocd', 'application-shape.json'), 'utf8')) as ApplicationShape;
  return cached;
};
