package main

// Values as Helm v3.19.4 computes them for `helm template`:
// - user files merged in order (pkg/cli/values/options.go mergeMaps: maps merge, anything else replaces);
// - dependencies enabled by tags and conditions, aliases applied, import-values pulled up
//   (pkg/chartutil/dependencies.go ProcessDependenciesWithMerge);
// - chart defaults coalesced under the user values, `global` copied down into every subchart, and a user
//   `null` deleting the chart default (pkg/chartutil/coalesce.go CoalesceValues).

import (
	"fmt"
	"os"
	"strings"

	"github.com/Masterminds/semver/v3"
	"sigs.k8s.io/yaml"
)

const globalKey = "global"

// Values mirrors chartutil.Values so that templates calling its methods keep working.
type Values map[string]interface{}

func (v Values) YAML() (string, error) {
	b, err := yaml.Marshal(v)
	return string(b), err
}

func (v Values) AsMap() map[string]interface{} {
	if len(v) == 0 {
		return map[string]interface{}{}
	}
	return v
}

func (v Values) Table(name string) (Values, error) {
	table := v
	for _, n := range strings.Split(name, ".") {
		next, ok := table[n]
		if !ok {
			return table, fmt.Errorf("no table named %q", n)
		}
		switch t := next.(type) {
		case map[string]interface{}:
			table = t
		case Values:
			table = t
		default:
			return Values{}, fmt.Errorf("no table named %q", n)
		}
	}
	return table, nil
}

type errNoValue struct{ key string }

func (e errNoValue) Error() string { return fmt.Sprintf("%q is not a value", e.key) }

func (v Values) PathValue(p string) (interface{}, error) {
	if p == "" {
		return nil, fmt.Errorf("YAML path cannot be empty")
	}
	parts := strings.Split(p, ".")
	if len(parts) == 1 {
		if x, ok := v[parts[0]]; ok && !isTable(x) {
			return x, nil
		}
		return nil, errNoValue{parts[0]}
	}
	key := parts[len(parts)-1]
	t, err := v.Table(strings.Join(parts[:len(parts)-1], "."))
	if err != nil {
		return nil, errNoValue{key}
	}
	if x, ok := t[key]; ok && !isTable(x) {
		return x, nil
	}
	return nil, errNoValue{key}
}

func isTable(v interface{}) bool {
	_, ok := v.(map[string]interface{})
	return ok
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case Values:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	default:
		return v
	}
}

func copyMap(v map[string]interface{}) map[string]interface{} {
	if v == nil {
		return map[string]interface{}{}
	}
	return deepCopy(v).(map[string]interface{})
}

// readValuesFile parses one --values file the way Helm does (sigs.k8s.io/yaml: numbers become float64).
func readValuesFile(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if out == nil {
		out = map[string]interface{}{}
	}
	return out, nil
}

// mergeMaps is the --values merge: later files win; maps merge key by key; nulls are kept (coalescing deletes).
func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]interface{}); ok {
			if bv, ok := out[k]; ok {
				if bm, ok := bv.(map[string]interface{}); ok {
					out[k] = mergeMaps(bm, vm)
					continue
				}
			}
		}
		out[k] = v
	}
	return out
}

