// The edge cases go-differential.test.ts runs through real Go (text/template + sprig, sigs.k8s.io/yaml) and through
// our offline expander. Each row names the outcome we expect from our side, so the table also documents what is
// evaluated and what is refused:
//   same        our output (or error) is exactly Go's
//   suspicious  Go writes `<no value>` or a map/list in fmt's form: our strict mode refuses it, exact mode matches
//   refused     our expander refuses the construct (UnsupportedTemplateError) — never a guess
//   error       Go fails, and so do we (TemplateError)
import type { MissingKey } from '../../scripts/argocd/go-template.ts';
import type { GoValue } from '../../scripts/argocd/go-values.ts';

export type Expect = 'same' | 'suspicious' | 'refused' | 'error';

export interface TemplateCase {
  readonly name: string;
  readonly template: string;
  readonly expect: Expect;
  readonly missingKey?: MissingKey;
  readonly params?: GoValue;
}

/** Parameters as Argo CD hands them over: JSON numbers are float64, objects maps, arrays slices. */
export const PARAMS: GoValue = {
  cluster: 'prod-eu',
  env: 'prod',
  n: 3,
  big: 1000000,
  huge: 1e21,
  half: 0.5,
  neg: -2.5,
  tiny: 0.00001,
  zero: 0,
  yes: true,
  no: false,
  empty: '',
  none: null,
  list: ['a', 'b'],
  objs: [{ name: 'x' }, { name: 'y' }],
  nothing: [],
  nulls: [null, 1],
  map: { b: 2, a: 1, c: null },
  emptyMap: {},
  nested: { inner: { value: 'deep' } },
  unicode: 'Grüße 🚀 日本',
  html: '<a href="x">&</a>',
  mixed: 'Hello World',
  spaced: '  padded \t\n',
  keys: { 'with-dash': 'd', 'a.b': 'dot' },
  multiline: 'a\nb\nc',
  quoteish: 'say "hi" \\ back',
  ctrl: 'tab\there\u0001',
  order: { b: 1, a: 2, B: 3, 'é': 4, '\uff21': 5, '😀': 6, '': 7 },
};

const c = (name: string, template: string, expect: Expect, more: Partial<TemplateCase> = {}): TemplateCase => ({ name, template, expect, ...more });

