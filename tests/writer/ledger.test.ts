import { describe, expect, it } from 'vitest';
import { CliError } from '../../scripts/lib/exit-codes.ts';
import { makeLedger, parseLedger, serializeLedger } from '../../scripts/writer/index.ts';

const h = (c: string): string => c.repeat(64);

describe('ledger', () => {
  it('serialises sorted by byte order, one entry per line, LF and a trailing newline', () => {
    const text = serializeLedger(
      makeLedger([
        { path: 'b/x.yaml', sha256: h('b') },
        { path: 'B/x.yaml', sha256: h('c') },
        { path: 'a.yaml', sha256: h('a') },
      ]),
    );
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "generatedBy": "pnpm gen",',
        '  "files": [',
        `    { "path": "B/x.yaml", "sha256": "${h('c')}" },`,
        `    { "path": "a.yaml", "sha256": "${h('a')}" },`,
        `    { "path": "b/x.yaml", "sha256": "${h('b')}" }`,
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(serializeLedger(parseLedger(text))).toBe(text);
  });

  it('serialises an empty ledger', () => {
    expect(serializeLedger(makeLedger([]))).toBe('{\n  "version": 1,\n  "generatedBy": "pnpm gen",\n  "files": []\n}\n');
  });

  it('escapes unusual characters in paths', () => {
    const text = serializeLedger(makeLedger([{ path: 'a "q".yaml', sha256: h('d') }]));
    expect(parseLedger(text).files[0]?.path).toBe('a "q".yaml');
  });

  it('rejects absolute and traversing paths', () => {
    for (const path of ['/etc/passwd', '../x']) {
      expect(() => parseLedger(JSON.stringify({ version: 1, files: [{ path, sha256: h('e') }] }))).toThrow(CliError);
    }
  });
});
