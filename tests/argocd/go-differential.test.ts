// Differential tests: our offline ApplicationSet expander against the real libraries Argo CD v3.4.4 uses — Go's
// text/template with sprig and Argo CD's function map, sigs.k8s.io/yaml for templatePatch — through the Go harness
// (tests/argocd/go-harness/main.go, built from Debian's Go packages; missing Go fails these tests). Silent
// divergence is the failure this file exists to catch: for every case our side either gives exactly Go's result
// (or fails where Go fails), or refuses with an UnsupportedTemplateError / Yaml11Error('unsupported').
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generatorParams } from '../../scripts/argocd/generators.ts';
import { missingKeyOption, renderTemplate, SuspiciousOutputError, TemplateError, type MissingKey, UnsupportedTemplateError } from '../../scripts/argocd/go-template.ts';
import type { GoValue } from '../../scripts/argocd/go-values.ts';
import { isObject, type JsonObject } from '../../scripts/argocd/kube.ts';
import { TreeRenderer } from '../../scripts/argocd/render-tree.ts';
import { templatePatchToJson, Yaml11Error, yamlToJson11 } from '../../scripts/argocd/yaml11.ts';
import { generate } from '../../scripts/pipeline/generate.ts';
import { type GoHarnessCase, type GoHarnessResult, runGoHarness } from '../support/go-harness.ts';
import { copyInventory, DEFAULT_INVENTORY, REPO_ROOT, removeDir, SMALL_FLEET_INVENTORY, tempDir } from '../support/fleet.ts';
import { type Expect, PARAMS, randomTemplates, randomYaml, TEMPLATE_CASES, TEMPLATE_PATCH_CASES, YAML_CASES } from './go-differential-cases.ts';

const OPTION: Record<MissingKey, string[]> = { default: [], error: ['missingkey=error'], zero: ['missingkey=zero'] };

type Ours = { ok: string } | { error: TemplateError };

const ours = (run: () => string): Ours => {
  try {
    return { ok: run() };
  } catch (error) {
    if (error instanceof TemplateError) return { error };
    throw error;
  }
};

const describeOurs = (o: Ours): string => ('ok' in o ? `output ${JSON.stringify(o.ok)}` : `${o.error.name}: ${o.error.message}`);
const describeGo = (g: GoHarnessResult): string => (g.error !== undefined ? `error (${g.stage}): ${g.error}` : `output ${JSON.stringify(g.output)}`);

/**
 * How our two modes (strict: the default; exact: strictOutput false) relate to Go's result. Throws on a silent
 * divergence: different output, success where Go fails, or failure where Go succeeds without a refusal.
 */
const classify = (go: GoHarnessResult, strict: Ours, exact: Ours): Expect => {
  const context = `Go: ${describeGo(go)}\nours (strict): ${describeOurs(strict)}\nours (exact): ${describeOurs(exact)}`;
  if ('error' in exact && exact.error instanceof UnsupportedTemplateError) {
    // Strict mode may stop earlier, at output it refuses; it never gets further than exact mode.
    if (!('error' in strict && (strict.error instanceof UnsupportedTemplateError || strict.error instanceof SuspiciousOutputError))) throw new Error(`exact refuses but strict does not\n${context}`);
    return 'refused';
  }
  if ('error' in strict && strict.error instanceof UnsupportedTemplateError) throw new Error(`strict refuses but exact does not\n${context}`);
  if (go.utf8 === false) throw new Error(`Go wrote invalid UTF-8, which we must refuse\n${context}`);
  if (go.error !== undefined) {
    if ('error' in exact && !(exact.error instanceof SuspiciousOutputError) && 'error' in strict) return 'error';
    throw new Error(`Go fails but we do not\n${context}`);
  }
  if (!('ok' in exact) || exact.ok !== go.output) throw new Error(`exact mode differs from Go\n${context}`);
  if ('ok' in strict) {
    if (strict.ok !== go.output) throw new Error(`strict mode differs from Go\n${context}`);
    return 'same';
  }
  if (strict.error instanceof SuspiciousOutputError && go.output?.includes(strict.error.goText)) return 'suspicious';
  throw new Error(`strict mode fails where Go succeeds\n${context}`);
};

type YamlOutcome = { value: unknown } | { error: Yaml11Error };

const yamlOurs = (run: () => unknown): YamlOutcome => {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof Yaml11Error) return { error };
    throw error;
  }
};