export const TEMPLATE_CASES: readonly TemplateCase[] = [
  // Missing keys, nil values, fields of non-maps.
  c('missing key, default mode', '{{ .missing }}', 'suspicious'),
  c('missing key, missingkey=error', '{{ .missing }}', 'error', { missingKey: 'error' }),
  c('missing key, missingkey=zero', '{{ .missing }}', 'suspicious', { missingKey: 'zero' }),
  c('field of a missing key, default', '{{ .missing.x }}', 'suspicious'),
  c('field of a missing key, error', '{{ .missing.x }}', 'error', { missingKey: 'error' }),
  c('field of a missing key, zero', '{{ .missing.x }}', 'error', { missingKey: 'zero' }),
  c('nil value', '{{ .none }}', 'suspicious'),
  c('nil value with missingkey=error', '{{ .none }}', 'suspicious', { missingKey: 'error' }),
  c('field of nil', '{{ .none.x }}', 'error'),
  c('if on a missing key, default', '{{ if .missing }}y{{ else }}n{{ end }}', 'same'),
  c('if on a missing key, error', '{{ if .missing }}y{{ else }}n{{ end }}', 'error', { missingKey: 'error' }),
  c('range over a missing key', '{{ range .missing }}x{{ else }}e{{ end }}', 'same'),
  c('field of a string', '{{ .cluster.x }}', 'error'),
  c('field of a list', '{{ .list.x }}', 'error'),
  c('nested field', '{{ .nested.inner.value }}', 'same'),
  c('map value', '{{ .map.a }}', 'same'),
  c('nil map value', '{{ .map.c }}', 'suspicious'),
  c('a map printed', '{{ .map }}', 'suspicious'),
  c('a list printed', '{{ .list }}', 'suspicious'),
  c('a list of maps printed', '{{ .objs }}', 'suspicious'),
  c('a list with nil printed', '{{ .nulls }}', 'suspicious'),
  c('dot printed', '{{ . }}', 'suspicious'),
  c('key with a dash through index', '{{ index .keys "with-dash" }}', 'same'),
  c('key with a dash as field', '{{ .keys.with-dash }}', 'error'),
  c('no params at all', '{{ .cluster }}', 'suspicious', { params: {} }),
  // Numbers (JSON numbers are float64 in Go) and literals.
  c('float64 integer', '{{ .n }}', 'same'),
  c('1e6 in exponent form', '{{ .big }}', 'same'),
  c('1e21', '{{ .huge }}', 'same'),
  c('fraction', '{{ .half }}', 'same'),
  c('negative', '{{ .neg }}', 'same'),
  c('small', '{{ .tiny }}', 'same'),
  c('zero', '{{ .zero }}', 'same'),
  c('int literal', '{{ 3 }}', 'same'),
  c('float literal that is whole', '{{ 3.0 }}', 'same'),
  c('float literal 1e6', '{{ 1e6 }}', 'same'),
  c('float literal 1e21', '{{ 1e21 }}', 'same'),
  c('float literal 1.5e-7', '{{ 1.5e-7 }}', 'same'),
  c('int literal 1234567', '{{ 1234567 }}', 'same'),
  c('float literal 1234567.0', '{{ 1234567.0 }}', 'same'),
  c('negative zero literal', '{{ -0 }}', 'same'),
  c('leading dot float', '{{ .5 }}', 'same'),
  c('explicit plus', '{{ +3 }}', 'same'),
  c('int overflow', '{{ 99999999999999999999 }}', 'error'),
  c('hex literal', '{{ 0x10 }}', 'refused'),
  c('octal literal', '{{ 010 }}', 'refused'),
  c('underscore literal', '{{ 1_000 }}', 'refused'),
  c('character literal', "{{ 'a' }}", 'refused'),
  c('complex literal', '{{ 1+2i }}', 'refused'),
  c('bad number', '{{ 1x }}', 'error'),
  // Booleans, empty strings, unicode, string literals.
  c('bool values', '{{ .yes }}/{{ .no }}', 'same'),
  c('bool literal', '{{ true }}', 'same'),
  c('empty string', '[{{ .empty }}]', 'same'),
  c('empty template', '', 'same'),
  c('empty string literal', '{{ "" }}', 'same'),
  c('unicode value', '{{ .unicode }}', 'same'),
  c('unicode literal', '{{ "日本 🚀" }}', 'same'),
  c('escapes', '{{ "a\\tb\\n\\u00e9\\U0001F680\\x41\\101\\\\\\"" }}', 'same'),
  c('raw string', '{{ `raw\\n "x"` }}', 'same'),
  c('raw string with CR', '{{ `a\r\nb` }}', 'same'),
  c('bad escape', '{{ "\\q" }}', 'error'),
  c('single-quote escape in a double-quoted string', '{{ "\\\'" }}', 'error'),
  c('byte escape above ASCII', '{{ "\\xff" }}', 'refused'),
  c('newline in a string', '{{ "a\nb" }}', 'error'),
  c('html value', '{{ .html }}', 'same'),
  // Trim markers, spaces, comments.
  c('trim both sides', 'a  {{- .cluster -}}  b', 'same'),
  c('trim newlines', 'x\n{{- if .yes }}\ny\n{{- end }}\nz', 'same'),
  c('false block leaves nothing', 'a\n{{- if .no }}\nb\n{{- end }}\nc', 'same'),
  c('"{{-3}}" is a number', 'a {{-3}}', 'same'),
  c('"{{- 3}}" trims', 'a {{- 3}}', 'same'),
  c('right trim after a number', '{{ 3 -}}  x', 'same'),
  c('trim marker without space is not one', '{{ .cluster-}}', 'error'),
  c('tabs and newlines inside an action', '{{\t.cluster\n}}', 'same'),
  c('comment', '{{/* c */}}a', 'same'),
  c('trimmed comment', 'a  {{- /* c */ -}}  b', 'same'),
  c('comment with spaces around', '{{ /* c */ }}', 'error'),
  c('comment not closed by the delimiter', '{{/* c */ }}', 'error'),
  c('unclosed comment', '{{/* c', 'error'),
  c('stray right delimiters', '}} {{ .cluster }}}}', 'same'),
  c('three braces', '{{{ .cluster }}}', 'error'),
  // index, len.
  c('index list', '{{ index .list 1 }}', 'same'),
  c('index out of range', '{{ index .list 5 }}', 'error'),
  c('index negative', '{{ index .list -1 }}', 'error'),
  c('index with a float64', '{{ index .list .n }}', 'error'),
  c('index map', '{{ index .map "a" }}', 'same'),
  c('index map missing key', '{{ index .map "zz" }}', 'suspicious'),
  c('index map missing key, missingkey=error', '{{ index .map "zz" }}', 'suspicious', { missingKey: 'error' }),
  c('index nested', '{{ index .nested "inner" "value" }}', 'same'),
  c('index list then map', '{{ index .objs 0 "name" }}', 'same'),
  c('index dot', '{{ index . "cluster" }}', 'same'),
  c('index nothing', '{{ index .cluster }}', 'same'),
  c('index a string', '{{ index .cluster 0 }}', 'refused'),
  c('index a missing key', '{{ index .missing "a" }}', 'error'),
  c('index through nil', '{{ index .map "c" "d" }}', 'error'),
  c('index a number', '{{ index .n 0 }}', 'error'),
  c('index map with a number', '{{ index .map 1 }}', 'error'),
  c('len string (bytes)', '{{ len .unicode }}', 'same'),
  c('len list', '{{ len .list }}', 'same'),
  c('len map', '{{ len .map }}', 'same'),
  c('len missing', '{{ len .missing }}', 'error'),
  c('len nil', '{{ len .none }}', 'error'),
  c('len number', '{{ len .n }}', 'error'),
  // default, empty, coalesce, ternary.
  c('default for missing', '{{ default "x" .missing }}', 'same'),
  c('default for empty string', '{{ default "x" .empty }}', 'same'),
  c('default keeps a value', '{{ default "x" .cluster }}', 'same'),
  c('default piped', '{{ .missing | default "d" }}', 'same'),
  c('default for zero', '{{ .zero | default 5 }}', 'same'),
  c('default for nil', '{{ default "x" .none }}', 'same'),
  c('default for empty list', '{{ default "x" .nothing }}', 'same'),
  c('default for empty map', '{{ default "x" .emptyMap }}', 'same'),
  c('default for false', '{{ .no | default true }}', 'same'),
  c('default without a value', '{{ default "x" }}', 'same'),
  c('default without arguments', '{{ default }}', 'error'),
  c('default returns a map', '{{ default .map .nested }}', 'suspicious'),
  c('empty', '{{ empty .empty }} {{ empty .cluster }} {{ empty .missing }} {{ empty .zero }}', 'same'),
  c('coalesce', '{{ coalesce .missing .empty .cluster }}', 'same'),
  c('coalesce of nothing', '{{ coalesce .missing .empty }}', 'suspicious'),
  c('ternary', '{{ ternary "a" "b" .yes }}', 'same'),
  c('ternary piped', '{{ .no | ternary "a" "b" }}', 'same'),
  c('ternary with a number', '{{ ternary "a" "b" .n }}', 'error'),
  // toJson, quote, squote.
  c('toJson map (sorted, nil)', '{{ toJson .map }}', 'same'),
  c('toJson list', '{{ toJson .objs }}', 'same'),
  c('toJson html escaping', '{{ toJson .html }}', 'same'),
  c('toJson unicode', '{{ toJson .unicode }}', 'same'),
  c('toJson numbers', '{{ toJson .n }} {{ toJson .huge }} {{ toJson .tiny }} {{ toJson .big }} {{ toJson 3 }} {{ toJson 0.5 }}', 'same'),
  c('toJson missing', '{{ toJson .missing }}', 'same'),
  c('toJson control characters', '{{ toJson .ctrl }}', 'same'),
  c('toJson line separator', '{{ toJson "a\\u2028b\\u2029c" }}', 'same'),
  c('toJson sorted unicode keys', '{{ toJson .order }}', 'same'),
  c('toJson backspace (Go 1.22 changed it)', '{{ toJson "a\\bb" }}', 'refused'),
  c('toJson dot', '{{ toJson . }}', 'same'),
  c('toJson piped', '{{ .nested | toJson }}', 'same'),
  c('quote string', '{{ quote .cluster }}', 'same'),
  c('quote number', '{{ quote .n }}', 'same'),
  c('quote missing', '[{{ quote .missing }}]', 'same'),
  c('quote escapes', '{{ quote .quoteish }}', 'same'),
  c('quote unicode', '{{ quote .unicode }}', 'same'),
  c('quote control characters', '{{ quote .ctrl }}', 'same'),
  c('quote several', '{{ quote "a" .n .none "b" }}', 'same'),
  c('quote piped', '{{ .cluster | quote }}', 'same'),
  c('quote a map', '{{ quote .map }}', 'same'),
  c('quote a bool', '{{ quote .yes }}', 'same'),
  c('quote non-printable unicode', '{{ quote "a\\u00a0b\\u200bc\\u0085" }}', 'same'),
  c('squote', "{{ squote .cluster .n }}", 'same'),
  // if / else if / else / with.
  c('if else', '{{ if .yes }}a{{ else }}b{{ end }}', 'same'),
  c('truth of values', '{{ if .n }}1{{ end }}{{ if .zero }}2{{ end }}{{ if .nothing }}3{{ end }}{{ if .emptyMap }}4{{ end }}{{ if .map }}5{{ end }}{{ if .half }}6{{ end }}{{ if .none }}7{{ end }}{{ if .empty }}8{{ end }}', 'same'),
  c('else if chain', '{{ if .no }}a{{ else if .zero }}b{{ else if .yes }}c{{ else }}d{{ end }}', 'same'),
  c('else if falls to else', '{{ if .no }}a{{ else if .zero }}b{{ else }}d{{ end }}', 'same'),
  c('with', '{{ with .nested }}{{ .inner.value }}{{ end }}', 'same'),
  c('with else', '{{ with .missing }}x{{ else }}y{{ end }}', 'same'),
  c('with variable', '{{ with $x := .cluster }}{{ $x }}-{{ . }}{{ end }}', 'same'),
  c('else with (Go 1.23)', '{{ with .no }}a{{ else with .yes }}b{{ end }}', 'refused'),
  c('else if inside with', '{{ with .no }}a{{ else if .yes }}b{{ end }}', 'refused'),
  c('if with a literal', '{{ if "" }}a{{ else }}b{{ end }}', 'same'),
  // range.
  c('range with index and value', '{{ range $i, $v := .list }}{{ $i }}={{ $v }},{{ end }}', 'same'),
  c('range over a map (sorted keys)', '{{ range $k, $v := .map }}{{ $k }}={{ $v }};{{ end }}', 'suspicious'),
  c('range over a map, values', '{{ range .order }}{{ . }}{{ end }}', 'same'),
  c('range map keys in Go order', '{{ range $k, $v := .order }}[{{ $k }}]{{ end }}', 'same'),
  c('range one variable is the element', '{{ range $v := .list }}{{ $v }}{{ end }}', 'same'),
  c('range fields of elements', '{{ range $v := .objs }}{{ $v.name }}{{ end }}', 'same'),
  c('range break', '{{ range .list }}{{ . }}{{ break }}{{ end }}', 'same'),
  c('range continue', '{{ range .list }}{{ if eq . "a" }}{{ continue }}{{ end }}{{ . }}{{ end }}', 'same'),
  c('range else', '{{ range .nothing }}x{{ else }}empty{{ end }}', 'same'),
  c('range over a string', '{{ range .cluster }}{{ end }}', 'error'),
  c('range over a float64', '{{ range .n }}{{ end }}', 'error'),
  c('range over an int (Go 1.22)', '{{ range 3 }}{{ . }}{{ end }}', 'refused'),
  c('range variables out of scope', '{{ range $i, $v := .list }}{{ end }}{{ $i }}', 'error'),
  c('range over nil elements', '{{ range .nulls }}[{{ . }}]{{ end }}', 'suspicious'),
  c('range $ inside', '{{ range .objs }}{{ $.cluster }}-{{ .name }} {{ end }}', 'same'),
  c('range assignment form', '{{ $x := 0 }}{{ range $x = .list }}{{ end }}', 'refused'),
  c('break outside range', '{{ break }}', 'error'),
  c('nested range', '{{ range .objs }}{{ range $.list }}{{ . }}{{ end }}{{ .name }}{{ end }}', 'same'),
  // Variables, pipelines, parentheses.
  c('variable', '{{ $x := .cluster }}{{ $x }}', 'same'),
  c('variable assignment', '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}', 'same'),
  c('root variable', '{{ $.cluster }}', 'same'),
  c('undefined variable', '{{ $nope }}', 'error'),
  c('variable field chain', '{{ $x := .nested }}{{ $x.inner.value }}', 'same'),
  c('variable out of scope', '{{ if .yes }}{{ $y := 1 }}{{ end }}{{ $y }}', 'error'),
  c('variable holding a missing key', '{{ $x := .missing }}{{ $x.y }}', 'suspicious'),
  c('too many declarations', '{{ $a, $b := .list }}', 'error'),
  c('pipeline into printf', '{{ .cluster | printf "%s-web" }}', 'same'),
  c('pipeline chain', '{{ .mixed | upper | lower }}', 'same'),
  c('trailing pipe', '{{ .cluster | }}', 'same'),
  c('literal as a later stage', '{{ .cluster | "x" }}', 'error'),
  c('field with arguments', '{{ .cluster .env }}', 'error'),
  c('field after a pipe', '{{ .cluster | .env }}', 'error'),
  c('pipeline into len', '{{ .cluster | len }}', 'same'),
  c('parentheses', '{{ (.cluster) }}', 'same'),
  c('parenthesised call with field', '{{ (index .objs 0).name }}', 'same'),
  c('field of a parenthesised missing key', '{{ (.missing).x }}', 'suspicious'),
  c('field of a parenthesised nil', '{{ (.map.c).x }}', 'suspicious'),
  c('nil command', '{{ nil }}', 'error'),
  c('nil argument', '[{{ quote nil }}]', 'same'),
  c('unclosed paren', '{{ (.cluster }}', 'error'),
  c('empty parens', '{{ () }}', 'error'),
  c('undefined function', '{{ nosuchfunction .cluster }}', 'error'),
  c('env was removed by Argo CD', '{{ env "HOME" }}', 'error'),
  c('function without arguments as an argument', '{{ lower upper }}', 'error'),
  c('wrong argument count', '{{ lower "a" "b" }}', 'error'),
  // Comparisons and logic.
  c('eq strings', '{{ eq .cluster "prod-eu" }}', 'same'),
  c('eq float64 with an int literal', '{{ eq .n 3 }}', 'error'),
  c('eq float64 with a float literal', '{{ eq .n 3.0 }}', 'same'),
  c('eq with several', '{{ eq .env "dev" "prod" }}', 'same'),
  c('eq bools', '{{ eq .yes true }}', 'same'),
  c('eq missing', '{{ eq .missing "x" }}', 'refused'),
  c('eq maps', '{{ eq .map .map }}', 'refused'),
  c('ne', '{{ ne .env "dev" }}', 'same'),
  c('lt floats', '{{ lt .n 5.0 }}', 'same'),
  c('lt strings', '{{ lt "a" "b" }} {{ lt "b" "a" }} {{ lt "é" "z" }}', 'same'),
  c('gt, le, ge', '{{ gt .half 0.25 }} {{ le 3 3 }} {{ ge .n 4.0 }} {{ le "b" "a" }}', 'same'),
  c('lt bools', '{{ lt .yes .no }}', 'error'),
  c('lt mixed', '{{ lt .n 4 }}', 'error'),
  c('and returns a value', '{{ and .yes .cluster }}', 'same'),
  c('and stops at false', '{{ and .no .missing.x }}', 'same'),
  c('or returns the first true value', '{{ or .empty .cluster }}', 'same'),
  c('or of falsy values', '[{{ or .missing .empty }}]', 'same'),
  c('and with a missing key', '{{ and .missing .x }}', 'suspicious'),
  c('if and', '{{ if and .yes .n }}t{{ else }}f{{ end }}', 'same'),
  c('not', '{{ not .yes }} {{ not .missing }} {{ not .empty }}', 'same'),
  c('and without arguments', '{{ and }}', 'error'),
  c('piped and', '{{ .cluster | and .yes }}', 'same'),
  // printf, print, println.
  c('printf %s', '{{ printf "%s-%s" .cluster .env }}', 'same'),
  c('printf %v float', '{{ printf "%v" .n }} {{ printf "%v" .big }}', 'same'),
  c('printf %d int', '{{ printf "%d" 3 }}', 'same'),
  c('printf %d float64', '{{ printf "%d" .n }}', 'refused'),
  c('printf %q', '{{ printf "%q" .quoteish }}', 'same'),
  c('printf width', '{{ printf "%5s" .cluster }}', 'refused'),
  c('printf %%', '{{ printf "100%%" }}', 'same'),
  c('printf %v map', '{{ printf "%v" .map }}', 'same'),
  c('printf extra argument', '{{ printf "%s" .cluster .env }}', 'refused'),
  c('printf %t', '{{ printf "%t" .yes }}', 'same'),
  c('printf without format', '{{ printf }}', 'error'),
  c('printf with a missing value', '{{ printf "%v" .missing }}', 'same'),
  c('print spacing', '{{ print 1 2 "a" "b" 3 .yes }}', 'same'),
  c('print missing', '{{ print .missing }}', 'same'),
  c('println', '{{ println .cluster .n }}', 'same'),
  // String functions.
  c('lower', '{{ lower .mixed }}', 'same'),
  c('upper', '{{ upper .cluster }}', 'same'),
  c('lower non-ASCII', '{{ lower .unicode }}', 'refused'),
  c('lower of a number', '{{ lower .n }}', 'error'),
  c('lower of a missing key', '{{ lower .missing }}', 'error'),
  c('lower of nil', '{{ lower .none }}', 'error'),
  c('replace', '{{ replace "-" "_" .cluster }}', 'same'),
  c('replace piped', '{{ .cluster | replace "prod" "p" }}', 'same'),
  c('replace empty old', '{{ replace "" "." "ab" }}', 'same'),
  c('replace empty old with astral', '{{ replace "" "." "🚀x" }}', 'same'),
  c('trunc', '{{ trunc 4 .cluster }}', 'same'),
  c('trunc negative', '{{ trunc -3 .cluster }}', 'same'),
  c('trunc longer', '{{ trunc 100 .cluster }}', 'same'),
  c('trunc zero', '[{{ trunc 0 .cluster }}]', 'same'),
  c('trunc unicode on a boundary', '{{ trunc 4 .unicode }}', 'same'),
  c('trunc inside a character', '{{ trunc 5 .unicode }}', 'refused'),
  c('trunc with a float64 count', '{{ trunc .n .cluster }}', 'error'),
  c('trunc with a whole float literal', '{{ trunc 3.0 .cluster }}', 'same'),
  c('trunc with a fractional literal', '{{ trunc 3.5 .cluster }}', 'error'),
  c('trim', '[{{ trim .spaced }}]', 'same'),
  c('trim unicode spaces', '[{{ trim "\\u0085x\\u00a0\\ufeff" }}]', 'same'),
  c('trimPrefix', '{{ trimPrefix "prod-" .cluster }}', 'same'),
  c('trimSuffix', '{{ trimSuffix "-eu" .cluster }}', 'same'),
  c('trimSuffix empty', '{{ trimSuffix "" .cluster }}', 'same'),
  c('contains', '{{ if contains "eu" .cluster }}y{{ end }}', 'same'),
  c('hasPrefix, hasSuffix', '{{ hasPrefix "prod" .cluster }} {{ hasSuffix "eu" .cluster }} {{ hasSuffix "x" .cluster }}', 'same'),
  c('indent', '{{ indent 2 .multiline }}', 'same'),
  c('nindent', '{{ nindent 4 .multiline }}', 'same'),
  c('nindent piped', 'x:{{ .multiline | nindent 2 }}', 'same'),
  c('negative indent', '{{ indent -1 "x" }}', 'error'),
  c('normalize', '{{ normalize "Prod_EU/West 1" }}', 'same'),
  c('normalize unicode', '{{ normalize .unicode }}', 'same'),
  c('normalize dotted I and Kelvin sign', '{{ normalize "İstanbul-\u212a" }}', 'same'),
  c('normalize trims', '{{ normalize "--a.b--" }}|{{ normalize "..." }}', 'same'),
  c('normalize truncates to 253', `{{ normalize "${'Ab'.repeat(150)}" }}`, 'same'),
  c('normalize piped', '{{ .cluster | normalize }}', 'same'),
  // Functions we do not evaluate.
  c('toYaml', '{{ toYaml .map }}', 'refused'),
  c('slugify', '{{ slugify .cluster }}', 'refused'),
  c('b64enc', '{{ b64enc .cluster }}', 'refused'),
  c('define', '{{ define "x" }}y{{ end }}', 'refused'),
  c('template', '{{ template "x" }}', 'refused'),
  // Syntax errors.
  c('unclosed action', '{{ .cluster', 'error'),
  c('missing end', '{{ if .yes }}x', 'error'),
  c('stray end', 'x{{ end }}', 'error'),
  c('stray else', '{{ else }}', 'error'),
  c('double else', '{{ if .yes }}a{{ else }}b{{ else }}c{{ end }}', 'error'),
  c('empty action', '{{ }}', 'error'),
  c('if without condition', '{{ if }}x{{ end }}', 'error'),
  c('end with arguments', '{{ if .yes }}x{{ end .yes }}', 'error'),
];

