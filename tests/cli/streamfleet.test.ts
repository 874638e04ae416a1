// The one entry point and the registry behind it: every command is listed, `--help` exits 0 with examples
// everywhere (through the entry point and when a command module is called directly), reporting commands take
// `--format json`, writing commands take `--dry-run`, and package.json's scripts run exactly the registered commands.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandList, flagsOf, helpText, scanArguments, unknownFlag, usageFor, type CommandSpec } from '../../scripts/cli/commands.ts';
import { main } from '../../scripts/cli/streamfleet.ts';
import { main as gen } from '../../scripts/cli/gen.ts';
import { main as fleet } from '../../scripts/cli/fleet.ts';
import { CAPABILITIES, LOAD_BALANCERS } from '../../scripts/inventory/schema.ts';
import { PRESETS } from '../../scripts/inventory/system-schema.ts';
import type { Io } from '../../scripts/lib/io.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
};

describe('the entry point', () => {
  it('lists every registered command on `help` (exit 0) and without a command (exit 2, on stderr)', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(`  ${c.name} `);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err).toBe(commandList());
  });

  it('names the closest command for a typo, exit 2', async () => {
    const r = await run(['promot', 'dev', 'staging']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^unknown command "promot"; did you mean "promote"\?/);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('`%s --help` exits 0 with usage, options and examples', async (name, spec) => {
    const r = await run([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(helpText(spec));
    expect(r.out).toContain(`usage: pnpm ${name}`);
    expect(r.out).toMatch(/\nexamples:\n {2}pnpm /);
    expect(spec.examples.every((e) => e.command.startsWith(`pnpm ${name}`))).toBe(true);
    expect((await run(['help', name])).out).toBe(r.out);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('the %s module itself answers --help with exit 0 (called directly)', async (_name, spec) => {
    const module = (await spec.load()) as { main: (argv: string[], io?: Io) => Promise<number> };
    const c = captureIo();
    const code = await module.main(['--help'], c.io);
    expect({ code, err: c.err() }).toEqual({ code: 0, err: '' });
    expect(c.out()).toContain('examples:');
  });
});

describe('unknown flags', () => {
  it.each(COMMANDS.map((c) => [c.name] as const))('`%s --no-such-flag` is refused by the entry point (exit 2) without loading the command', async (name) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    let loaded = false;
    const spy: CommandSpec = { ...spec, load: async () => ((loaded = true), spec.load()) };
    expect(unknownFlag(spy, ['--no-such-flag'])).toBe('--no-such-flag');
    const r = await run([name, '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${name}: unknown option "--no-such-flag"\\nusage: pnpm ${name}`));
    expect(loaded).toBe(false);
  });

  it.each(COMMANDS.filter((c) => c.requires !== undefined).map((c) => [c.name, c] as const))(
    '`%s` without its arguments is refused by the entry point (exit 2) without loading the command',
    async (name, spec) => {
      const r = await run([name, '--dry-run']);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`${name}: expected ${spec.requires!.what}\n${usageFor(name)}\n`);
      // The module refuses the same command line too, when called directly.
      const module = (await spec.load()) as { main: (argv: string[], io?: Io) => Promise<number> };
      const c = captureIo();
      expect(await module.main(['--dry-run'], c.io)).toBe(2);
    },
  );

  it('skips the value of a flag that takes one, an inline value and everything after `--`', () => {
    const gen = COMMANDS.find((c) => c.name === 'gen')!;
    expect(unknownFlag(gen, ['--inventory', '-weird-folder', '--check'])).toBeUndefined();
    expect(unknownFlag(gen, ['--format=json', '--allow-removal', 'x', '--', '--anything'])).toBeUndefined();
    expect(unknownFlag(gen, ['--chek'])).toBe('--chek');
    const promote = COMMANDS.find((c) => c.name === 'promote')!;
    expect(scanArguments(promote, ['dev', '--stack', 'streaming', 'staging', '--dry-run'])).toEqual({ positionals: 2 });
    expect(scanArguments(promote, ['dev', '--', '--staging'])).toEqual({ positionals: 2 });
  });

  // The entry point refuses what the registry does not list, so the registry must list every flag a command parses.
  // The commands declare their flags as node:util parseArgs options (`name: { type: 'string' | 'boolean' … }`).
  it.each(COMMANDS.map((c) => [c.name] as const))('the registry lists every flag that scripts/cli/%s.ts parses', async (name) => {
    const source = await readFile(join(REPO_ROOT, 'scripts', 'cli', `${name}.ts`), 'utf8');
    const parsed = [...source.matchAll(/(?:'([a-z][a-z-]*)'|\b([a-z][a-zA-Z-]*)): \{ type: '(?:boolean|string)'/g)].map((m) => `--${m[1] ?? m[2]}`);
    expect(parsed.length, name).toBeGreaterThan(0);
    const listed = flagsOf(COMMANDS.find((c) => c.name === name)!);
    expect(parsed.filter((f) => !listed.has(f)), name).toEqual([]);
  });
});

describe('the registry', () => {
  it('every writing command documents --dry-run, every reporting command --format json', () => {
    for (const c of COMMANDS) {
      const flags = c.options.map(([flag]) => flag.split(' ')[0]);
      if (c.writes) expect(flags, c.name).toContain('--dry-run');
      if (c.reports) {
        expect(flags, c.name).toContain('--format');
        expect(c.options.find(([flag]) => flag.startsWith('--format'))?.[1], c.name).toMatch(/\bjson\b/);
      }
    }
  });

  it("`new`'s option texts name every load balancer, capability and preset the schema accepts", () => {
    const text = helpText(COMMANDS.find((c) => c.name === 'new')!);
    for (const value of [...LOAD_BALANCERS, ...CAPABILITIES, ...PRESETS]) expect(text).toContain(value);
  });

  it("package.json runs every registered command through the compiled entry point, and nothing else", async () => {
    const scripts = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const c of COMMANDS) expect(scripts[c.name], c.name).toBe(`node bin/streamfleet.mjs ${c.name}`);
    const launched = Object.entries(scripts).filter(([, cmd]) => cmd.startsWith('node bin/streamfleet.mjs '));
    const registered = new Set([...COMMANDS.map((c) => c.name), 'help', 'build']);
    for (const [name, cmd] of launched) expect(registered, `${name}: ${cmd}`).toContain(cmd.split(' ')[2]);
    expect(Object.values(scripts).filter((cmd) => /\btsx scripts\/cli\//.test(cmd))).toEqual(['tsx scripts/cli/streamfleet.ts']);
  });
});

describe('pnpm itself', () => {
  // `pnpm remove` uninstalls a dependency and `pnpm help` prints pnpm's help: a script of the same name never runs.
  // So no command may carry the name of one of pnpm's own commands or aliases (read from the pnpm that runs the tests).
  it("names no command after one of pnpm's own", async () => {
    const help = spawnSync('pnpm', ['help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const builtins = new Set<string>();
    for (const m of help.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}.*?(?:\[aliases?: ([^\]]+)\])?$/gm)) {
      builtins.add(m[1]!);
      for (const alias of (m[2] ?? '').split(',')) if (alias.trim() !== '') builtins.add(alias.trim());
    }
    expect(builtins).toContain('remove');
    expect(builtins).toContain('rm');
    const scripts = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    // `pnpm test` is pnpm's own command that runs the `test` script; `prepare` is a lifecycle script nobody types.
    const typed = Object.keys(scripts).filter((name) => name !== 'test' && name !== 'prepare');
    expect(typed.filter((name) => builtins.has(name))).toEqual([]);
    expect(COMMANDS.map((c) => c.name).filter((name) => builtins.has(name))).toEqual([]);
  });
});

describe('--format json and --dry-run', () => {
  let root: string;
  let inventory: string;
  beforeAll(async () => {
    root = await tempDir('entry-json');
    inventory = await copyInventory(DEFAULT_INVENTORY, root);
  });
  afterAll(async () => removeDir(root));

  it('gen --dry-run lists the files a write would create and writes nothing; --format json gives the same as data', async () => {
    const before = await snapshotTree(root);
    const text = captureIo();
    expect(await gen(['--inventory', inventory, '--out', root, '--dry-run'], text.io)).toBe(0);
    expect(text.out()).toMatch(/^dry run: \d+ created would be written, \d+ unchanged; nothing was written\n {2}\+ /);
    const json = captureIo();
    expect(await gen(['--inventory', inventory, '--out', root, '--dry-run', '--format', 'json'], json.io)).toBe(0);
    const plan = JSON.parse(json.out()) as { mode: string; ok: boolean; files: { path: string; status: string }[] };
    expect(plan.mode).toBe('dry-run');
    expect(plan.ok).toBe(false);
    expect(plan.files.some((f) => f.path === 'clusters/dev-k3d/streaming/kustomization.yaml' && f.status === 'create')).toBe(true);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('gen (write) and gen --check report as JSON', async () => {
    const write = captureIo();
    expect(await gen(['--inventory', inventory, '--out', root, '--format', 'json'], write.io)).toBe(0);
    const written = JSON.parse(write.out()) as { mode: string; created: string[] };
    expect(written.mode).toBe('write');
    expect(written.created).toContain('.github/CODEOWNERS');
    const check = captureIo();
    expect(await gen(['--inventory', inventory, '--out', root, '--check', '--format', 'json'], check.io)).toBe(0);
    expect(JSON.parse(check.out())).toMatchObject({ mode: 'check', ok: true, files: [] });
  });

  it('fleet --format json: environments in promotion order, clusters by name', async () => {
    const c = captureIo();
    expect(await fleet(['--inventory', inventory, '--format', 'json'], c.io)).toBe(0);
    const data = JSON.parse(c.out()) as { environments: { name: string; order: number; clusters: { name: string; stacks: string[] }[] }[] };
    expect(data.environments.map((e) => e.order)).toEqual([...data.environments.map((e) => e.order)].sort((a, b) => a - b));
    expect(data.environments[0]?.clusters.length).toBeGreaterThan(0);
    for (const e of data.environments) expect(e.clusters.map((c2) => c2.name)).toEqual([...e.clusters.map((c2) => c2.name)].sort());
  });
});