func concatPrefix(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func coalesceValues(c *Chart, vals map[string]interface{}) map[string]interface{} {
	return coalesce(c, copyMap(vals), "", false)
}

func mergeValues(c *Chart, vals map[string]interface{}) map[string]interface{} {
	return coalesce(c, copyMap(vals), "", true)
}

func coalesce(c *Chart, dest map[string]interface{}, prefix string, merge bool) map[string]interface{} {
	coalesceChartValues(c, dest, prefix, merge)
	return coalesceDeps(c, dest, prefix, merge)
}

func coalesceDeps(c *Chart, dest map[string]interface{}, prefix string, merge bool) map[string]interface{} {
	for _, sub := range c.Dependencies() {
		if v, ok := dest[sub.Name()]; !ok {
			dest[sub.Name()] = map[string]interface{}{}
		} else if !isTable(v) {
			warnf("type mismatch on %s: %v", sub.Name(), v)
			continue
		}
		dv := dest[sub.Name()].(map[string]interface{})
		subPrefix := concatPrefix(prefix, c.Metadata.Name)
		coalesceGlobals(dv, dest, subPrefix)
		dest[sub.Name()] = coalesce(sub, dv, subPrefix, merge)
	}
	return dest
}

func coalesceGlobals(dest, src map[string]interface{}, prefix string) {
	var dg, sg map[string]interface{}
	if d, ok := dest[globalKey]; !ok {
		dg = map[string]interface{}{}
	} else if dg, ok = d.(map[string]interface{}); !ok {
		warnf("skipping globals because destination %s is not a table", globalKey)
		return
	}
	if s, ok := src[globalKey]; !ok {
		sg = map[string]interface{}{}
	} else if sg, ok = s.(map[string]interface{}); !ok {
		warnf("skipping globals because source %s is not a table", globalKey)
		return
	}
	for key, val := range sg {
		if vm, ok := val.(map[string]interface{}); ok {
			vv := make(map[string]interface{}, len(vm))
			for k, x := range vm {
				vv[k] = x
			}
			if destv, ok := dg[key]; !ok {
				dg[key] = vv
			} else if destm, ok := destv.(map[string]interface{}); !ok {
				warnf("conflict: cannot merge map onto non-map for %q", key)
			} else {
				coalesceTables(vv, destm, concatPrefix(prefix, key), true)
				dg[key] = vv
			}
		} else if dv, ok := dg[key]; ok && isTable(dv) {
			warnf("key %s is table; skipping", key)
		} else {
			dg[key] = val
		}
	}
	dest[globalKey] = dg
}

func coalesceChartValues(c *Chart, v map[string]interface{}, prefix string, merge bool) {
	subPrefix := concatPrefix(prefix, c.Metadata.Name)
	for key, val := range copyMap(c.Values) {
		if value, ok := v[key]; ok {
			if value == nil && !merge {
				delete(v, key)
			} else if dest, ok := value.(map[string]interface{}); ok {
				src, ok := val.(map[string]interface{})
				if !ok {
					if val != nil {
						warnf("skipped value for %s.%s: not a table", subPrefix, key)
					}
				} else {
					m := merge
					for _, sub := range c.Dependencies() {
						if sub.Name() == key {
							m = true
						}
					}
					coalesceTables(dest, src, concatPrefix(subPrefix, key), m)
				}
			}
		} else {
			v[key] = val
		}
	}
}

// coalesceTables merges src under dst (dst wins); without merge a nil in dst deletes the key.
func coalesceTables(dst, src map[string]interface{}, prefix string, merge bool) map[string]interface{} {
	if src == nil {
		return dst
	}
	if dst == nil {
		return src
	}
	for key, val := range src {
		full := concatPrefix(prefix, key)
		if dv, ok := dst[key]; ok && !merge && dv == nil {
			delete(dst, key)
		} else if !ok {
			dst[key] = val
		} else if isTable(val) {
			if isTable(dv) {
				coalesceTables(dv.(map[string]interface{}), val.(map[string]interface{}), full, merge)
			} else {
				warnf("cannot overwrite table with non table for %s (%v)", full, val)
			}
		} else if isTable(dv) && val != nil {
			warnf("destination for %s is a table; ignoring non-table value (%v)", full, val)
		}
	}
	return dst
}

// isCompatibleRange is chartutil.IsCompatibleRange (Masterminds semver constraint check).
func isCompatibleRange(constraint, ver string) bool {
	sv, err := semver.NewVersion(ver)
	if err != nil {
		return false
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return false
	}
	return c.Check(sv)
}

// DependencyReport says what became of each Chart.yaml dependency.
type DependencyReport struct {
	Chart      string `json:"chart"`
	Name       string `json:"name"`
	Alias      string `json:"alias,omitempty"`
	Version    string `json:"version,omitempty"`
	Repository string `json:"repository,omitempty"`
	Condition  string `json:"condition,omitempty"`
	Enabled    bool   `json:"enabled"`
	Present    bool   `json:"present"`
}

func processDependencies(c *Chart, vals map[string]interface{}, report *[]DependencyReport) error {
	if err := processDependencyEnabled(c, vals, "", report); err != nil {
		return err
	}
	processDependencyImportValues(c)
	return nil
}

func aliasDependency(charts []*Chart, dep *Dependency) *Chart {
	for _, c := range charts {
		if c == nil || c.Name() != dep.Name {
			continue
		}
		if !isCompatibleRange(dep.Version, c.Metadata.Version) {
			continue
		}
		out := *c
		md := *c.Metadata
		out.Metadata = &md
		if dep.Alias != "" {
			md.Name = dep.Alias
		}
		return &out
	}
	return nil
}

func processDependencyEnabled(c *Chart, v map[string]interface{}, p string, report *[]DependencyReport) error {
	if c.Metadata.Dependencies == nil {
		return nil
	}
	var deps []*Chart
outer:
	for _, existing := range c.Dependencies() {
		for _, req := range c.Metadata.Dependencies {
			if existing.Name() == req.Name && isCompatibleRange(req.Version, existing.Metadata.Version) {
				continue outer
			}
		}
		deps = append(deps, existing)
	}
	present := map[*Dependency]bool{}
	originalName := map[*Dependency]string{}
	for _, req := range c.Metadata.Dependencies {
		if req == nil {
			continue
		}
		originalName[req] = req.Name
		if d := aliasDependency(c.Dependencies(), req); d != nil {
			deps = append(deps, d)
			present[req] = true
		}
		if req.Alias != "" {
			req.Name = req.Alias
		}
	}
	c.SetDependencies(deps...)
	for _, r := range c.Metadata.Dependencies {
		r.Enabled = true
	}
	cvals := Values(coalesceValues(c, v))
	processDependencyTags(c.Metadata.Dependencies, cvals)
	processDependencyConditions(c.Metadata.Dependencies, cvals, p)

	rm := map[string]bool{}
	var missing []string
	for _, r := range c.Metadata.Dependencies {
		if r == nil {
			continue
		}
		*report = append(*report, DependencyReport{
			Chart: c.ChartFullPath(), Name: originalName[r], Alias: r.Alias, Version: r.Version, Repository: r.Repository,
			Condition: r.Condition, Enabled: r.Enabled, Present: present[r],
		})
		if !r.Enabled {
			rm[r.Name] = true
		} else if !present[r] {
			missing = append(missing, fmt.Sprintf("%s %s (%s)", originalName[r], r.Version, r.Repository))
		}
	}
	// Helm itself refuses any missing dependency (`helm dependency build` first); a disabled one cannot change
	// the output, so only the enabled ones are required here.
	if len(missing) > 0 {
		return fmt.Errorf("chart %s: enabled dependencies missing under charts/: %s", c.ChartFullPath(), strings.Join(missing, ", "))
	}
	var kept []*Chart
	for _, d := range c.Dependencies() {
		if !rm[d.Metadata.Name] {
			kept = append(kept, d)
		}
	}
	var keptMeta []*Dependency
	for _, d := range c.Metadata.Dependencies {
		if d != nil && !rm[d.Name] {
			keptMeta = append(keptMeta, d)
		}
	}
	for _, t := range kept {
		if err := processDependencyEnabled(t, cvals, p+t.Metadata.Name+".", report); err != nil {
			return err
		}
	}
	c.Metadata.Dependencies = keptMeta
	c.SetDependencies(kept...)
	return nil
}

func processDependencyTags(reqs []*Dependency, cvals Values) {
	vt, err := cvals.Table("tags")
	if err != nil {
		return
	}
	for _, r := range reqs {
		if r == nil {
			continue
		}
		var hasTrue, hasFalse bool
		for _, k := range r.Tags {
			if b, ok := vt[k]; ok {
				if bv, ok := b.(bool); ok {
					if bv {
						hasTrue = true
					} else {
						hasFalse = true
					}
				} else {
					warnf("tag %q for chart %s returned a non-bool value", k, r.Name)
				}
			}
		}
		if !hasTrue && hasFalse {
			r.Enabled = false
		} else if hasTrue || !hasTrue && !hasFalse {
			r.Enabled = true
		}
	}
}

func processDependencyConditions(reqs []*Dependency, cvals Values, p string) {
	for _, r := range reqs {
		if r == nil {
			continue
		}
		for _, cond := range strings.Split(strings.TrimSpace(r.Condition), ",") {
			if len(cond) == 0 {
				continue
			}
			vv, err := cvals.PathValue(p + cond)
			if err == nil {
				if bv, ok := vv.(bool); ok {
					r.Enabled = bv
					break
				}
				warnf("condition path %q for chart %s returned a non-bool value", cond, r.Name)
			} else if _, ok := err.(errNoValue); !ok {
				warnf("PathValue returned error %v", err)
			}
		}
	}
}

func pathToMap(p string, data map[string]interface{}) map[string]interface{} {
	if p == "." {
		return data
	}
	parts := strings.Split(p, ".")
	cur := data
	for i := len(parts) - 1; i >= 0; i-- {
		cur = map[string]interface{}{parts[i]: cur}
	}
	return cur
}

func processDependencyImportValues(c *Chart) {
	for _, d := range c.Dependencies() {
		processDependencyImportValues(d)
	}
	processImportValues(c)
}

// processImportValues is the merge (nil-keeping) variant used by `helm install/template`.
func processImportValues(c *Chart) {
	if c.Metadata.Dependencies == nil {
		return
	}
	cvals := Values(mergeValues(c, nil))
	b := map[string]interface{}{}
	for _, r := range c.Metadata.Dependencies {
		var out []interface{}
		for _, riv := range r.ImportValues {
			switch iv := riv.(type) {
			case map[string]interface{}:
				child := fmt.Sprintf("%v", iv["child"])
				parent := fmt.Sprintf("%v", iv["parent"])
				out = append(out, map[string]interface{}{"child": child, "parent": parent})
				vv, err := cvals.Table(r.Name + "." + child)
				if err != nil {
					warnf("import-values: missing table from chart %s: %v", r.Name, err)
					continue
				}
				b = coalesceTables(b, pathToMap(parent, vv.AsMap()), "", true)
			case string:
				child := "exports." + iv
				out = append(out, map[string]interface{}{"child": child, "parent": "."})
				vm, err := cvals.Table(r.Name + "." + child)
				if err != nil {
					warnf("import-values: missing table: %v", err)
					continue
				}
				b = coalesceTables(b, vm.AsMap(), "", true)
			}
		}
		r.ImportValues = out
	}
	c.Values = coalesceTables(copyMap(cvals), b, "", true)
}
