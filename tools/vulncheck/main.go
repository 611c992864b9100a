// Command vulncheck keeps the project's known-vulnerability check working offline.
//
//	vulncheck build -from OSV_DIR -modules FILE -out DIR
//	    writes a Go vulnerability database (the v1 layout govulncheck reads from file://) holding
//	    the entries of OSV_DIR (golang.org/x/vulndb's data/osv, fetched as a Go module) that
//	    touch the standard library, the toolchain or a module listed in FILE (go list -m all).
//	vulncheck check -db DIR -modules FILE -accepted FILE < govulncheck.json
//	    reads govulncheck -format json and fails on any vulnerability the code calls that is not
//	    accepted (with its reason) in the accepted file, and when the pinned database was built
//	    for fewer modules than the build now uses.
//
// make vulndb runs build; make lint runs govulncheck and check. docs/SECURITY.md tells why each
// accepted finding stays.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vulncheck:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: vulncheck build|check [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	from := fs.String("from", "", "build: the folder of OSV JSON files (golang.org/x/vulndb's data/osv)")
	out := fs.String("out", "", "build: the folder to write the database to (emptied first)")
	db := fs.String("db", "", "check: the pinned database folder")
	modules := fs.String("modules", "", "a file listing the build's modules, one path a line (go list -m all)")
	accepted := fs.String("accepted", "", "check: the file of accepted findings, one ID and its reason a line")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	mods, err := readLines(*modules)
	if err != nil {
		return err
	}
	switch args[0] {
	case "build":
		return build(*from, *out, mods, stdout)
	case "check":
		return check(*db, *accepted, mods, stdin, stdout)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// readLines returns the non-empty lines of a file, without # comments.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

// osvEntry is the part of an OSV record the index needs.
type osvEntry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Events []struct {
				Fixed string `json:"fixed,omitempty"`
			} `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleIndex struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnIndex struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

// build writes the filtered database: ID/<id>.json, index/{db,modules,vulns}.json, and MODULES,
// the module paths it was built for.
func build(from, out string, mods []string, stdout io.Writer) error {
	if from == "" || out == "" {
		return errors.New("build needs -from and -out")
	}
	keep := map[string]bool{"stdlib": true, "toolchain": true}
	for _, m := range mods {
		keep[m] = true
	}
	files, err := filepath.Glob(filepath.Join(from, "*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no OSV files in %s (%v)", from, err)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for _, d := range []string{"ID", "index"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	byModule := map[string][]moduleVuln{}
	var vulns []vulnIndex
	var latest time.Time
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e osvEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if !touches(e, keep) {
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), compact.Bytes(), 0o644); err != nil {
			return err
		}
		for _, a := range e.Affected {
			if !keep[a.Package.Name] {
				continue // a module outside the build: its index entry would be partial
			}
			mv := moduleVuln{ID: e.ID, Modified: e.Modified}
			for _, r := range a.Ranges {
				for _, ev := range r.Events {
					if ev.Fixed != "" {
						mv.Fixed = ev.Fixed
					}
				}
			}
			byModule[a.Package.Name] = append(byModule[a.Package.Name], mv)
		}
		vulns = append(vulns, vulnIndex{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		if e.Modified.After(latest) {
			latest = e.Modified
		}
	}
	return writeIndex(out, byModule, vulns, latest, mods, stdout)
}

// touches tells whether an OSV entry affects one of the kept modules.
func touches(e osvEntry, keep map[string]bool) bool {
	for _, a := range e.Affected {
		if keep[a.Package.Name] {
			return true
		}
	}
	return false
}

func writeIndex(out string, byModule map[string][]moduleVuln, vulns []vulnIndex, latest time.Time, mods []string, stdout io.Writer) error {
	modules := make([]moduleIndex, 0, len(byModule))
	for path, vs := range byModule {
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
		modules = append(modules, moduleIndex{Path: path, Vulns: vs})
	}
	sort.Slice(modules, func(i, j int) bool { return modules[i].Path < modules[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	for name, v := range map[string]any{"db.json": map[string]time.Time{"modified": latest}, "modules.json": modules, "vulns.json": vulns} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	sorted := append([]string(nil), mods...)
	sort.Strings(sorted)
	list := "# The module paths this database was built for (go list -m all); make vulndb rewrites it.\n" + strings.Join(sorted, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(out, "MODULES"), []byte(list), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d vulnerabilities touching %d modules to %s\n", len(vulns), len(modules), out)
	return nil
}

// finding is the part of a govulncheck JSON finding the check needs.
type finding struct {
	OSV   string `json:"osv"`
	Fixed string `json:"fixed_version"`
	Trace []struct {
		Module   string `json:"module"`
		Version  string `json:"version"`
		Function string `json:"function"`
	} `json:"trace"`
}

// check fails on called vulnerabilities that are not accepted, and on a stale database.
func check(db, acceptedPath string, mods []string, stdin io.Reader, stdout io.Writer) error {
	covered, err := readLines(filepath.Join(db, "MODULES"))
	if err != nil {
		return fmt.Errorf("the pinned database has no module list: %w (run make vulndb)", err)
	}
	have := map[string]bool{}
	for _, m := range covered {
		have[m] = true
	}
	var missing []string
	for _, m := range mods {
		if !have[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the pinned vulnerability database was built before these modules joined the build: %s; run make vulndb", strings.Join(missing, ", "))
	}
	lines, err := readLines(acceptedPath)
	if err != nil {
		return err
	}
	accepted := map[string]bool{}
	for _, l := range lines {
		id, reason, _ := strings.Cut(l, " ")
		if strings.TrimSpace(reason) == "" {
			return fmt.Errorf("%s: %s is accepted without a reason", acceptedPath, id)
		}
		accepted[id] = true
	}
	called, err := calledFindings(stdin)
	if err != nil {
		return err
	}
	var bad, ok []string
	for id, where := range called {
		if accepted[id] {
			ok = append(ok, id)
			delete(accepted, id)
		} else {
			bad = append(bad, id+" ("+where+")")
		}
	}
	sort.Strings(bad)
	sort.Strings(ok)
	fmt.Fprintf(stdout, "govulncheck: %d vulnerabilities called, %d of them accepted in %s: %s\n", len(called), len(ok), acceptedPath, strings.Join(ok, " "))
	for id := range accepted {
		fmt.Fprintf(stdout, "govulncheck: %s is accepted but no longer found; remove it from %s\n", id, acceptedPath)
	}
	if len(bad) > 0 {
		return fmt.Errorf("called and not accepted: %s; upgrade (the fixed version is in the govulncheck output) or explain in docs/SECURITY.md and %s", strings.Join(bad, ", "), acceptedPath)
	}
	return nil
}

// calledFindings reads govulncheck's JSON stream and returns the vulnerabilities whose code the
// build calls, each with the module version it was found in.
func calledFindings(r io.Reader) (map[string]string, error) {
	dec := json.NewDecoder(r)
	called := map[string]string{}
	for {
		var msg struct {
			Finding *finding `json:"finding"`
		}
		err := dec.Decode(&msg)
		if err == io.EOF {
			return called, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading govulncheck output: %w", err)
		}
		f := msg.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // imported or required, but not called
		}
		called[f.OSV] = f.Trace[0].Module + "@" + f.Trace[0].Version + ", fixed in " + f.Fixed
	}
}
