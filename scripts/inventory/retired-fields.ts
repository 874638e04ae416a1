// Inventory fields that used to exist and were removed because they could not do what they said. A user's
// inventory may still carry one; instead of "unknown field", the loader says why it went and what to do.
import { formatFieldPath, type FieldPath } from './field-path.ts';

const RETIRED: Readonly<Record<string, string>> = {
  // Checked: https://github.com/harlanc/xiu @ v0.13.0 : protocol/hls/src/remuxer.rs (FlvDataReceiver::new(.., 5, ..)).
  'streaming.origin.segmentSeconds':
    'was removed: xiu cuts HLS segments at a fixed 5 s (on the first keyframe after 5 s) and reads no setting for it; ' +
    'delete the field and set the publishers\' keyframe interval to 5 s or a divisor of it (docs/stacks/streaming.md, "Publish and play on the dev cluster")',
  'clusters.transcoding.spotTolerations':
    'was replaced by transcoding.spot: tolerations alone let CPU workers land on spot nodes but never preferred them; ' +
    'write `spot: {nodeLabels: {<label of the spot nodes>: <value>}, tolerations: [<the same tolerations>]}`',
};

/** Why a field was removed, for an unknown key at `path`; undefined if it never existed. */
export const retiredFieldReason = (path: FieldPath): string | undefined => RETIRED[formatFieldPath(path.filter((s) => typeof s === 'string'))];
