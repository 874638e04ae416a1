// Every rendered object against its kind's schema (the model package's validator) and its strict field tree, and
// its apiVersion against the Kubernetes version the inventory pins. A kind without a schema is an error.
import { closest } from '../inventory/suggest.ts';
import type { RawFinding, RenderedObject } from '../policy/types.ts';
import { notServedReason } from './api-lifecycle.ts';
import type { KindSchema, SchemaRegistry } from './registry.ts';
import { unknownFields } from './strict-fields.ts';

/** Issues reported per object and rule at most; the rest are counted. */
const MAX_ISSUES = 5;

/** `/spec/containers/0/image` → `spec.containers[0].image`. */
export const pointerToField = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');

/**
 * Load the schema of every kind in `objects` (each once per registry) into `into`, which may already hold the
 * schemas of earlier calls (validate loads them one cluster at a time).
 */
export const preloadSchemas = async (
  registry: SchemaRegistry,
  objects: readonly RenderedObject[],
  into: Map<string, KindSchema> = new Map(),
): Promise<Map<string, KindSchema>> => {
  const keys = new Map<string, RenderedObject>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!into.has(key)) keys.set(key, o);
  }
  await Promise.all(
    [...keys].map(async ([key, o]) => {
      const schema = await registry.get(o.apiVersion, o.kind);
      if (schema !== undefined) into.set(key, schema);
    }),
  );
  return into;
};

export const checkSchemas = (
  objects: readonly RenderedObject[],
  schemas: ReadonlyMap<string, KindSchema>,
  kubernetesMinor: number | undefined,
): RawFinding[] => {
  const out: RawFinding[] = [];
  for (const o of objects) {
    const schema = schemas.get(`${o.apiVersion}/${o.kind}`);
    if (schema === undefined) {
      out.push({ rule: 'schema/no-schema', object: o, message: `no schema for ${o.apiVersion} ${o.kind}: no installed model package defines it` });
      continue;
    }
    if (kubernetesMinor !== undefined) {
      const why = notServedReason(o.apiVersion, o.kind, kubernetesMinor);
      if (why !== undefined) out.push({ rule: 'schema/api-not-served', object: o, field: 'apiVersion', message: `${why}; the inventory pins 1.${kubernetesMinor}` });
    }
    const issues = schema.validate(o.raw);
    for (const issue of issues.slice(0, MAX_ISSUES)) {
      out.push({ rule: 'schema/invalid', object: o, field: pointerToField(issue.path), message: `${pointerToField(issue.path) || 'object'} ${issue.message}` });
    }
    if (issues.length > MAX_ISSUES) out.push({ rule: 'schema/invalid', object: o, message: `${issues.length - MAX_ISSUES} more schema errors` });
    const unknown = unknownFields(o.raw, schema.root, schema.shapes);
    for (const u of unknown.slice(0, MAX_ISSUES)) {
      const field = pointerToField(u.path);
      const key = field.slice(field.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
      const hint = closest(key, u.known);
      out.push({
        rule: 'schema/unknown-field',
        object: o,
        field,
        message: `unknown field ${field}${hint !== undefined ? ` (did you mean ${hint}?)` : ''}: ${o.kind} ${o.apiVersion} has no such field, the API server would drop it`,
      });
    }
    if (unknown.length > MAX_ISSUES) out.push({ rule: 'schema/unknown-field', object: o, message: `${unknown.length - MAX_ISSUES} more unknown fields` });
  }
  return out;
};
