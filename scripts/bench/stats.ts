// Small statistics for benchmark samples.
export const quantile = (samples: readonly number[], q: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[pos] as number;
};

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