/** Same idea for YAML: equal JSON, both failing, or our explicit refusal. */
const classifyYaml = (go: GoHarnessResult, o: YamlOutcome): 'same' | 'refused' => {
  const context = `Go: ${go.error !== undefined ? `error (${go.stage}): ${go.error}` : JSON.stringify(go.json)}\nours: ${'value' in o ? JSON.stringify(o.value) : `${o.error.reason}: ${o.error.message}`}`;
  if ('error' in o && o.error.reason === 'unsupported') return 'refused';
  if (go.error !== undefined) {
    if ('error' in o) return 'same';
    throw new Error(`Go fails but we do not\n${context}`);
  }
  if ('error' in o) throw new Error(`we fail where Go succeeds\n${context}`);
  expect(o.value, context).toEqual(go.json);
  return 'same';
};

// ---------------------------------------------------------------------------------------------------------------
// b/c: the edge-case tables, all sent to Go in one batch.

const RANDOM = randomTemplates(1500, 39553);
const RANDOM_YAML = randomYaml(2000, 3318701);

const tableCases: GoHarnessCase[] = [
  ...RANDOM.flatMap((template, i): GoHarnessCase[] => [
    { id: `r${i}`, mode: 'render', template, params: PARAMS, options: [] },
    { id: `rz${i}`, mode: 'render', template, params: PARAMS, options: ['missingkey=error'] },
  ]),
  ...TEMPLATE_CASES.map((t, i): GoHarnessCase => ({ id: `t${i}`, mode: 'render', template: t.template, params: t.params ?? PARAMS, options: OPTION[t.missingKey ?? 'default'] })),
  ...YAML_CASES.map((t, i): GoHarnessCase => ({ id: `y${i}`, mode: 'yamlToJson', text: t.text })),
  ...RANDOM_YAML.map((text, i): GoHarnessCase => ({ id: `ry${i}`, mode: 'yamlToJson', text })),
  ...TEMPLATE_PATCH_CASES.map((t, i): GoHarnessCase => ({ id: `p${i}`, mode: 'templatePatch', text: t.text })),
  ...YAML_CASES.map((t, i): GoHarnessCase => ({ id: `e${i}`, mode: 'elementsYaml', text: `- ${t.text.replace(/\n(?=.)/g, '\n  ')}` })),
];
const tableResults = new Map<string, GoHarnessResult>();

beforeAll(async () => {
  const results = await runGoHarness(tableCases);
  for (const r of results) tableResults.set(r.id, r);
});

const goResult = (id: string): GoHarnessResult => {
  const r = tableResults.get(id);
  if (r === undefined) throw new Error(`no Go result for ${id}`);
  return r;
};

describe('Go templates: edge cases', () => {
  it.each(TEMPLATE_CASES.map((t, i) => [t.name, t.template, t.expect, i] as const))('%s: %s → %s', (_name, template, expected, i) => {
    const t = TEMPLATE_CASES[i];
    if (t === undefined) throw new Error('no case');
    const options = { missingKey: t.missingKey ?? 'default', where: 'test' } as const;
    const data = t.params ?? PARAMS;
    const strict = ours(() => renderTemplate(template, data, options));
    const exact = ours(() => renderTemplate(template, data, { ...options, strictOutput: false }));
    expect(classify(goResult(`t${i}`), strict, exact)).toBe(expected);
  });
});

describe('Go templates: random templates over the evaluated constructs', () => {
  it('never diverge silently (1500 templates × missingkey default and error)', () => {
    const counts: Record<string, number> = {};
    for (const [i, template] of RANDOM.entries()) {
      for (const [id, missingKey] of [[`r${i}`, 'default'], [`rz${i}`, 'error']] as const) {
        const options = { missingKey, where: 'random' } as const;
        const strict = ours(() => renderTemplate(template, PARAMS, options));
        const exact = ours(() => renderTemplate(template, PARAMS, { ...options, strictOutput: false }));
        let category: Expect;
        try {
          category = classify(goResult(id), strict, exact);
        } catch (error) {
          throw new Error(`${JSON.stringify(template)} (missingkey=${missingKey}): ${(error as Error).message}`, { cause: error });
        }
        counts[category] = (counts[category] ?? 0) + 1;
      }
    }
    // The generator must exercise every outcome, and mostly evaluated ones.
    expect(Object.keys(counts).sort()).toEqual(['error', 'refused', 'same', 'suspicious']);
    expect((counts.same ?? 0) + (counts.error ?? 0)).toBeGreaterThan(RANDOM.length);
  });
});