export interface YamlCase {
  readonly name: string;
  readonly text: string;
  /** same: our result equals Go's (or both fail); refused: we throw Yaml11Error('unsupported'). */
  readonly expect: 'same' | 'refused';
}

const y = (name: string, text: string, expect: 'same' | 'refused' = 'same'): YamlCase => ({ name, text, expect });
const scalar = (s: string, expect: 'same' | 'refused' = 'same'): YamlCase => y(`value ${JSON.stringify(s)}`, `v: ${s}\n`, expect);
const key = (s: string, expect: 'same' | 'refused' = 'same'): YamlCase => y(`key ${JSON.stringify(s)}`, `${s}: x\n`, expect);

export const YAML_CASES: readonly YamlCase[] = [
  ...['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'false', 'FALSE', 'yEs', 'oN'].map((s) => scalar(s)),
  ...['~', 'null', 'Null', 'NULL', '', 'nULL'].map((s) => scalar(s)),
  ...['0', '-0', '+0', '00', '010', '08', '0o10', '0O17', '0x1F', '0X1f', '+0x1F', '-0x1F', '0b101', '-0b101', '0b2', '1_000', '1__0', '0x_1F', '_1', '1_', '+', '-', '.', '+1', '-1'].map((s) => scalar(s)),
  ...['0.1', '.5', '-.5', '+.5', '1.0', '-0.0', '09.5', '1e3', '1E3', '1.e3', '1e+3', '1e-3', '6.02e23', '1_0.5', '1e400', '-1e400', '1e-400', '0x1p3'].map((s) => scalar(s)),
  ...['.inf', '-.inf', '+.inf', '.Inf', '.INF', '.NaN', '.nan', '.infinity'].map((s) => scalar(s)),
  scalar('9007199254740993', 'refused'),
  scalar('9223372036854775807', 'refused'),
  scalar('9223372036854775808', 'refused'),
  scalar('18446744073709551616'),
  scalar('-9223372036854775809'),
  scalar('123456789012'),
  ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-13-45', '12:30', '1:20', '190:20:30', '8080:80'].map((s) => scalar(s)),
  ...['"yes"', "'on'", '"010"', '"1e3"', '"~"', '""'].map((s) => scalar(s)),
  ...['!!str yes', '!!str 010', '!!int "12"', '!!int x', '!!float 1', '!!float "1.5"', '!!bool yes', '!!bool "on"', '!!null ""', '!!null x', '!!binary aGVsbG8=', '!!binary "not base64!"'].map((s) => scalar(s)),
  scalar('!!binary /w==', 'refused'),
  scalar('!foo bar', 'refused'),
  scalar('!!timestamp 2001-12-14', 'refused'),
  scalar('|\n  literal\n  text\n'),
  scalar('>\n  folded\n  text\n'),
  scalar('plain\n  continued'),
  scalar('"a\\tb\\u00e9\\x41"'),
  scalar('<<'),
  ...['on', 'yes', 'Y', 'true', '1', '01', '0x1F', '1.5', '0.1', '1e3', '1e6', '100000', '1234567.0', '16777217.0', '-0.0', '.inf', '.nan', '2001-12-14', '"quoted"', '9223372036854775808', 'null', '~'].map((s) => key(s)),
  y('empty key', ': x\n'),
  y('list as key', '? [a]\n: b\n'),
  y('map as key', '? {a: 1}\n: b\n'),
  y('int and string keys collide', '1: a\n"1": b\n', 'refused'),
  y('bool and string keys collide', 'on: a\n"true": b\n', 'refused'),
  y('two NaN keys', '.nan: a\n.NaN: b\n', 'refused'),
  y('same int key twice', '1: a\n0x1: b\n'),
  y('same bool key twice', 'yes: 1\ntrue: 2\n'),
  y('duplicate keys', 'a: 1\na: 2\n'),
  y('multi-document: only the first', 'a: 1\n---\nb: 2\n'),
  y('empty first document', '---\n---\na: 1\n'),
  y('error in a later document', 'a: 1\n---\nb: [\n'),
  y('empty input', ''),
  y('comment only', '# nothing\n'),
  y('document end marker', 'a: 1\n...\n'),
  y('anchor and alias', 'a: &x {b: 1}\nc: *x\n'),
  y('merge key', 'base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\n'),
  y('merge key after a key: the merge wins', 'base: &b {p: 1, q: 2}\nd:\n  q: 3\n  <<: *b\n'),
  y('merge list: earlier maps win', 'a: &a {p: 1}\nb: &b {p: 2, r: 3}\nd:\n  <<: [*a, *b]\n'),
  y('inline merge', 'd:\n  <<: {p: 1}\n  q: 2\n'),
  y('y and n as keys are booleans', 'x: 1\ny: 2\nn: 3\n'),
  y('merge of a scalar', 'a: &a 1\nd:\n  <<: *a\n'),
  y('quoted merge key is a plain key', '"<<": 1\n'),
  y('unknown alias', 'a: *nope\n'),
  y('alias to a scalar', 'a: &x yes\nb: *x\n'),
  y('nested lists', '- a\n- [b, c]\n- {d: on}\n'),
  y('flow map', '{a: 1, b: [x, y], c: {d: no}}\n'),
  y('tab indentation', 'a:\n\tb: 1\n'),
  y('unclosed flow', 'a: [\n'),
  y('mapping in a plain scalar position', 'a: b: c\n'),
  y('byte order mark', '\ufeffa: 1\n'),
  y('YAML directive', '%YAML 1.1\n---\na: yes\n'),
  y('CRLF line ends', 'a: 1\r\nb: on\r\n'),
  y('html characters', 'a: "<&>"\n'),
  y('unicode', 'ключ: значение 🚀\n'),
  y('null values in a map', 'a:\nb: ~\nc: null\n'),
  y('top-level scalar', 'yes\n'),
  y('top-level list', '- 1\n- two\n'),
  y('a templatePatch', 'spec:\n  source:\n    helm:\n      valuesObject:\n        controller:\n          service:\n            annotations:\n'),
];

/** Inputs for Argo CD's ConvertYAMLToJSON as templatePatch goes through it (the "{" shortcut to JSON). */
export const TEMPLATE_PATCH_CASES: readonly YamlCase[] = [
  y('JSON object', '{"spec": {"project": "x", "n": 1}}'),
  y('JSON with leading white space', '  \n {"a": 1}'),
  y('JSON duplicate keys', '{"a": 1, "a": 2}'),
  y('YAML flow map starting with "{" is read as JSON', '{a: 1}'),
  y('YAML booleans in JSON position', '{"a": yes}'),
  y('JSON after a no-break space', '\u00a0{"a": 1}'),
  y('JSON after a byte order mark', '\ufeff{"a": 1}'),
  y('YAML patch', 'spec:\n  syncPolicy:\n    automated:\n      prune: yes\n'),
  y('empty patch', ''),
  y('white space patch', '  \n'),
  y('JSON array', '[1, 2]'),
  y('trailing garbage after JSON', '{"a": 1} x'),
];

/** A small deterministic PRNG (mulberry32), so the random templates are the same on every run. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const FIELDS = ['$v', '$i', '$e', '.cluster', '.env', '.n', '.big', '.half', '.zero', '.yes', '.no', '.empty', '.none', '.missing', '.list', '.objs', '.map', '.map.a', '.map.c', '.nested.inner', '.unicode', '.multiline', '.spaced', '.order', '.', '$', '$.cluster'];
const LITERALS = ['"x"', '"prod"', '""', '"a-b"', '3', '0', '-1', '2.5', '1e6', 'true', 'false', 'nil', '`r`'];
// name, fewest and most arguments (variadic ones capped at 3).
const CALLS: readonly (readonly [string, number, number])[] = [
  ['default', 1, 2], ['empty', 1, 1], ['coalesce', 0, 3], ['ternary', 3, 3], ['quote', 0, 3], ['squote', 0, 3], ['toJson', 1, 1],
  ['lower', 1, 1], ['upper', 1, 1], ['trim', 1, 1], ['trimPrefix', 2, 2], ['trimSuffix', 2, 2], ['hasPrefix', 2, 2],
  ['hasSuffix', 2, 2], ['contains', 2, 2], ['replace', 3, 3], ['trunc', 2, 2], ['indent', 2, 2], ['nindent', 2, 2],
  ['normalize', 1, 1], ['and', 1, 3], ['or', 1, 3], ['not', 1, 1], ['eq', 2, 3], ['ne', 2, 2], ['lt', 2, 2], ['le', 2, 2],
  ['gt', 2, 2], ['ge', 2, 2], ['index', 1, 3], ['len', 1, 1], ['print', 0, 3], ['printf', 1, 3], ['println', 0, 3],
];
const TEXTS = ['a', ' ', '\n', '-', 'x y', '}}', '{', 'é', '\t'];

/** Random templates over the constructs we evaluate, many of them wrong on purpose (arity, types, scope). */
export const randomTemplates = (count: number, seed: number): string[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const operand = (depth: number): string => {
    const r = rnd();
    if (r < 0.45) return pick(FIELDS);
    if (r < 0.75 || depth > 1) return pick(LITERALS);
    return `(${pipeline(depth + 1)})`;
  };
  /** A call with (mostly) the right number of arguments; `piped` arguments come from the pipeline. */
  const call = (depth: number, piped: number): string => {
    const [name, min, max] = pick(CALLS);
    const wanted = rnd() < 0.85 ? min + Math.floor(rnd() * (max - min + 1)) - piped : Math.floor(rnd() * 4);
    return [name, ...Array.from({ length: Math.max(0, wanted) }, () => operand(depth))].join(' ');
  };
  const command = (depth: number): string => (rnd() < 0.35 ? operand(depth) : call(depth, 0));
  const pipeline = (depth: number): string => {
    const stages = [command(depth)];
    while (rnd() < 0.3) stages.push(call(depth, 1));
    return stages.join(' | ');
  };
  const action = (body: string): string => `{{${rnd() < 0.2 ? '- ' : ' '}${body}${rnd() < 0.2 ? ' -' : ' '}}}`;
  const block = (depth: number): string => {
    const parts: string[] = [];
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      if (r < 0.3) parts.push(pick(TEXTS));
      else if (r < 0.8 || depth > 1) parts.push(action(rnd() < 0.15 ? `$v := ${pipeline(0)}` : pipeline(0)));
      else {
        const kind = pick(['if', 'with', 'range', 'range $i, $e :=', 'range $e :=']);
        const elseBranch = rnd() < 0.4 ? `{{ else }}${block(depth + 1)}` : '';
        parts.push(`${action(`${kind} ${pipeline(0)}`)}${block(depth + 1)}${elseBranch}{{ end }}`);
      }
    }
    return parts.join('');
  };
  return Array.from({ length: count }, () => block(0));
};

