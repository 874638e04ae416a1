// Managed regions: the writer may own a marked block inside a hand-written file (the README's fleet diagram)
// without owning the file. The block's hash is recorded in the ledger under `path#region`, so a hand edit
// inside the block is detected like any hand edit, and text outside it is never touched.

export const regionBegin = (region: string): string => `<!-- BEGIN GENERATED ${region} -->`;
export const regionEnd = (region: string): string => `<!-- END GENERATED ${region} -->`;

export type SpliceResult =
  | { readonly ok: true; readonly text: string; readonly oldBody: string }
  | { readonly ok: false; readonly reason: string };

/** Replace the body between the region's marker lines (markers kept, exactly one pair required). */
export const spliceRegion = (text: string, region: string, body: string): SpliceResult => {
  const begin = regionBegin(region);
  const end = regionEnd(region);
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  if (b === -1 || e === -1) return { ok: false, reason: `has no managed region "${region}": add the lines ${begin} and ${end}` };
  if (text.indexOf(begin, b + 1) !== -1 || text.indexOf(end, e + 1) !== -1) {
    return { ok: false, reason: `has more than one pair of markers for region "${region}"` };
  }
  const bodyStart = text.indexOf('\n', b);
  if (bodyStart === -1 || bodyStart > e) return { ok: false, reason: `${begin} must be followed by a line break` };
  const lineStart = text.lastIndexOf('\n', e - 1) + 1;
  if (lineStart <= bodyStart) {
    return { ok: false, reason: `${end} must start its own line after ${begin}` };
  }
  const oldBody = text.slice(bodyStart + 1, lineStart);
  return { ok: true, text: text.slice(0, bodyStart + 1) + body + text.slice(lineStart), oldBody };
};

export const isRegionKey = (key: string): boolean => key.includes('#');
