// Byte-exact inventory edits: new entries are inserted as text after the last entry of a block mapping or
// sequence, so every other byte of a hand-edited file (comments, quoting, folded scalars, blank lines) stays
// exactly as the user wrote it. Re-serialising a whole document would re-flow some of them.
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
const lineEndAfter = (text: string, offset: number): number => {
  const nl = text.indexOf('\n', Math.max(offset - 1, 0));
  return nl === -1 ? text.length : nl + 1;
};

/** A YAML snippet for `value`, every line indented by `indent`; flow style for short scalar lists. */
const block = (value: unknown, indent: string): string => {
  const doc = new Document(value);
  // Lists of scalars (stacks, capabilities) read best inline, as in the hand-written entries.
  visit(doc, { Seq: (_, seq) => void (seq.flow = seq.items.every((i) => isScalar(i))) });
  return (
    doc
    .toString({ lineWidth: 0, flowCollectionPadding: false })
    .split('\n')
    .filter((l, i, all) => l.length > 0 || i < all.length - 1)
    .map((l) => `${indent}${l}`)
    .join('\n') + '\n'
  );
};

/** Where a collection's last item ends (end of its line) and how its items are indented. */
const collectionTail = (text: string, node: Node): { at: number; indent: string } => {
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const first = node.items[0]!.key as Node;
    const last = node.items[node.items.length - 1]!;
    const end = ((last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1]);
    const start = first.range![0];
    return { at: lineEndAfter(text, end), indent: text.slice(lineStart(text, start), start) };
  }
  if (isSeq(node) && !node.flow && node.items.length > 0) {
    const first = node.items[0] as Node;
    const last = node.items[node.items.length - 1] as Node;
    const dash = text.lastIndexOf('-', first.range![0]);
    return { at: lineEndAfter(text, last.range![1]), indent: text.slice(lineStart(text, dash), dash) };
  }
  throw new Error('expected a non-empty block mapping or sequence');
};

/** Add `key: value` at the end of the block mapping at `path`; creates the mapping at the end of the file if absent. */
export const insertMapEntry = (text: string, path: readonly string[], key: string, value: unknown): string => {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true) as Node | undefined;
  if (node === undefined || node === null) {
    if (path.length !== 1) throw new Error(`no mapping at ${path.join('.')}`);
    const sep = text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}${path[0]}:\n${block({ [key]: value }, '  ')}`;
  }
  const { at, indent } = collectionTail(text, node);
  return text.slice(0, at) + block({ [key]: value }, indent) + text.slice(at);
};

/** Append an item to the block sequence at `path`, separated by a blank line like its neighbours. */
export const appendSeqItem = (text: string, path: readonly string[], item: unknown): string => {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node) throw new Error(`no sequence at ${path.join('.')}`);
  const { at, indent } = collectionTail(text, node);
  const head = at > 0 && !text.slice(0, at).endsWith('\n') ? '\n' : '';
  return text.slice(0, at) + head + '\n' + block([item], indent) + text.slice(at);
};
