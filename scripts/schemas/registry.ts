// Kind → schema: the model package's compiled validator and the strict field tree of the same kind.
// Field tables are read once per process; each kind's validator module is imported on first use, once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { kindKey, type FieldTable, type KindEntry, type Shape } from './field-table.ts';
import { KNOWN_FIELDS_DIR } from './known-fields-dir.ts';
import { applyCorrections } from './model-corrections.ts';
import { MODEL_PACKAGES, knownFieldsFile } from './model-packages.ts';

/** One problem the package's validator reported (ajv error, localised). */
export interface SchemaIssue {
  /** JSON pointer of the offending value: `/spec/replicas`. */
  readonly path: string;
  readonly message: string;
  /** ajv keyword (`type`, `enum`, `required`, …). */
  readonly keyword?: string;
  /** For `required`: the missing property. */
  readonly missingProperty?: string;
}

export interface KindSchema {
  readonly key: string;
  readonly package: string;
  /** Structural check (types, enums, required fields) with the package's validator. */
  readonly validate: (obj: unknown) => SchemaIssue[];
  readonly shapes: ReadonlyArray<Shape | null>;
  readonly root: number;
}

interface AjvError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
}

type ValidateMethod = (this: unknown) => void;

const readTables = (dir: string): FieldTable[] =>
  MODEL_PACKAGES.map((p) => JSON.parse(readFileSync(join(dir, knownFieldsFile(p.name)), 'utf8')) as FieldTable);

const toIssues = (error: unknown): SchemaIssue[] => {
  const errors = (error as { errors?: AjvError[] }).errors;
  if (!Array.isArray(errors)) return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
  const seen = new Set<string>();
  const out: SchemaIssue[] = [];
  for (const e of errors) {
    const path = e.instancePath ?? '';
    const message = e.message ?? 'is invalid';
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const missing = e.params?.missingProperty;
    out.push({ path, message, ...(e.keyword !== undefined ? { keyword: e.keyword } : {}), ...(typeof missing === 'string' ? { missingProperty: missing } : {}) });
  }
  return out;
};

export class SchemaRegistry {
  private readonly entries = new Map<string, { table: FieldTable; entry: KindEntry }>();
  private readonly loaded = new Map<string, Promise<KindSchema>>();
  readonly tables: readonly FieldTable[];

  constructor(tables: readonly FieldTable[] = readTables(KNOWN_FIELDS_DIR)) {
    this.tables = tables;
    for (const table of tables) {
      for (const [key, entry] of Object.entries(table.kinds)) {
        // First package wins: kubernetes-models is listed first, so a CRD package cannot shadow a built-in kind.
        if (!this.entries.has(key)) this.entries.set(key, { table, entry });
      }
    }
  }

  /** Whether a schema exists for the kind (without loading it). */
  has(apiVersion: string, kind: string): boolean {
    return this.entries.has(kindKey(apiVersion, kind));
  }

  /** Every `apiVersion/kind` with a schema. */
  keys(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The schema of a kind, or undefined when no package has one. Loads the validator module once. */
  get(apiVersion: string, kind: string): Promise<KindSchema> | undefined {
    const key = kindKey(apiVersion, kind);
    const cached = this.loaded.get(key);
    if (cached !== undefined) return cached;
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    const pending = this.load(key, found.table, found.entry);
    this.loaded.set(key, pending);
    return pending;
  }

  private async load(key: string, table: FieldTable, entry: KindEntry): Promise<KindSchema> {
    const mod = (await import(entry.module)) as Record<string, { prototype: { validate: ValidateMethod } } | undefined>;
    const model = mod[entry.exportName];
    if (model === undefined) throw new Error(`${entry.module} exports no ${entry.exportName}`);
    // The model's `validate()` runs the package's compiled validator on `this`. Calling it on the plain object
    // avoids the model constructor, which deep-copies the object first.
    const method = model.prototype.validate;
    const validate = (obj: unknown): SchemaIssue[] => {
      try {
        method.call(obj);
        return [];
      } catch (error) {
        return applyCorrections(table.package, toIssues(error));
      }
    };
    return { key, package: table.package, validate, shapes: table.shapes, root: entry.shape };
  }
}
