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
  const walk = (v: unknown, id: number, path: string): void => {
    if (id === ANY) return;
    const shape = shapes[id];
    if (shape === null || shape === undefined) return;
    if (Array.isArray(v)) {
      if (shape.a === undefined) return;
      for (let i = 0; i < v.length; i++) walk(v[i], shape.a, `${path}/${i}`);
      return;
    }
    if (!isPlainObject(v)) return;
    const fields = shape.f;
    for (const key of Object.keys(v)) {
      const known = fields?.[key];
      if (known !== undefined) walk(v[key], known, `${path}/${key}`);
      else if (shape.m !== undefined) walk(v[key], shape.m, `${path}/${key}`);
      else out.push({ path: `${path}/${key}`, known: fields === undefined ? [] : Object.keys(fields) });
    }
  };
  walk(value, root, '');
  return out;
};