describe('YAML 1.1: sigs.k8s.io/yaml.YAMLToJSON vs yamlToJson11', () => {
  it.each(YAML_CASES.map((t, i) => [t.name, t.expect, i] as const))('%s → %s', (_name, expected, i) => {
    const t = YAML_CASES[i];
    if (t === undefined) throw new Error('no case');
    expect(classifyYaml(goResult(`y${i}`), yamlOurs(() => yamlToJson11(t.text)))).toBe(expected);
  });

  it('never diverge silently on random documents (2000)', () => {
    const counts: Record<string, number> = {};
    for (const [i, text] of RANDOM_YAML.entries()) {
      let category: string;
      try {
        category = classifyYaml(goResult(`ry${i}`), yamlOurs(() => yamlToJson11(text)));
      } catch (error) {
        throw new Error(`${JSON.stringify(text)}: ${(error as Error).message}`, { cause: error });
      }
      counts[category] = (counts[category] ?? 0) + 1;
    }
    expect(counts.same ?? 0).toBeGreaterThan(500);
  });

  it.each(YAML_CASES.map((t, i) => [t.name, i] as const))('as a list element (elementsYaml, sigs.k8s.io/yaml.Unmarshal): %s', (_name, i) => {
    const t = YAML_CASES[i];
    if (t === undefined) throw new Error('no case');
    const text = tableCases.find((c) => c.id === `e${i}`);
    if (text === undefined || text.mode === 'render') throw new Error('no case');
    const go = goResult(`e${i}`);
    // Unmarshal into []map[string]any rejects what is not a list of maps; yamlToJson11 gives the value.
    const o = yamlOurs(() => yamlToJson11(text.text));
    const shapeOk = 'value' in o && Array.isArray(o.value) && o.value.every((e) => e === null || isObject(e));
    if (go.error === undefined) {
      if ('error' in o && o.error.reason === 'unsupported') return;
      expect(shapeOk, `Go: ${JSON.stringify(go.json)} ours: ${JSON.stringify('value' in o ? o.value : o.error.message)}`).toBe(true);
      expect((o as { value: unknown }).value).toEqual(go.json);
    } else if (shapeOk) {
      // Go's failure here comes from the YAML itself, which yamlToJson11 must also reject.
      throw new Error(`Go fails (${go.error}) but yamlToJson11 gives ${JSON.stringify((o as { value: unknown }).value)}`);
    }
  });
});

describe('templatePatch: ConvertYAMLToJSON (the "{" shortcut) vs templatePatchToJson', () => {
  it.each(TEMPLATE_PATCH_CASES.map((t, i) => [t.name, t.expect, i] as const))('%s → %s', (_name, expected, i) => {
    const t = TEMPLATE_PATCH_CASES[i];
    if (t === undefined) throw new Error('no case');
    expect(classifyYaml(goResult(`p${i}`), yamlOurs(() => templatePatchToJson(t.text)))).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// a: every ApplicationSet the repository generates, every element, every templated string and the templatePatch.

interface AppSetFile {
  readonly source: string;
  readonly text: string;
}

const generatedAppSets = async (inventory: string, label: string): Promise<AppSetFile[]> => {
  const { files } = await generate(inventory);
  return files.filter((f) => /^apps\/.*applicationset\.yaml$/.test(f.path)).map((f) => ({ source: `${label}:${f.path}`, text: f.content }));
};

/** Every string value and key under `value` (paths for messages). */
const templatedStrings = (value: unknown, path: string, out: { path: string; text: string }[]): void => {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => templatedStrings(v, `${path}[${i}]`, out));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: `${path}.${k} (key)`, text: k });
      templatedStrings(v, `${path}.${k}`, out);
    }
  }
};

