import { describe, expect, it } from 'vitest';
import { relativeDir } from '../../scripts/render/kustomize-files.ts';

describe('relativeDir', () => {
  it.each([
    ['clusters/prod-a/streaming', 'base/streaming/namespace', '../../../base/streaming/namespace'],
    ['clusters/prod-a/streaming', 'overlays/prod/streaming/edge-cache', '../../../overlays/prod/streaming/edge-cache'],
    ['overlays/prod/streaming/edge-cache', 'base/streaming/edge-cache', '../../../../base/streaming/edge-cache'],
    ['base/streaming/edge-cache', 'base/streaming/edge-cache/mesh', 'mesh'],
    ['base/streaming/edge-cache/mesh', 'base/streaming/edge-cache', '..'],
    ['argocd', 'apps', '../apps'],
    ['argocd', 'argocd', '.'],
    ['clusters/a', 'clusters-b/x', '../../clusters-b/x'],
    ['base', 'base/x', 'x'],
  ])('%s → %s', (from, to, expected) => {
    expect(relativeDir(from, to)).toBe(expected);
  });
});
