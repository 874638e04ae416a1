// The Go text/template evaluator: every supported construct renders what Go renders; everything else is refused
// with an UnsupportedTemplateError naming the construct, never rendered by guess. (go-differential.test.ts
// compares all of this with real Go; these are the readable unit-level expectations.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseTemplate, renderTemplate, SuspiciousOutputError, TemplateError, UnsupportedTemplateError } from '../../scripts/argocd/go-template.ts';
import { formatGoFloat, type GoValue, goTruth } from '../../scripts/argocd/go-values.ts';

const data: GoValue = {
  cluster: 'prod-eu',
  n: 3,
  big: 1000000,
  half: 0.5,
  yes: true,
  no: false,
  empty: '',
  zero: 0,
  none: null,
  list: ['a', 'b'],
  objs: [{ name: 'x' }, { name: 'y' }],
  nothing: [],
  map: { b: 2, a: 1 },
  nested: { inner: { value: 'deep' } },
};

const render = (source: string, missingKey: 'error' | 'default' | 'zero' = 'default'): string =>
  renderTemplate(source, data, { missingKey, where: 'ApplicationSet test spec.template.metadata.name' });

describe('supported constructs', () => {
  it.each([
    ['plain text', 'no actions here', 'no actions here'],
    ['field', '{{.cluster}}-web', 'prod-eu-web'],
    ['field with spaces', 'x{{ .cluster }}y', 'xprod-euy'],
    ['nested field', '{{ .nested.inner.value }}', 'deep'],
    ['number as Go float64', '{{ .n }}', '3'],
    ['large number in Go exponent form', '{{ .big }}', '1e+06'],
    ['fraction', '{{ .half }}', '0.5'],
    ['boolean', '{{ .yes }}/{{ .no }}', 'true/false'],
    ['dot', '{{ range .list }}{{ . }}{{ end }}', 'ab'],
    ['if true', '{{ if .yes }}on{{ end }}', 'on'],
    ['if false with else', '{{ if .no }}on{{ else }}off{{ end }}', 'off'],
    ['nested if', '{{ if .yes }}{{ if .empty }}a{{ else }}b{{ end }}{{ end }}', 'b'],
    ['range rebinds dot', '{{ range .objs }}[{{ .name }}]{{ end }}', '[x][y]'],
    ['range over a map uses sorted keys', '{{ range .map }}{{ . }}{{ end }}', '12'],
    ['range else on empty list', '{{ range .nothing }}x{{ else }}none{{ end }}', 'none'],
    ['range over null is empty', '{{ range .none }}x{{ end }}', ''],
    ['keyword glued to field', '{{if.yes}}ok{{end}}', 'ok'],
    ['multi-line action', '{{\n  .cluster\n}}', 'prod-eu'],
  ])('%s', (_name, source, expected) => {
    expect(render(source)).toBe(expected);
  });
});

describe('trim markers', () => {
  it.each([
    ['left trim eats preceding white space and newlines', 'a \n\t {{- .cluster }}', 'aprod-eu'],
    ['right trim eats following white space', '{{ .cluster -}} \n b', 'prod-eub'],
    ['both sides', 'x  {{- .cluster -}}  y', 'xprod-euy'],
    ['trims around blocks', 'spec:\n{{- if .yes }}\n  on: true\n{{- end }}\n', 'spec:\n  on: true\n'],
    ['false block leaves nothing', 'a\n{{- if .no }}\nb\n{{- end }}\nc', 'a\nc'],
    ['"{{-3}}" is not a trim marker but the number -3', 'a {{-3}}', 'a -3'],
  ])('%s', (_name, source, expected) => {
    expect(render(source)).toBe(expected);
  });
});

