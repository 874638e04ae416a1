import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../scripts/inventory/suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['replcas', 'replicas', 1],
    ['aws-nbl', 'aws-nlb', 1], // a transposition is one edit
    ['stagign', 'staging', 1],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is symmetric, zero only for equal strings, and at most the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
      { numRuns: 200 },
    );
  });
});

describe('closest / didYouMean', () => {
  const fields = ['replicas', 'resources', 'autoscaling'];
  it('suggests close candidates only', () => {
    expect(closest('replcas', fields)).toBe('replicas');
    expect(closest('Replicas', fields)).toBe('replicas');
    expect(closest('cpu', fields)).toBeUndefined();
    expect(closest('', fields)).toBeUndefined();
    expect(closest('x'.repeat(1000), fields)).toBeUndefined();
  });
  it('formats the hint, or nothing', () => {
    expect(didYouMean('autoscalling', fields)).toBe(' (did you mean "autoscaling"?)');
    expect(didYouMean('zzz', fields)).toBe('');
  });
});
