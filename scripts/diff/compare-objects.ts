// Objects of one Application at two revisions → added, removed, changed (with a unified diff of the
// redacted YAML). Keys are sorted before serialising, so only real changes show.
import { stringify } from 'yaml';

import { unifiedDiff } from '../writer/unified-diff.ts';
import type { K8sDoc } from './objects.ts';
import { redactPair } from './redact.ts';

export type ObjectChangeKind = 'added' | 'removed' | 'changed';

export interface ObjectChange {
  readonly change: ObjectChangeKind;
  /** `Deployment streaming/rtmp-origin`. */
  readonly label: string;
  readonly kind: string;
  /** Hunks of the unified diff (without the ---/+++ header), for changed objects only. */
  readonly diff: readonly string[];
}

const toYaml = (value: unknown): string => stringify(value, { sortMapEntries: true, lineWidth: 0 });

const byLabel = (a: ObjectChange, b: ObjectChange): number => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/** What changed between the objects `before` and `after` of one Application; unchanged objects are omitted. */
export const compareObjects = (before: ReadonlyMap<string, K8sDoc>, after: ReadonlyMap<string, K8sDoc>): ObjectChange[] => {
  const out: ObjectChange[] = [];
  for (const [id, a] of before) {
    const b = after.get(id);
    if (b === undefined) {
      out.push({ change: 'removed', label: a.label, kind: a.kind, diff: [] });
      continue;
    }
    const [ra, rb] = redactPair(a.value, b.value);
    const diff = unifiedDiff(toYaml(ra), toYaml(rb), 'a', 'b');
    if (diff.length > 0) out.push({ change: 'changed', label: b.label, kind: b.kind, diff: diff.slice(2) });
  }
  for (const [id, b] of after) if (!before.has(id)) out.push({ change: 'added', label: b.label, kind: b.kind, diff: [] });
  return out.sort(byLabel);
};