describe('missing keys', () => {
  it('missingkey=error names the missing key', () => {
    expect(() => render('{{ .clustr }}', 'error')).toThrow(/map has no entry for key "clustr"/);
    expect(() => render('{{ .nested.outer.value }}', 'error')).toThrow(/no entry for key "outer"/);
    expect(() => render('{{ if .maybe }}x{{ end }}', 'error')).toThrow(/no entry for key "maybe"/);
  });

  it('default mode: printing a missing key (Go prints "<no value>") is refused, naming the action', () => {
    expect(() => render('{{ .clustr }}')).toThrow(SuspiciousOutputError);
    expect(() => render('{{ .clustr }}')).toThrow(/\{\{ \.clustr \}\} prints a missing key or null; Go would write "<no value>"/);
    expect(() => render('{{ .none }}')).toThrow(/\{\{ \.none \}\} prints a missing key or null/);
  });

  it('exact mode writes what Go writes', () => {
    expect(renderTemplate('{{ .clustr }}/{{ .none }}/{{ .map }}', data, { strictOutput: false })).toBe('<no value>/<no value>/map[a:1 b:2]');
  });

  it('missingkey=zero: a missing key is nil, so its fields fail', () => {
    expect(() => render('{{ .clustr }}', 'zero')).toThrow(SuspiciousOutputError);
    expect(() => render('{{ .clustr.x }}', 'zero')).toThrow(/nil pointer evaluating interface \{\}\.x/);
  });

  it('default mode: a missing key in if/range is simply false/empty, as in Go', () => {
    expect(render('{{ if .maybe }}x{{ else }}y{{ end }}')).toBe('y');
    expect(render('{{ range .maybe }}x{{ end }}')).toBe('');
  });

  it('errors carry where they happened', () => {
    try {
      render('a\n  {{ .clustr }}', 'error');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toContain('ApplicationSet test spec.template.metadata.name');
      expect((error as TemplateError).position).toEqual({ line: 2, column: 3 });
    }
  });
});

describe('Go truthiness', () => {
  it.each<[string, GoValue | undefined, boolean]>([
    ['false', false, false],
    ['true', true, true],
    ['0', 0, false],
    ['0.1', 0.1, true],
    ['empty string', '', false],
    ['"false" string', 'false', true],
    ['null', null, false],
    ['missing', undefined, false],
    ['empty list', [], false],
    ['list', [0], true],
    ['empty map', {}, false],
    ['map', { a: null }, true],
  ])('%s → %s', (_name, value, expected) => {
    expect(goTruth(value)).toBe(expected);
    expect(renderTemplate('{{ if .v }}T{{ else }}F{{ end }}', value === undefined ? {} : { v: value })).toBe(expected ? 'T' : 'F');
  });
});

