// The rule table of docs/concepts/validation.md (moved there from the README) names every rule validate reports,
// with its severity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { RULES } from '../../scripts/policy/rules.ts';
import { REPO_ROOT } from '../support/fleet.ts';

describe('docs/concepts/validation.md ### Rules', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'concepts', 'validation.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Rules'), doc.indexOf('### Policy settings in the inventory'));

  it.each(RULES.map((r) => ({ ...r, name: r.id })))('lists $name as $severity', (rule) => {
    expect(section).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  });
});
