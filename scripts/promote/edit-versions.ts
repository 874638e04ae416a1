// Rewrite version pins in an environment file's text without touching anything else: comments, key order,
// flow maps and blank lines stay byte for byte, because only the characters of each pinned scalar are
// replaced (the YAML library's positions say where). A pin the file lacks is added as a new line at the end
// of the `versions:` block, indented like its neighbours. The result is re-parsed and checked.
import { isMap, isScalar, isPair, parseDocument, type Scalar } from 'yaml';
import { parse } from 'yaml';

/** The file could not be edited safely (flow-style `versions`, YAML errors); the message says why. */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

export interface PinEdit {
  readonly image: string;
  readonly version: string;
}

const quoted = (version: string, style: Scalar['type']): string =>
  style === 'QUOTE_SINGLE' ? `'${version.replace(/'/g, "''")}'` : JSON.stringify(version);

/** `text` with every pin in `edits` set; throws EditError when that cannot be done surgically. */
export const editVersionPins = (text: string, file: string, edits: readonly PinEdit[]): string => {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new EditError(`${file}: YAML errors: ${doc.errors[0]?.message ?? ''}`);
  const versions = doc.get('versions', true);
  if (!isMap(versions)) throw new EditError(`${file}: no versions: mapping`);
  if (versions.flow === true) throw new EditError(`${file}: versions: is a flow mapping ({…}); write it as a block mapping to promote into it`);

  const replacements: Array<{ start: number; end: number; text: string }> = [];
  const missing: PinEdit[] = [];
  for (const edit of edits) {
    const pair = versions.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === edit.image);
    const value = pair?.value;
    if (pair === undefined) {
      missing.push(edit);
      continue;
    }
    if (!isScalar(value) || value.range === undefined || value.range === null) {
      throw new EditError(`${file}: versions.${edit.image} is not a plain value`);
    }
    replacements.push({ start: value.range[0], end: value.range[1], text: quoted(edit.version, value.type) });
  }

  let out = text;
  if (missing.length > 0) {
    const last = versions.items[versions.items.length - 1];
    const key = last?.key;
    const value = last?.value;
    if (!isScalar(key) || key.range === undefined || key.range === null || !isScalar(value) || !value.range) {
      throw new EditError(`${file}: cannot find where to add ${missing.map((m) => m.image).join(', ')} under versions:`);
    }
    const lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
    const indent = text.slice(lineStart, key.range[0]);
    const lineEnd = text.indexOf('\n', value.range[1]);
    const at = lineEnd < 0 ? text.length : lineEnd + 1;
    const added = missing.map((m) => `${indent}${m.image}: ${JSON.stringify(m.version)}\n`).join('');
    replacements.push({ start: at, end: at, text: `${lineEnd < 0 ? '\n' : ''}${added}` });
  }
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.text + out.slice(r.end);

  // Safety net: the data must differ from the original exactly by the pins set here.
  const before = parse(text) as { versions: Record<string, unknown> };
  const after = parse(out) as { versions: Record<string, unknown> };
  const expected = { ...before, versions: { ...before.versions, ...Object.fromEntries(edits.map((e) => [e.image, e.version])) } };
  if (JSON.stringify(after) !== JSON.stringify(expected)) throw new EditError(`${file}: editing the pins would change more than the pins; edit it by hand`);
  return out;
};