describe('values Go cannot print sensibly are errors', () => {
  it.each([
    ['a map', '{{ .map }}', /prints a map; Go would write "map\[a:1 b:2\]"/],
    ['a list', '{{ .list }}', /prints a list; Go would write "\[a b\]"/],
    ['field of a string', '{{ .cluster.name }}', /can't evaluate field name in type string/],
    ['field of null', '{{ .none.name }}', /nil pointer/],
    ['range over a string', '{{ range .cluster }}{{ end }}', /range can't iterate over prod-eu/],
    ['field with arguments', '{{ .cluster .n }}', /cluster is not a method but has arguments/],
    ['eq of float64 and an int literal', '{{ eq .n 3 }}', /incompatible types for comparison/],
  ])('%s', (_name, source, message) => {
    expect(() => render(source)).toThrow(message);
  });
});

describe('evaluated constructs beyond fields, if and range', () => {
  it.each([
    ['normalize', '{{ normalize .cluster }}', 'prod-eu'],
    ['pipeline', '{{ .cluster | upper }}', 'PROD-EU'],
    ['default', '{{ default "x" .clustr }}', 'x'],
    ['printf', '{{ printf "%s-web" .cluster }}', 'prod-eu-web'],
    ['index', '{{ index .list 1 }}', 'b'],
    ['variable', '{{ $x := .cluster }}{{ $x }}', 'prod-eu'],
    ['root variable', '{{ range .list }}{{ $.cluster }}{{ end }}', 'prod-euprod-eu'],
    ['with', '{{ with .nested }}{{ .inner.value }}{{ end }}', 'deep'],
    ['eq', '{{ if eq .cluster "prod-eu" }}x{{ end }}', 'x'],
    ['eq with a float literal', '{{ eq .n 3.0 }}', 'true'],
    ['not', '{{ if not .yes }}x{{ else }}y{{ end }}', 'y'],
    ['and', '{{ and .yes .cluster }}', 'prod-eu'],
    ['parentheses', '{{ (index .objs 0).name }}', 'x'],
    ['string literal', '{{ "prod" }}', 'prod'],
    ['number literal', '{{ 42 }}', '42'],
    ['comment', '{{/* a comment */}}x', 'x'],
    ['else if', '{{ if .no }}a{{ else if .yes }}b{{ end }}', 'b'],
    ['range with variables', '{{ range $i, $e := .list }}{{ $i }}{{ $e }}{{ end }}', '0a1b'],
    ['toJson', '{{ toJson .map }}', '{"a":1,"b":2}'],
    ['quote', '{{ quote .cluster }}', '"prod-eu"'],
    ['trunc', '{{ trunc 4 .cluster }}', 'prod'],
  ])('%s: %s', (_name, source, expected) => {
    expect(render(source)).toBe(expected);
  });
});

describe('unsupported constructs are refused, never guessed', () => {
  it.each([
    ['toYaml', '{{ toYaml .map | nindent 4 }}', 'function call "toYaml"'],
    ['slugify', '{{ slugify .cluster }}', 'function call "slugify"'],
    ['b64enc', '{{ b64enc .cluster }}', 'function call "b64enc"'],
    ['template', '{{ template "x" . }}', '"template" action'],
    ['define', '{{ define "x" }}y{{ end }}', '"define" action'],
    ['block', '{{ block "x" . }}y{{ end }}', '"block" action'],
    ['else with', '{{ with .no }}a{{ else with .yes }}b{{ end }}', '"else with"'],
    ['hex literal', '{{ 0x2A }}', 'number literal 0x2A'],
    ['character literal', "{{ 'a' }}", 'character literal'],
    ['range over an integer', '{{ range 3 }}{{ end }}', 'range over an integer'],
    ['printf flags', '{{ printf "%05d" 3 }}', 'printf verb'],
    ['lower of non-ASCII text', '{{ lower "Ä" }}', 'lower of non-ASCII text'],
    ['index of a string', '{{ index .cluster 0 }}', 'index of a string'],
    ['eq with a missing key', '{{ eq .clustr "x" }}', 'eq with a missing or nil value'],
    ['trunc inside a character', '{{ trunc 1 "é" }}', 'trunc inside a multi-byte character'],
  ])('%s: %s', (_name, source, construct) => {
    let caught: unknown;
    try {
      render(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedTemplateError);
    const error = caught as UnsupportedTemplateError;
    expect(error.construct).toContain(construct);
    expect(error.message).toContain(construct);
    expect(error.message).toContain('ApplicationSet test spec.template.metadata.name');
  });

  it('refuses at parse time, before any data is looked at', () => {
    expect(() => parseTemplate('{{ if .x }}{{ .a | toYaml }}{{ end }}')).toThrow(UnsupportedTemplateError);
  });
});

describe('syntax errors', () => {
  it.each([
    ['unclosed action', '{{ .cluster'],
    ['missing end', '{{ if .yes }}x'],
    ['stray end', 'x{{ end }}'],
    ['stray else', '{{ else }}'],
    ['double else', '{{ if .yes }}a{{ else }}b{{ else }}c{{ end }}'],
    ['empty action', '{{ }}'],
    ['if without condition', '{{ if }}x{{ end }}'],
    ['dash in field name', '{{ .my-key }}'],
    ['undefined function', '{{ nosuch .cluster }}'],
    ['undefined variable', '{{ $x }}'],
  ])('%s', (_name, source) => {
    expect(() => render(source)).toThrow(TemplateError);
    expect(() => render(source)).not.toThrow(UnsupportedTemplateError);
  });
});

describe('Go float formatting', () => {
  it.each([
    [0, '0'],
    [3, '3'],
    [-2.5, '-2.5'],
    [123456, '123456'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
  ])('%s → %s', (n, expected) => {
    expect(formatGoFloat(n)).toBe(expected);
  });
});

describe('properties', () => {
  it('text without actions renders as itself', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('{{')), (s) => renderTemplate(s, {}) === s));
  });

  it('a field prints any string value verbatim, even one that looks like a template', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, value) => {
      const text = before.replaceAll('{', '(');
      return renderTemplate(`${text}{{ .v }}`, { v: value }, { missingKey: 'error' }) === `${text}${value}`;
    }));
  });
});
