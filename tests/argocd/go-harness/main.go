// Differential-test harness: renders Go templates and converts YAML to JSON the way the ApplicationSet controller
// of Argo CD v3.4.4 does, so that tests can compare our offline expander (scripts/argocd) with the real libraries.
// Our own code; it reproduces, and does not copy, what these upstream files do (argoproj/argo-cd@v3.4.4):
//
//   - applicationset/utils/utils.go:31-51  the function map: sprig.GenericFuncMap() minus env, expandenv and
//     getHostByName, plus normalize, slugify, toYaml, fromYaml and fromYamlArray; the base template is
//     template.New("base").Funcs(that map).
//   - applicationset/utils/utils.go:402-423  Replace: clone the base template, apply every goTemplateOptions entry
//     with Option (which panics on an unknown option), Parse, Execute with the parameter map as data.
//   - applicationset/utils/template_functions.go  normalize (SanitizeName), toYaml (sigs.k8s.io/yaml Marshal minus
//     the final newline), fromYaml, fromYamlArray.
//   - applicationset/utils/utils.go:75-89  ConvertYAMLToJSON: text whose trimmed form starts with "{" is taken as
//     JSON as it is; anything else goes through sigs.k8s.io/yaml.YAMLToJSON (goyaml.v2 underneath, YAML 1.1).
//   - applicationset/controllers/template/patch.go:19-25  templatePatch: ConvertYAMLToJSON, then json.Unmarshal into
//     an Application (here: into interface{}, which checks the syntax but not the Application schema).
//   - applicationset/generators/list.go:46,82  list elements: encoding/json into map[string]any; elementsYaml:
//     sigs.k8s.io/yaml.Unmarshal into []map[string]any.
//
// Built in GOPATH mode against Debian's packages. Differences from the versions Argo CD v3.4.4 pins (go.mod):
//
//   - Go: Debian 1.19 here, Argo CD builds with Go 1.26. text/template gained range over integers (1.22),
//     {{else with}} (1.23) and range over iterator functions (1.24); encoding/json writes \b and \f as short escapes
//     since 1.22 (before: \u0008, \u000c). Our expander refuses all of these, so the harness never has to agree.
//   - sprig: Debian 3.2.3, Argo CD 3.3.0 (github.com/Masterminds/sprig v3.2.3..v3.3.0, non-test .go files):
//     3.3.0 adds sha512sum (added below, same body: hex of crypto/sha512.Sum512); camelcase becomes
//     xstrings.ToPascalCase (xstrings 1.5.0; Debian has xstrings 1.3.3 with the old ToCamelCase), and kebabcase and
//     snakecase come from that newer xstrings too: the three are replaced below by functions that fail, so no test
//     can trust them; mergo moves to dario.cat/mergo 1.0.x (merge*, Debian: imdario/mergo 0.3.12); spf13/cast 1.7.1
//     (Debian 1.5.0: int, int64, float64, toDecimal, add, sub, ...) and semver 3.4.0 (Debian 3.2.0: semver*) differ
//     in version too. None of those is reproduced by our expander, which refuses them. Every function the expander
//     does evaluate (default, empty, coalesce, ternary, quote, squote, toJson, lower, upper, trim, trimPrefix,
//     trimSuffix, replace, trunc, contains, hasPrefix, hasSuffix, indent, nindent, normalize and the text/template
//     builtins) has the same source in sprig 3.2.3 and 3.3.0.
//   - sigs.k8s.io/yaml: Debian 1.3.0 on gopkg.in/yaml.v2 2.4.0; Argo CD pins 1.6.0 on go.yaml.in/yaml/v2 2.4.2.
//     YAMLToJSON and convertToJSONableObject differ between 1.3.0 and 1.6.0 only in names and error texts, and
//     go-yaml v2.4.2 differs from v2.4.0 only in its module path (yaml/go-yaml v2.4.0..v2.4.2), so the YAML 1.1
//     resolution (yes/on/y booleans, 0x/0o/0b/leading-0 integers, "_" in numbers, timestamps) is the same.
//   - slugify needs github.com/gosimple/slug, which Debian does not package: replaced by a failing function.
//
// Protocol: stdin is one JSON array of cases, stdout one JSON array of results in the same order.
//
//	{"id":"x","mode":"render","template":"{{ .a }}","params":{"a":1},"options":["missingkey=error"]}
//	{"id":"y","mode":"yamlToJson","text":"a: yes"}         sigs.k8s.io/yaml.YAMLToJSON
//	{"id":"z","mode":"templatePatch","text":"spec: {}"}    ConvertYAMLToJSON + json.Unmarshal check
//	{"id":"w","mode":"elementsYaml","text":"- a: 1"}       yaml.Unmarshal into []map[string]any, re-marshalled
//
// A result is {"id","output"} (render) or {"id","json"} (the other modes), or {"id","error","stage"}; "utf8":false
// flags an output that is not valid UTF-8 (JSON cannot carry it exactly).
package main

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type harnessCase struct {
	ID       string          `json:"id"`
	Mode     string          `json:"mode"`
	Template string          `json:"template"`
	Params   json.RawMessage `json:"params"`
	Options  []string        `json:"options"`
	Text     string          `json:"text"`
}

type harnessResult struct {
	ID     string          `json:"id"`
	Output *string         `json:"output,omitempty"`
	JSON   json.RawMessage `json:"json,omitempty"`
	Error  string          `json:"error,omitempty"`
	Stage  string          `json:"stage,omitempty"`
	UTF8   *bool           `json:"utf8,omitempty"`
}

