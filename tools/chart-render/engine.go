package main

// The render of helm/helm@v3.19.4:pkg/engine/engine.go in its `helm template` configuration (not strict, not
// lint, no cluster client, no DNS): one template set for the chart and all enabled subcharts, parsed deepest
// path first so that a parent's `define` wins; every non-partial file executed with its chart's scope;
// `missingkey=zero` with "<no value>" removed from the output.

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

type renderable struct {
	tpl      string
	vals     map[string]interface{}
	basePath string
}

const (
	warnStart        = "HELM_ERR_START"
	warnEnd          = "HELM_ERR_END"
	recursionMaxNums = 1000
)

var warnRegex = regexp.MustCompile(warnStart + `((?s).*)` + warnEnd)

func warnWrap(s string) string { return warnStart + s + warnEnd }

// chartScope is .Chart: the metadata plus IsRoot, as recAllTpls builds it.
type chartScope struct {
	Metadata
	IsRoot bool
}

func includeFun(t *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if v, ok := included[name]; ok {
			if v > recursionMaxNums {
				return "", fmt.Errorf("rendering template has a nested reference name: %s: unable to execute template", name)
			}
			included[name]++
		} else {
			included[name] = 1
		}
		err := t.ExecuteTemplate(&buf, name, data)
		included[name]--
		return buf.String(), err
	}
}

func tplFun(parent *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(tpl string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{
			"include": includeFun(t, included),
			"tpl":     tplFun(t, included),
		})
		t, err = t.New(parent.Name()).Parse(tpl)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", tpl, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", tpl, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

func initFunMap(t *template.Template) {
	fm := funcMap()
	included := map[string]int{}
	fm["include"] = includeFun(t, included)
	fm["tpl"] = tplFun(t, included)
	fm["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, fmt.Errorf("%s", warnWrap(warn))
		}
		if s, ok := val.(string); ok && s == "" {
			return val, fmt.Errorf("%s", warnWrap(warn))
		}
		return val, nil
	}
	fm["fail"] = func(msg string) (string, error) {
		return "", fmt.Errorf("%s", warnWrap(msg))
	}
	t.Funcs(fm)
}

// allTemplates walks the chart tree, giving each template the values of its own chart (recAllTpls).
func allTemplates(c *Chart, top map[string]interface{}) map[string]renderable {
	out := map[string]renderable{}
	recAllTpls(c, out, top)
	return out
}

func recAllTpls(c *Chart, templates map[string]renderable, vals map[string]interface{}) map[string]interface{} {
	subCharts := map[string]interface{}{}
	next := map[string]interface{}{
		"Chart":        chartScope{*c.Metadata, c.IsRoot()},
		"Files":        newFiles(c.Files),
		"Release":      vals["Release"],
		"Capabilities": vals["Capabilities"],
		"Values":       Values{},
		"Subcharts":    subCharts,
	}
	if c.IsRoot() {
		next["Values"] = vals["Values"]
	} else if parent, ok := vals["Values"].(Values); ok {
		if vs, err := parent.Table(c.Name()); err == nil {
			next["Values"] = vs
		}
	}
	for _, child := range c.Dependencies() {
		subCharts[child.Name()] = recAllTpls(child, templates, next)
	}
	base := c.ChartFullPath()
	for _, t := range c.Templates {
		if t == nil {
			continue
		}
		// Library charts contribute only their partials.
		if strings.EqualFold(c.Metadata.Type, "library") && !strings.HasPrefix(path.Base(t.Name), "_") {
			continue
		}
		templates[path.Join(base, t.Name)] = renderable{tpl: string(t.Data), vals: next, basePath: path.Join(base, "templates")}
	}
	return next
}

func sortTemplates(tpls map[string]renderable) []string {
	keys := make([]string, 0, len(tpls))
	for k := range tpls {
		keys = append(keys, k)
	}
	// Reverse of "fewer slashes first, then by name": deepest files are parsed first.
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
		if ca == cb {
			return a > b
		}
		return ca > cb
	})
	return keys
}

func render(tpls map[string]renderable, log *queryLog) (rendered map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	initFunMap(t)
	keys := sortTemplates(tpls)
	for _, name := range keys {
		if _, err := t.New(name).Parse(tpls[name].tpl); err != nil {
			return nil, cleanupParseError(name, err)
		}
	}
	rendered = map[string]string{}
	for _, name := range keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := tpls[name].vals
		vals["Template"] = Values{"Name": name, "BasePath": tpls[name].basePath}
		log.current = name
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, cleanupExecError(name, err)
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

func cleanupParseError(name string, err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error in (%s): %s", name, err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

func cleanupExecError(name string, err error) error {
	if _, ok := err.(template.ExecError); !ok {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", name, err)
	}
	if parts := warnRegex.FindStringSubmatch(tokens[2]); len(parts) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", tokens[1], parts[1])
	}
	return err
}
