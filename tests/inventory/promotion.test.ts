import { describe, expect, it } from 'vitest';
import { analysePromotion } from '../../scripts/inventory/promotion.ts';

const envs = (edges: Record<string, string | undefined>): Array<{ name: string; promotesTo: string | undefined }> =>
  Object.entries(edges).map(([name, promotesTo]) => ({ name, promotesTo }));

describe('analysePromotion', () => {
  it('orders a single chain first to last, whatever the input order', () => {
    const result = analysePromotion(envs({ prod: undefined, dev: 'staging', staging: 'prod' }), true);
    expect(result).toEqual({ findings: [], order: ['dev', 'staging', 'prod'] });
  });

  it('accepts a single environment', () => {
    expect(analysePromotion(envs({ prod: undefined }), true).order).toEqual(['prod']);
  });

  it('reports each cycle once, from its alphabetically first member', () => {
    const result = analysePromotion(envs({ c: 'a', a: 'b', b: 'c', x: 'y', y: 'x' }), true);
    expect(result.findings).toEqual([
      { kind: 'cycle', env: 'a', cycle: ['a', 'b', 'c', 'a'] },
      { kind: 'cycle', env: 'x', cycle: ['x', 'y', 'x'] },
    ]);
    expect(result.order).toBeUndefined();
  });

  it('reports unknown targets, self-promotion and shared targets per edge', () => {
    const result = analysePromotion(envs({ a: 'zz', b: 'b', c: 'e', d: 'e', e: undefined }), true);
    expect(result.findings).toEqual([
      { kind: 'unknown-target', env: 'a', target: 'zz' },
      { kind: 'self', env: 'b' },
      { kind: 'shared-target', env: 'd', target: 'e', other: 'c' },
    ]);
  });

  it('reports a gap against the longest chain', () => {
    const result = analysePromotion(envs({ dev: 'staging', staging: undefined, prod: undefined }), true);
    expect(result.findings).toEqual([{ kind: 'gap', env: 'prod', first: 'dev' }]);
  });

  it('does not guess gaps while some edges are unknown', () => {
    const result = analysePromotion(envs({ dev: 'staging', staging: undefined, prod: undefined }), false);
    expect(result).toEqual({ findings: [], order: undefined });
  });
});
