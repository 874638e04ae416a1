// The README's rule table names every rule validate reports, with its severity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { RULES } from '../../scripts/policy/rules.ts';
import { REPO_ROOT } from '../support/fleet.ts';

describe('README ## Validate', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Validate'), readme.indexOf('## Benchmarks'));

  it.each(RULES.map((r) => ({ ...r, name: r.id })))('lists $name as $severity', (rule) => {
    expect(section).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  });
});
