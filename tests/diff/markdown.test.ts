// The PR-comment Markdown: deleted Applications first (prod first, in a red CAUTION alert), a summary
// table that is never cut mid-row, collapsible details, and a hard size limit with a note.
import { describe, expect, it } from 'vitest';

import type { ObjectChange } from '../../scripts/diff/compare-objects.ts';
import { formatMarkdown, GITHUB_BODY_LIMIT } from '../../scripts/diff/format-markdown.ts';
import type { AppDiff, DiffReport } from '../../scripts/diff/report.ts';

const ENVS = ['dev', 'staging', 'prod'];

const app = (cluster: string, stack: string, env: string, status: AppDiff['status'], objects: ObjectChange[] = []): AppDiff => ({
  name: `${cluster}-${stack}`,
  kind: 'kustomize',
  cluster,
  stack,
  environment: env,
  envRank: ENVS.indexOf(env),
  isLastEnvironment: env === 'prod',
  status,
  appChanges: [],
  objects,
  counts: {
    added: objects.filter((o) => o.change === 'added').length,
    changed: objects.filter((o) => o.change === 'changed').length,
    removed: objects.filter((o) => o.change === 'removed').length,
  },
  errors: [],
});

const changed = (label: string, lines: number): ObjectChange => ({
  change: 'changed',
  label,
  kind: label.split(' ')[0] ?? '',
  diff: ['@@ -1,3 +1,3 @@', ...Array.from({ length: lines }, (_, i) => `${i % 2 === 0 ? '-' : '+'}  line ${i} ${'x'.repeat(60)}`)],
});

const report = (apps: AppDiff[]): DiffReport => ({
  base: { label: 'HEAD~1', sha: 'a'.repeat(40) },
  head: { label: 'HEAD', sha: 'b'.repeat(40) },
  apps,
  unchanged: 3,
  stats: { skipped: 3, built: 2, cacheHits: 0, durationMs: 10 },
});

describe('formatMarkdown', () => {
  it('calls out deleted Applications first, prod first, in a CAUTION alert; new ones in a NOTE', () => {
    const md = formatMarkdown(
      report([
        app('prod-eu', 'streaming', 'prod', 'removed', [{ change: 'removed', label: 'Service s/x', kind: 'Service', diff: [] }]),
        app('dev-a', 'streaming', 'dev', 'removed'),
        app('staging-b', 'monitoring', 'staging', 'added'),
        app('staging-a', 'streaming', 'staging', 'changed', [changed('Deployment s/web', 4)]),
      ]),
    );
    const caution = md.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(md.indexOf('| cluster |'));
    // A blank line ends the alert; without it GitHub would render the table inside the blockquote.
    expect(md).toMatch(/\n> - 🟢 [^\n]+\n\n\| cluster \|/);
    expect(md.indexOf('`prod-eu-streaming` (**prod**')).toBeLessThan(md.indexOf('`dev-a-streaming` (dev'));
    expect(md).toContain('> - 🟢 `staging-b-monitoring` (staging, `staging-b/monitoring`)');
    expect(md).toContain('| `prod-eu` | streaming | prod | 🔴 **deleted** | 0 | 0 | 1 |');
    expect(md).toContain('| `staging-a` | streaming | staging | changed | 0 | 1 | 0 |');
    expect(md).toContain('<details><summary><code>staging-a/streaming</code> (staging): 1 changed</summary>');
    expect(md).toContain('```diff\n@@ -1,3 +1,3 @@\n-  line 0');
    expect(md).not.toContain('Truncated');
  });

  it('says so when nothing differs', () => {
    expect(formatMarkdown(report([]))).toContain('No rendered differences.');
  });

  it.each([GITHUB_BODY_LIMIT, 20_000, 5_000])('stays within %i characters, closes every block, never cuts the table', (limit) => {
    const apps = Array.from({ length: 60 }, (_, i) =>
      app(`cluster-${String(i).padStart(2, '0')}`, 'streaming', 'staging', 'changed', [changed(`Deployment s/web-${i}`, 40), changed(`ConfigMap s/cfg-${i}`, 20)]),
    );
    const md = formatMarkdown(report(apps), { maxChars: limit });
    expect(md.length).toBeLessThanOrEqual(limit);
    expect(md).toContain("Truncated to stay under GitHub's 65,536-character limit");
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    const rows = md.split('\n').filter((l) => l.startsWith('| `cluster-'));
    expect(rows.every((r) => r.endsWith(' |') && r.split(' | ').length === 7)).toBe(true);
    const shownAll = rows.length === apps.length;
    if (!shownAll) expect(md).toMatch(/_… \d+ more rows not shown\._/);
  });
});
