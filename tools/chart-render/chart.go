package main

// Chart loading as helm/helm@v3.19.4:pkg/chart/loader (directory.go, load.go, archive.go) and pkg/ignore do it:
// .helmignore rules plus the default `templates/.?*`, Chart.yaml / values.yaml / templates/ / charts/ split,
// unpacked subchart folders and .tgz archives under charts/ (names starting with `_` or `.` are skipped).

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Maintainer mirrors chart.Maintainer.
type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Dependency mirrors chart.Dependency (a Chart.yaml `dependencies:` entry).
type Dependency struct {
	Name         string        `json:"name"`
	Version      string        `json:"version,omitempty"`
	Repository   string        `json:"repository"`
	Condition    string        `json:"condition,omitempty"`
	Tags         []string      `json:"tags,omitempty"`
	Enabled      bool          `json:"enabled,omitempty"`
	ImportValues []interface{} `json:"import-values,omitempty"`
	Alias        string        `json:"alias,omitempty"`
}

// Metadata mirrors chart.Metadata; templates read it as .Chart (field names as in Helm).
type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []*Dependency     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// File is one file of a chart, named relative to the chart root.
type File struct {
	Name string
	Data []byte
}

// Chart is a loaded chart with its subcharts.
type Chart struct {
	Metadata     *Metadata
	Values       map[string]interface{}
	Templates    []*File
	Files        []*File
	parent       *Chart
	dependencies []*Chart
}

func (c *Chart) Name() string {
	if c.Metadata == nil {
		return ""
	}
	return c.Metadata.Name
}

func (c *Chart) IsRoot() bool { return c.parent == nil }

func (c *Chart) Dependencies() []*Chart { return c.dependencies }

func (c *Chart) SetDependencies(charts ...*Chart) {
	c.dependencies = nil
	c.AddDependency(charts...)
}

func (c *Chart) AddDependency(charts ...*Chart) {
	for _, x := range charts {
		x.parent = c
		c.dependencies = append(c.dependencies, x)
	}
}

func (c *Chart) ChartFullPath() string {
	if !c.IsRoot() {
		return c.parent.ChartFullPath() + "/charts/" + c.Name()
	}
	return c.Name()
}

// CRDFiles are the crds/ manifests of this chart and its (enabled) subcharts, as Chart.CRDObjects lists them.
type CRDFile struct {
	Filename string
	Data     []byte
}

func (c *Chart) CRDFiles() []CRDFile {
	var out []CRDFile
	for _, f := range c.Files {
		if strings.HasPrefix(f.Name, "crds/") && hasManifestExtension(f.Name) {
			out = append(out, CRDFile{Filename: path.Join(c.ChartFullPath(), f.Name), Data: f.Data})
		}
	}
	for _, d := range c.dependencies {
		out = append(out, d.CRDFiles()...)
	}
	return out
}

func hasManifestExtension(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml" || ext == ".json"
}

var utf8bom = []byte{0xEF, 0xBB, 0xBF}

// loadDir reads a chart folder, honouring .helmignore.
func loadDir(dir string) (*Chart, error) {
	top, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	rules := &ignoreRules{}
	if data, err := os.ReadFile(filepath.Join(top, ".helmignore")); err == nil {
		if err := rules.parse(data); err != nil {
			return nil, fmt.Errorf("%s/.helmignore: %w", dir, err)
		}
	}
	if err := rules.parseRule(`templates/.?*`); err != nil {
		return nil, err
	}
	var files []*File
	var walk func(abs, rel string) error
	walk = func(abs, rel string) error {
		entries, err := os.ReadDir(abs)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, name := range names {
			p := filepath.Join(abs, name)
			n := name
			if rel != "" {
				n = rel + "/" + name
			}
			// Symbolic links are followed, as Helm's sympath.Walk does.
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			if fi.IsDir() {
				if rules.ignore(n, true) {
					continue
				}
				if err := walk(p, n); err != nil {
					return err
				}
				continue
			}
			if rules.ignore(n, false) {
				continue
			}
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("cannot load irregular file %s", p)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files = append(files, &File{Name: n, Data: bytes.TrimPrefix(data, utf8bom)})
		}
		return nil
	}
	if err := walk(top, ""); err != nil {
		return nil, err
	}
	return loadFiles(files)
}

// loadArchive reads a packaged chart (.tgz): one top folder, no .helmignore (applied when it was packaged).
func loadArchive(data []byte) (*Chart, error) {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	var files []*File
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		parts := strings.SplitN(path.Clean(strings.ReplaceAll(h.Name, "\\", "/")), "/", 2)
		if len(parts) < 2 {
			continue
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files = append(files, &File{Name: parts[1], Data: bytes.TrimPrefix(body, utf8bom)})
	}
	return loadFiles(files)
}

