// Field paths: one array form used to find nodes, one dotted form shown to people.

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** Keys that can be shown bare after a dot; anything else is quoted so the path stays unambiguous. */
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `['clusters', 2, 'environment']` → `clusters[2].environment`; the empty path is `(root)`. */
export function formatFieldPath(path: FieldPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out.length === 0 ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Whether `path` is `prefix` or lies under it. */
export function isUnder(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}
