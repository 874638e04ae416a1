// Canonical key order for validated data: object keys in the order the schema declares them,
// record (map) keys sorted. With this, the model serialises byte-identically however the YAML
// orders its keys, and a field added to the schema needs no change here.

type SchemaNode = Readonly<Record<string, unknown>>;

const asNode = (v: unknown): SchemaNode | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as SchemaNode) : undefined;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `value` (already valid against `schema`) rebuilt with canonical key order at every level. */
export function inSchemaOrder<T>(schema: unknown, value: T): T {
  const node = asNode(schema);
  if (node === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => inSchemaOrder(node.items, item)) as T;
  const object = asNode(value);
  if (object === undefined) return value;
  const properties = asNode(node.properties) ?? {};
  // Records have one value schema under patternProperties (TypeBox Record).
  const recordValue = Object.values(asNode(node.patternProperties) ?? {})[0];
  const declared = Object.keys(properties).filter((k) => Object.hasOwn(object, k));
  const others = Object.keys(object)
    .filter((k) => !Object.hasOwn(properties, k))
    .sort(byCodeUnits);
  const out: Record<string, unknown> = {};
  for (const k of [...declared, ...others]) {
    out[k] = inSchemaOrder(Object.hasOwn(properties, k) ? properties[k] : recordValue, object[k]);
  }
  return out as T;
}