const YAML_SCALARS = ['&a:b x', '*a.b', '&x1 v', '*x1', 'yes', 'no', 'on', 'Off', 'y', 'n', '~', 'null', '', '0', '010', '0x1F', '0o7', '1_000', '1e3', '.5', '-1', '+2', '3.0', '2001-12-14', '1:20', '"quoted"', "'single'", '"yes"', 'plain text', '"a\\tb"', '!!str 1', '!!int 3', 'é', '"\\u00e9"', '[]', '{}', '[a, on]', '{k: v}', '&anc v', '*anc', 'true', 'False', '.inf', '-.Inf', '12345678', '0b11', '" lead"', 'trail ', 'x # comment', '|', '>', '<<'];
const YAML_ODD = ['a: b', '- x', '#c', '?', ':', ',', '%', '@x', '`x`', '[a', '{a', '"open', "'it''s'", '!!binary aGk=', '!!float 2', '9223372036854775808', '.nan'];
const YAML_KEYS = ['a', 'b', 'on', 'yes', '1', '"1"', '1.5', 'key with space', '"q"', '<<', '~', '0x1', 'y', '?', '- k', 'k:', '"a b"', '&k kk', '*k'];

/** Random block YAML documents mixing YAML 1.1 scalars, duplicate keys, anchors, merges and broken syntax. */
export const randomYaml = (count: number, seed: number): string[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const node = (indent: number, depth: number): string => {
    const r = rnd();
    const pad = ' '.repeat(indent);
    if (depth > 2 || r < 0.5) return ` ${rnd() < 0.85 ? pick(YAML_SCALARS) : pick(YAML_ODD)}\n`;
    const n = 1 + Math.floor(rnd() * 3);
    let out = '\n';
    for (let i = 0; i < n; i++) out += r < 0.75 ? `${pad}  ${pick(YAML_KEYS)}:${node(indent + 2, depth + 1)}` : `${pad}  -${node(indent + 2, depth + 1)}`;
    return out;
  };
  return Array.from({ length: count }, () => {
    let doc = '';
    const n = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < n; j++) doc += `${pick(YAML_KEYS)}:${node(0, 0)}`;
    return rnd() < 0.05 ? `${doc}---\nz: 1\n` : doc;
  });
};