describe('every generated ApplicationSet renders in our expander exactly as in Go', () => {
  const files: AppSetFile[] = [];
  let dir: string | undefined;

  beforeAll(async () => {
    const appsDir = join(REPO_ROOT, 'apps');
    for (const name of (await readdir(appsDir)).filter((n) => n.endsWith('-applicationset.yaml')).sort()) {
      files.push({ source: `apps/${name}`, text: await readFile(join(appsDir, name), 'utf8') });
    }
    files.push(...(await generatedAppSets(SMALL_FLEET_INVENTORY, 'small-fleet')));
    dir = await tempDir('go-differential');
    for (const [label, from, on] of [['small-fleet (progressiveSync off)', SMALL_FLEET_INVENTORY, false], ['default (progressiveSync on)', DEFAULT_INVENTORY, true]] as const) {
      const inventory = await copyInventory(from, join(dir, label.replace(/\W+/g, '-')));
      const fleetFile = join(inventory, 'fleet.yaml');
      const text = await readFile(fleetFile, 'utf8');
      const switched = text.replace(/^( {2}progressiveSync:) (true|false)$/m, `$1 ${on}`);
      expect(switched, `${label}: fleet.yaml has no argocd.progressiveSync line`).not.toBe(text);
      await writeFile(fleetFile, switched);
      files.push(...(await generatedAppSets(inventory, label)));
    }
  });
  afterAll(async () => {
    if (dir !== undefined) await removeDir(dir);
  });

  it('reads every file the same under YAML 1.1 (as Argo CD does) and YAML 1.2 (as our loader does)', async () => {
    expect(files.length).toBeGreaterThan(20);
    const go = await runGoHarness(files.map((f, i) => ({ id: String(i), mode: 'yamlToJson', text: f.text })));
    for (const [i, f] of files.entries()) {
      expect(go[i]?.error, f.source).toBeUndefined();
      expect(parseYaml(f.text) as unknown, f.source).toEqual(go[i]?.json);
      expect(yamlToJson11(f.text), f.source).toEqual(go[i]?.json);
    }
  });

  it('renders every templated string and templatePatch of every element like Go, and converts the patch like Go', async () => {
    const cases: GoHarnessCase[] = [];
    const checks: { id: string; where: string; ours: () => string; patch: boolean }[] = [];
    const seen = new Map<string, string>();
    let elements = 0;
    for (const f of files) {
      const appSet = parseYaml(f.text) as JsonObject;
      const spec = appSet.spec as JsonObject;
      expect(spec.goTemplate, f.source).toBe(true);
      const goOptions = Array.isArray(spec.goTemplateOptions) ? (spec.goTemplateOptions as string[]) : [];
      const { missingKey, unsupported } = missingKeyOption(goOptions);
      expect(unsupported, f.source).toEqual([]);
      const renderer = new TreeRenderer(f.source, missingKey);
      const template = spec.template as JsonObject;
      const strings: { path: string; text: string }[] = [];
      // GetTempApplication copies only these metadata fields; deeplyReplace then walks them and the spec.
      const meta = template.metadata as JsonObject;
      for (const k of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) if (meta[k] !== undefined) templatedStrings(meta[k], `spec.template.metadata.${k}`, strings);
      templatedStrings(template.spec, 'spec.template.spec', strings);
      const patch = typeof spec.templatePatch === 'string' ? spec.templatePatch : undefined;
      if (patch !== undefined) strings.push({ path: 'spec.templatePatch', text: patch });
      expect(renderer.check(template, 'spec.template'), f.source).toEqual([]);
      for (const [g, generator] of (spec.generators as unknown[]).entries()) {
        const outcome = generatorParams(generator);
        if (!outcome.ok) throw new Error(`${f.source}: generator ${g}: ${outcome.reason}`);
        for (const [e, params] of outcome.params.entries()) {
          elements++;
          for (const s of strings) {
            const key = JSON.stringify([s.text, params, goOptions]);
            const where = `${f.source} generator ${g} element ${e} ${s.path}`;
            let id = seen.get(key);
            if (id === undefined) {
              id = `a${seen.size}`;
              seen.set(key, id);
              cases.push({ id, mode: 'render', template: s.text, params, options: goOptions });
            }
            checks.push({ id, where, ours: () => renderer.renderString(s.text, params as GoValue, s.path), patch: s.path === 'spec.templatePatch' });
          }
        }
      }
    }
    const go = new Map((await runGoHarness(cases)).map((r) => [r.id, r]));
    const patches: GoHarnessCase[] = [];
    const patchOurs: { id: string; where: string; text: string }[] = [];
    for (const c of checks) {
      const g = go.get(c.id);
      if (g === undefined) throw new Error(`no Go result for ${c.where}`);
      const o = ours(c.ours);
      // For our own files a refusal is a failure too: everything must be evaluated, and equal.
      expect(g.error, `${c.where}: Go fails`).toBeUndefined();
      expect(o, `${c.where}: Go gives ${JSON.stringify(g.output)}`).toEqual({ ok: g.output });
      if (c.patch && g.output !== undefined) {
        const id = `p${patches.length}`;
        patches.push({ id, mode: 'templatePatch', text: g.output });
        patchOurs.push({ id, where: c.where, text: g.output });
      }
    }
    const goPatches = await runGoHarness(patches);
    for (const [i, p] of patchOurs.entries()) {
      const r = goPatches[i];
      if (r === undefined) throw new Error('no Go result');
      expect(r.error, `${p.where}: Go cannot convert the rendered patch`).toBeUndefined();
      expect(templatePatchToJson(p.text), p.where).toEqual(r.json);
    }
    expect(elements).toBeGreaterThan(20);
    expect(checks.length).toBeGreaterThan(1000);
  });
});