// loadFiles sorts a chart's files into metadata, values, templates, plain files and subcharts (load.go LoadFiles).
func loadFiles(files []*File) (*Chart, error) {
	c := &Chart{}
	sub := map[string][]*File{}
	for _, f := range files {
		if f.Name == "Chart.yaml" {
			c.Metadata = &Metadata{}
			if err := yaml.Unmarshal(f.Data, c.Metadata); err != nil {
				return c, fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
			if c.Metadata.APIVersion == "" {
				c.Metadata.APIVersion = "v1"
			}
		}
	}
	for _, f := range files {
		switch {
		case f.Name == "Chart.yaml", f.Name == "Chart.lock", f.Name == "values.schema.json":
		case f.Name == "values.yaml":
			c.Values = map[string]interface{}{}
			if err := yaml.Unmarshal(f.Data, &c.Values); err != nil {
				return c, fmt.Errorf("cannot load values.yaml: %w", err)
			}
			if c.Values == nil {
				c.Values = map[string]interface{}{}
			}
		case f.Name == "requirements.yaml":
			if c.Metadata == nil {
				c.Metadata = &Metadata{}
			}
			if err := yaml.Unmarshal(f.Data, c.Metadata); err != nil {
				return c, fmt.Errorf("cannot load requirements.yaml: %w", err)
			}
			if c.Metadata.APIVersion == "v1" {
				c.Files = append(c.Files, f)
			}
		case f.Name == "requirements.lock":
			if c.Metadata != nil && c.Metadata.APIVersion == "v1" {
				c.Files = append(c.Files, f)
			}
		case strings.HasPrefix(f.Name, "templates/"):
			c.Templates = append(c.Templates, f)
		case strings.HasPrefix(f.Name, "charts/"):
			if filepath.Ext(f.Name) == ".prov" {
				c.Files = append(c.Files, f)
				continue
			}
			rest := strings.TrimPrefix(f.Name, "charts/")
			name := strings.SplitN(rest, "/", 2)[0]
			sub[name] = append(sub[name], &File{Name: rest, Data: f.Data})
		default:
			c.Files = append(c.Files, f)
		}
	}
	if c.Metadata == nil {
		return c, errors.New("Chart.yaml file is missing")
	}
	if c.Metadata.Name == "" {
		return c, errors.New("chart.metadata.name is required")
	}
	names := make([]string, 0, len(sub))
	for n := range sub {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var sc *Chart
		var err error
		switch {
		case strings.IndexAny(n, "_.") == 0:
			continue
		case filepath.Ext(n) == ".tgz":
			sc, err = loadArchive(sub[n][0].Data)
		default:
			var buf []*File
			for _, f := range sub[n] {
				parts := strings.SplitN(f.Name, "/", 2)
				if len(parts) < 2 {
					continue
				}
				buf = append(buf, &File{Name: parts[1], Data: f.Data})
			}
			sc, err = loadFiles(buf)
		}
		if err != nil {
			return c, fmt.Errorf("error unpacking subchart %s in %s: %w", n, c.Name(), err)
		}
		c.AddDependency(sc)
	}
	return c, nil
}

// ignoreRules follows pkg/ignore/rules.go: glob per line, `!` negates, trailing `/` matches folders only,
// a leading `/` or an inner `/` matches the whole relative path, otherwise the base name.
type ignorePattern struct {
	rule    string
	negate  bool
	mustDir bool
	match   func(name string) bool
}

type ignoreRules struct{ patterns []*ignorePattern }

func (r *ignoreRules) parse(data []byte) error {
	s := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, utf8bom)))
	for s.Scan() {
		if err := r.parseRule(s.Text()); err != nil {
			return err
		}
	}
	return s.Err()
}

func (r *ignoreRules) parseRule(rule string) error {
	rule = strings.TrimSpace(rule)
	if rule == "" || strings.HasPrefix(rule, "#") {
		return nil
	}
	if strings.Contains(rule, "**") {
		return errors.New("double-star (**) syntax is not supported")
	}
	if _, err := filepath.Match(rule, "abc"); err != nil {
		return err
	}
	p := &ignorePattern{rule: rule}
	if strings.HasPrefix(rule, "!") {
		p.negate = true
		rule = rule[1:]
	}
	if strings.HasSuffix(rule, "/") {
		p.mustDir = true
		rule = strings.TrimSuffix(rule, "/")
	}
	switch {
	case strings.HasPrefix(rule, "/"):
		g := strings.TrimPrefix(rule, "/")
		p.match = func(n string) bool { ok, _ := filepath.Match(g, n); return ok }
	case strings.Contains(rule, "/"):
		p.match = func(n string) bool { ok, _ := filepath.Match(rule, n); return ok }
	default:
		p.match = func(n string) bool { ok, _ := filepath.Match(rule, filepath.Base(n)); return ok }
	}
	r.patterns = append(r.patterns, p)
	return nil
}

func (r *ignoreRules) ignore(name string, isDir bool) bool {
	if name == "" || name == "." || name == "./" {
		return false
	}
	for _, p := range r.patterns {
		if p.negate {
			if p.mustDir && !isDir {
				return true
			}
			if !p.match(name) {
				return true
			}
			continue
		}
		if p.mustDir && !isDir {
			continue
		}
		if p.match(name) {
			return true
		}
	}
	return false
}
