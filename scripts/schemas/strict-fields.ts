// Unknown-field check: walk an object along its kind's field tree and name every key the API does not know.
// Pure and allocation-light, since it runs on every rendered object.
import { ANY, type Shape } from './field-table.ts';

export interface UnknownField {
  /** JSON-pointer-like path of the unknown key: `/spec/template/spec/containers/0/imagePullPolicyy`. */
  readonly path: string;
  /** Known keys at that level, for a "did you mean" hint. */
  readonly known: readonly string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every key of `value` (recursively) that `shapes[root]` does not list. */
export const unknownFields = (value: unknown, root: number, shapes: ReadonlyArray<Shape | null>): UnknownField[] => {
  const out: UnknownField[] = [];
  // The path to the current value, as segments; joined only for a key that is reported (almost never), since
  // building it at every level cost more than the walk itself.
  const path: Array<string | number> = [];
  const pointer = (last: string): string => `${path.map((p) => `/${p}`).join('')}/${last}`;
  const walk = (v: unknown, id: number): void => {
    if (id === ANY) return;
    const shape = shapes[id];
    if (shape === null || shape === undefined) return;
    if (Array.isArray(v)) {
      if (shape.a === undefined) return;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], shape.a);
        path.pop();
      }
      return;
    }
    if (!isPlainObject(v)) return;
    const fields = shape.f;
    // Parsed YAML objects are plain: `for…in` sees exactly their own keys, in Object.keys order.
    for (const key in v) {
      const known = fields?.[key];
      const next = known !== undefined ? known : shape.m;
      if (next !== undefined) {
        path.push(key);
        walk(v[key], next);
        path.pop();
      } else out.push({ path: pointer(key), known: fields === undefined ? [] : Object.keys(fields) });
    }
  };
  walk(value, root);
  return out;
};
