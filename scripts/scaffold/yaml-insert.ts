// Byte-exact inventory edits: new entries are inserted as text after the last entry of a block mapping or
// sequence, so every other byte of a hand-edited file (comments, quoting, folded scalars, blank lines) stays
// exactly as the user wrote it. Re-serialising a whole document would re-flow some of them.
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
const lineEndAfter = (text: string, offset: number): number => {
  const nl = text.indexOf('\n', Math.max(offset - 1, 0));
  return nl === -1 ? text.length : nl + 1;
};

/**
 * A YAML snippet for `value`, every line indented by `indent`; flow style for short scalar lists. `value` may hold
 * parsed nodes (a cluster copied from its peer): they keep their own style (flow maps, quoted strings).
 */
export const block = (value: unknown, indent: string): string => {
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

/**
 * Where item `index` of a block sequence starts and ends as whole lines: from the first line of the comment block
 * right above its dash (a comment there describes the item) to the end of its last line.
 */
const itemSpan = (text: string, seq: Node, index: number): { start: number; end: number; indent: string } => {
  if (!isSeq(seq) || seq.flow || index < 0 || index >= seq.items.length) throw new Error(`no block sequence item ${index}`);
  const item = seq.items[index] as Node;
  const dash = text.lastIndexOf('-', item.range![0]);
  let start = lineStart(text, dash);
  const indent = text.slice(start, dash);
  for (;;) {
    if (start === 0) break;
    const prev = lineStart(text, start - 1);
    if (!text.slice(prev, start).trim().startsWith('#')) break;
    start = prev;
  }
  return { start, end: lineEndAfter(text, item.range![1]), indent };
};

const sequenceAt = (text: string, path: readonly string[]): Node => {
  const node = parseDocument(text).getIn(path, true) as Node | undefined;
  if (!node || !isSeq(node) || node.flow) throw new Error(`no block sequence at ${path.join('.')}`);
  return node;
};

/**
 * Insert an item into the block sequence at `path` right before item `before` (above its comment block), or after
 * the item `after`; items are separated by a blank line like their neighbours. Every other byte stays.
 */
export const insertSeqItem = (text: string, path: readonly string[], item: unknown, at: { before: number } | { after: number }): string => {
  const seq = sequenceAt(text, path);
  if ('before' in at) {
    const { start, indent } = itemSpan(text, seq, at.before);
    return text.slice(0, start) + block([item], indent) + '\n' + text.slice(start);
  }
  const { end, indent } = itemSpan(text, seq, at.after);
  const head = end > 0 && !text.slice(0, end).endsWith('\n') ? '\n' : '';
  return text.slice(0, end) + head + '\n' + block([item], indent) + text.slice(end);
};

/**
 * Remove item `index` of the block sequence at `path` with its comment block and one blank line that separated it
 * from a neighbour, so the file reads as if the item had never been there.
 */
export const removeSeqItem = (text: string, path: readonly string[], index: number): string => {
  const seq = sequenceAt(text, path);
  const { start, end } = itemSpan(text, seq, index);
  const isBlank = (from: number): boolean => {
    const stop = text.indexOf('\n', from);
    return stop !== -1 && text.slice(from, stop).trim() === '';
  };
  // The blank line after the item goes with it; the last item takes the blank line above it instead.
  if (end < text.length && isBlank(end)) return text.slice(0, start) + text.slice(text.indexOf('\n', end) + 1);
  const above = start > 0 ? lineStart(text, start - 1) : -1;
  if (above >= 0 && isBlank(above)) return text.slice(0, above) + text.slice(end);
  return text.slice(0, start) + text.slice(end);
};