var invalidNameChars = regexp.MustCompile("[^-a-z0-9.]")

// normalize: lower-case, every rune outside [-a-z0-9.] becomes "-", at most 253 bytes, "-" and "." trimmed at
// both ends (Argo CD's SanitizeName).
func normalize(name string) string {
	name = invalidNameChars.ReplaceAllString(strings.ToLower(name), "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

func toYaml(v interface{}) (string, error) {
	out, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

func fromYaml(text string) (map[string]interface{}, error) {
	out := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &out); err != nil {
		return nil, err
	}
	return out, nil
}

func fromYamlArray(text string) ([]interface{}, error) {
	out := []interface{}{}
	if err := yaml.Unmarshal([]byte(text), &out); err != nil {
		return nil, err
	}
	return out, nil
}

func notReproduced(name string) func(...interface{}) (string, error) {
	return func(...interface{}) (string, error) {
		return "", fmt.Errorf("%s: not reproduced by the harness (different library version or not packaged)", name)
	}
}

func funcMap() template.FuncMap {
	m := sprig.GenericFuncMap()
	for _, name := range []string{"env", "expandenv", "getHostByName"} {
		delete(m, name)
	}
	m["normalize"] = normalize
	m["slugify"] = notReproduced("slugify")
	m["toYaml"] = toYaml
	m["fromYaml"] = fromYaml
	m["fromYamlArray"] = fromYamlArray
	// sprig 3.3.0 differences (see the file comment).
	m["sha512sum"] = func(input string) string {
		sum := sha512.Sum512([]byte(input))
		return hex.EncodeToString(sum[:])
	}
	for _, name := range []string{"camelcase", "kebabcase", "snakecase"} {
		m[name] = notReproduced(name)
	}
	return m
}

var base = template.New("base").Funcs(funcMap())

func applyOptions(t *template.Template, options []string) (out *template.Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	for _, option := range options {
		t = t.Option(option)
	}
	return t, nil
}

func render(c harnessCase) harnessResult {
	var params map[string]interface{}
	if len(c.Params) > 0 {
		if err := json.Unmarshal(c.Params, &params); err != nil {
			return harnessResult{ID: c.ID, Error: err.Error(), Stage: "params"}
		}
	}
	cloned, err := base.Clone()
	if err != nil {
		return harnessResult{ID: c.ID, Error: err.Error(), Stage: "clone"}
	}
	withOptions, err := applyOptions(cloned, c.Options)
	if err != nil {
		return harnessResult{ID: c.ID, Error: err.Error(), Stage: "option"}
	}
	parsed, err := withOptions.Parse(c.Template)
	if err != nil {
		return harnessResult{ID: c.ID, Error: err.Error(), Stage: "parse"}
	}
	var buf bytes.Buffer
	if err := parsed.Execute(&buf, params); err != nil {
		return harnessResult{ID: c.ID, Error: err.Error(), Stage: "execute"}
	}
	out := buf.String()
	result := harnessResult{ID: c.ID, Output: &out}
	if !utf8.ValidString(out) {
		valid := false
		result.UTF8 = &valid
	}
	return result
}

func jsonResult(id string, data []byte, stage string, err error) harnessResult {
	if err != nil {
		return harnessResult{ID: id, Error: err.Error(), Stage: stage}
	}
	return harnessResult{ID: id, JSON: json.RawMessage(data)}
}

func templatePatch(c harnessCase) harnessResult {
	converted := []byte(c.Text)
	if trimmed := strings.TrimSpace(c.Text); trimmed == "" || trimmed[0] != '{' {
		out, err := yaml.YAMLToJSON([]byte(c.Text))
		if err != nil {
			return jsonResult(c.ID, nil, "convert", err)
		}
		converted = out
	}
	var check interface{}
	if err := json.Unmarshal(converted, &check); err != nil {
		return jsonResult(c.ID, nil, "unmarshal", err)
	}
	// Re-marshalled so that the JSON shortcut's text reaches the test in the same canonical form.
	out, err := json.Marshal(check)
	return jsonResult(c.ID, out, "marshal", err)
}

func elementsYaml(c harnessCase) harnessResult {
	var elements []map[string]interface{}
	if err := yaml.Unmarshal([]byte(c.Text), &elements); err != nil {
		return jsonResult(c.ID, nil, "unmarshal", err)
	}
	out, err := json.Marshal(elements)
	return jsonResult(c.ID, out, "marshal", err)
}

func run(c harnessCase) (result harnessResult) {
	defer func() {
		if r := recover(); r != nil {
			result = harnessResult{ID: c.ID, Error: fmt.Sprintf("panic: %v", r), Stage: "panic"}
		}
	}()
	switch c.Mode {
	case "render":
		return render(c)
	case "yamlToJson":
		out, err := yaml.YAMLToJSON([]byte(c.Text))
		return jsonResult(c.ID, out, "convert", err)
	case "templatePatch":
		return templatePatch(c)
	case "elementsYaml":
		return elementsYaml(c)
	}
	return harnessResult{ID: c.ID, Error: fmt.Sprintf("unknown mode %q", c.Mode), Stage: "harness"}
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err == nil && len(bytes.TrimSpace(input)) == 0 {
		err = errors.New("no input")
	}
	var cases []harnessCase
	if err == nil {
		err = json.Unmarshal(input, &cases)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-harness: reading cases: %v\n", err)
		os.Exit(2)
	}
	results := make([]harnessResult, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(results); err != nil {
		fmt.Fprintf(os.Stderr, "go-harness: writing results: %v\n", err)
		os.Exit(2)
	}
}
