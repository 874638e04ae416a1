// Every environment's xiu pin must be a version the generator was written against (SUPPORTED_XIU_VERSIONS): the
// origin's container command, its TOML config, the origin-http sidecar (xiu's stream API) and the drain hook rely on
// facts read in xiu's source at exactly those tags (scripts/components/streaming/xiu-contract.ts). Another version
// may start with a config it silently ignores or serve an API the sidecar cannot read, so it is an error at the pin.
// This holds whatever registry serves the image: a mirror of a tag is still that xiu version.
import type { CrossCheckInput, Report } from './cross-check-input.ts';
import { issueAt } from './cross-check-input.ts';
import { parsePin } from '../render/image-pin.ts';
import { SUPPORTED_XIU_VERSIONS } from '../components/streaming/xiu-contract.ts';

/** The image name the origin runs xiu from (rtmp-origin.ts, `ctx.repository('xiu')`). */
export const XIU_IMAGE = 'xiu';
export const XIU_CONTRACT_FILE = 'scripts/components/streaming/xiu-contract.ts';


export function checkXiuPins(input: CrossCheckInput, report: Report, supported: readonly string[] = SUPPORTED_XIU_VERSIONS): void {
  for (const env of input.environments) {
    const pin = env.value?.versions[XIU_IMAGE];
    if (pin === undefined) continue;
    const { tag } = parsePin(pin);
    if (supported.includes(tag)) continue;
    report(
      issueAt(
        env.source,
        ['versions', XIU_IMAGE],
        'value',
        `xiu ${tag} is not a supported version: expected one of ${supported.join(', ')}; the generated origin (its ` +
          `command, config keys, the origin-http sidecar's stream API and the drain hook) relies on facts read in xiu's ` +
          `source at those tags. To use another version, read it at that tag and add it to ${XIU_CONTRACT_FILE}`,
      ),
    );
  }
}
