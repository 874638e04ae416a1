// The strict field table of one model package: for every kind, the tree of field names the API knows.
// Generated from the package's TypeScript definitions by build-known-fields.ts and committed under known-fields/,
// so a user's machine needs neither the TypeScript compiler at run time nor any schema download.

/**
 * One node of the tree. `f`: the known fields of an object and the shape of each value; `m`: the shape of the
 * values of a free-form map (also the fallback for keys not in `f`); `a`: the shape of array items.
 * Shape id 0 (ANY) is a scalar or a free-form value (`x-kubernetes-preserve-unknown-fields`): not looked into.
 */
export interface Shape {
  readonly f?: Readonly<Record<string, number>>;
  readonly m?: number;
  readonly a?: number;
}

export const ANY = 0;

export interface KindEntry {
  /** Import specifier of the model class: `kubernetes-models/apps/v1/Deployment`. */
  readonly module: string;
  /** Exported class name in that module (the kind). */
  readonly exportName: string;
  /** Root shape id. */
  readonly shape: number;
}

export interface FieldTable {
  readonly package: string;
  /** Version of the package the table was generated from; a mismatch with the installed one is reported. */
  readonly version: string;
  /** Keyed by `apiVersion/kind` (`apps/v1/Deployment`, `v1/Service`). */
  readonly kinds: Readonly<Record<string, KindEntry>>;
  /** Index 0 is the ANY placeholder (null in JSON). */
  readonly shapes: ReadonlyArray<Shape | null>;
}

/** The key of a kind in a table: `apps/v1/Deployment`, `v1/ConfigMap`. */
export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;
