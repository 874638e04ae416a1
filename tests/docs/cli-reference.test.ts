// The generated references cannot drift: docs/reference/cli.md is what the CLI registry renders today (the same
// texts `--help` prints) and docs/reference/inventory.md what the inventory schemas render, both committed exactly as
// `pnpm gen` writes them; and every command of the registry appears in the README's command table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { COMMANDS, usageOf } from '../../scripts/cli/commands.ts';
import { PUBLISHED_SCHEMAS } from '../../scripts/inventory/schema.ts';
import { CLI_REFERENCE_PATH, cliReference } from '../../scripts/render/render-cli-reference.ts';
import { INVENTORY_REFERENCE_PATH, inventoryReference } from '../../scripts/render/render-inventory-reference.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { loadFleet, REPO_ROOT, SMALL_FLEET_INVENTORY } from '../support/fleet.ts';

const committed = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

describe('docs/reference/cli.md', () => {
  const page = cliReference();

  it('is committed exactly as the registry renders it (run `pnpm gen` after changing scripts/cli/commands.ts)', () => {
    expect(committed(CLI_REFERENCE_PATH)).toBe(page);
  });

  it.each(COMMANDS.map((c) => ({ ...c, label: c.name })))('documents pnpm $label: usage, every option and example', (spec) => {
    const start = page.indexOf(`## \`pnpm ${spec.name}\``);
    expect(start).toBeGreaterThan(0);
    const next = page.indexOf('\n## ', start + 1);
    const section = page.slice(start, next === -1 ? undefined : next);
    expect(section).toContain(usageOf(spec));
    for (const [flag] of spec.options) expect(section).toContain(`| \`${flag}\` |`);
    for (const e of spec.examples) expect(section).toContain(`\n${e.command}\n`);
  });

  it('follows a change of the registry', async () => {
    const spec = COMMANDS[0]! as { summary: string };
    const before = spec.summary;
    spec.summary = 'changed for this test';
    try {
      expect(cliReference()).toContain('Changed for this test.');
    } finally {
      spec.summary = before;
    }
    expect(cliReference()).toBe(page);
  });

  it('is written by the fleet render, with the inventory reference', async () => {
    const files = renderFleet(await loadFleet(SMALL_FLEET_INVENTORY));
    expect(files.find((f) => f.path === CLI_REFERENCE_PATH)?.content).toBe(page);
    expect(files.find((f) => f.path === INVENTORY_REFERENCE_PATH)?.content).toBe(inventoryReference());
  });
});

describe('docs/reference/inventory.md', () => {
  it('is committed exactly as the schemas render it', () => {
    expect(committed(INVENTORY_REFERENCE_PATH)).toBe(inventoryReference());
  });

  it('has a part per inventory file and lists its top-level fields', () => {
    const page = inventoryReference();
    for (const { title, schema } of PUBLISHED_SCHEMAS) {
      expect(page).toContain(`## ${title}`);
      for (const key of Object.keys((schema as { properties?: object }).properties ?? {})) expect(page).toContain(`| \`${key}\` |`);
    }
  });
});

describe('README.md', () => {
  const readme = committed('README.md');
  const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));

  it.each(COMMANDS.map((c) => c.name))('lists pnpm %s in its command table', (name) => {
    expect(table).toMatch(new RegExp(`^\\| \`pnpm ${name}\``, 'm'));
  });

  it('links the CLI reference', () => {
    expect(table).toContain('(docs/reference/cli.md)');
  });
});
