// The promotion order as a graph: each environment names at most one next environment
// (`promotesTo`), and together they must form one chain, first to last. Pure; findings carry names
// only, and the caller turns them into positioned issues.

export interface PromotionEdgeInput {
  readonly name: string;
  /** `undefined` for the last environment, and for files whose schema failed (edge unknown). */
  readonly promotesTo: string | undefined;
}

export type PromotionFinding =
  | { readonly kind: 'unknown-target'; readonly env: string; readonly target: string }
  | { readonly kind: 'self'; readonly env: string }
  | { readonly kind: 'shared-target'; readonly env: string; readonly target: string; readonly other: string }
  /** `cycle` starts and ends at `env`, the alphabetically first member, so each cycle is reported once. */
  | { readonly kind: 'cycle'; readonly env: string; readonly cycle: readonly string[] }
  /** `env` has no environment promoting to it although `first` already starts the chain. */
  | { readonly kind: 'gap'; readonly env: string; readonly first: string };

export interface PromotionAnalysis {
  readonly findings: readonly PromotionFinding[];
  /** Environment names first to last; only when there are no findings and every edge is known. */
  readonly order: readonly string[] | undefined;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `complete` says every environment's edge is known (all files passed the schema); gap detection
 * needs the whole graph, the per-edge checks and cycles do not.
 */
export function analysePromotion(envs: readonly PromotionEdgeInput[], complete: boolean): PromotionAnalysis {
  const names = new Set(envs.map((e) => e.name));
  const findings: PromotionFinding[] = [];
  const next = new Map<string, string>();
  const from = new Map<string, string>();

  for (const env of [...envs].sort((a, b) => byName(a.name, b.name))) {
    const target = env.promotesTo;
    if (target === undefined) continue;
    if (!names.has(target)) findings.push({ kind: 'unknown-target', env: env.name, target });
    else if (target === env.name) findings.push({ kind: 'self', env: env.name });
    else {
      const other = from.get(target);
      if (other !== undefined) findings.push({ kind: 'shared-target', env: env.name, target, other });
      else from.set(target, env.name);
      next.set(env.name, target);
    }
  }

  findings.push(...findCycles([...names].sort(byName), next));

  // A gap is only meaningful in an otherwise well-formed graph; with broken edges it is an echo.
  if (findings.length > 0 || !complete) return { findings, order: undefined };

  const firsts = [...names].filter((n) => !from.has(n));
  const chainFrom = (start: string): string[] => {
    const chain = [start];
    for (let n = next.get(start); n !== undefined; n = next.get(n)) chain.push(n);
    return chain;
  };
  // The longest chain is taken as the real one; the others are reported as cut off from it.
  const ranked = firsts
    .map((f) => ({ first: f, chain: chainFrom(f) }))
    .sort((a, b) => b.chain.length - a.chain.length || byName(a.first, b.first));
  const main = ranked[0];
  if (main === undefined) return { findings, order: undefined }; // no environments: reported elsewhere
  for (const other of ranked.slice(1)) findings.push({ kind: 'gap', env: other.first, first: main.first });
  return { findings, order: findings.length === 0 ? main.chain : undefined };
}

/** Cycles of a graph where every node has at most one successor. */
function findCycles(sortedNames: readonly string[], next: ReadonlyMap<string, string>): PromotionFinding[] {
  const done = new Set<string>();
  const found: PromotionFinding[] = [];
  for (const start of sortedNames) {
    const onPath: string[] = [];
    let n: string | undefined = start;
    while (n !== undefined && !done.has(n) && !onPath.includes(n)) {
      onPath.push(n);
      n = next.get(n);
    }
    if (n !== undefined && onPath.includes(n)) {
      const members = onPath.slice(onPath.indexOf(n));
      const lowest = [...members].sort(byName)[0] ?? n;
      const at = members.indexOf(lowest);
      const cycle = [...members.slice(at), ...members.slice(0, at), lowest];
      found.push({ kind: 'cycle', env: lowest, cycle });
    }
    for (const p of onPath) done.add(p);
  }
  return found;
}
