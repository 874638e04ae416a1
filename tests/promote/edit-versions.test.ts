// Comment-preserving pin edits: only the scalar's characters change; quoting style kept; missing pins added.
import { describe, expect, it } from 'vitest';

import { EditError, editVersionPins } from '../../scripts/promote/edit-versions.ts';

const FILE = `# staging: production-like
promotesTo: prod   # next
apps:
  edge-cache:
    resources: {requests: {cpu: 200m}}
versions:
  # the origin
  xiu: "0.12.4"    # keep this comment
  nginx: '1.27.3-alpine'
  prometheus: "v3.0.1"

# trailing comment
`;

describe('editVersionPins', () => {
  it('replaces only the pinned scalars, keeping comments, flow maps and quote style', () => {
    const out = editVersionPins(FILE, 'staging.yaml', [
      { image: 'xiu', version: '0.13.0' },
      { image: 'nginx', version: '1.27.4-alpine' },
    ]);
    expect(out).toBe(FILE.replace('"0.12.4"', '"0.13.0"').replace("'1.27.3-alpine'", "'1.27.4-alpine'"));
  });

  it('adds a pin the file lacks after the last one, indented like its neighbours', () => {
    const out = editVersionPins(FILE, 'staging.yaml', [{ image: 'ffmpeg-worker', version: '1.5.0' }]);
    expect(out).toBe(FILE.replace('  prometheus: "v3.0.1"\n', '  prometheus: "v3.0.1"\n  ffmpeg-worker: "1.5.0"\n'));
  });

  it('pins a digest as a quoted string', () => {
    const digest = `1.0@sha256:${'a'.repeat(64)}`;
    expect(editVersionPins(FILE, 'f', [{ image: 'xiu', version: digest }])).toContain(`xiu: "${digest}"    # keep this comment`);
  });

  it('refuses a flow-style versions mapping instead of reformatting it', () => {
    expect(() => editVersionPins('versions: {xiu: "1"}\n', 'f.yaml', [{ image: 'xiu', version: '2' }])).toThrow(EditError);
  });

  it('refuses a file without versions', () => {
    expect(() => editVersionPins('apps: {}\n', 'f.yaml', [{ image: 'xiu', version: '2' }])).toThrow('no versions: mapping');
  });
});
