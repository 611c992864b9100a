package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func osv(id, module, fixed string) string {
	return `{"schema_version":"1.3.1","id":"` + id + `","modified":"2026-01-02T00:00:00Z","aliases":["CVE-X"],
	  "affected":[{"package":{"name":"` + module + `","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"` + fixed + `"}]}]}]}`
}

func findingLine(id, module, function string) string {
	return `{"finding":{"osv":"` + id + `","fixed_version":"v9","trace":[{"module":"` + module + `","version":"v1","function":"` + function + `"}]}}` + "\n"
}

func TestBuildKeepsTheBuildsModulesAndCheckAcceptsOnlyWhatIsListed(t *testing.T) {
	dir := t.TempDir()
	src, db := filepath.Join(dir, "osv"), filepath.Join(dir, "db")
	write(t, filepath.Join(src, "GO-1.json"), osv("GO-1", "stdlib", "1.26.9"))
	write(t, filepath.Join(src, "GO-2.json"), osv("GO-2", "example.com/used", "1.2.0"))
	write(t, filepath.Join(src, "GO-3.json"), osv("GO-3", "example.com/unused", "2.0.0"))
	mods := filepath.Join(dir, "modules")
	write(t, mods, "example.com/me\nexample.com/used\n")
	var out bytes.Buffer
	if err := run([]string{"build", "-from", src, "-out", db, "-modules", mods}, nil, &out); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"GO-1", "GO-2"} {
		if _, err := os.Stat(filepath.Join(db, "ID", id+".json")); err != nil {
			t.Errorf("%s missing: %v", id, err)
		}
	}
	if _, err := os.Stat(filepath.Join(db, "ID", "GO-3.json")); err == nil {
		t.Error("an entry for a module outside the build was kept")
	}
	var index []moduleIndex
	b, _ := os.ReadFile(filepath.Join(db, "index", "modules.json"))
	if err := json.Unmarshal(b, &index); err != nil || len(index) != 2 || index[0].Path != "example.com/used" || index[0].Vulns[0].Fixed != "1.2.0" {
		t.Fatalf("modules index %s (%v)", b, err)
	}

	accepted := filepath.Join(dir, "accepted.txt")
	write(t, accepted, "# comment\nGO-2 we never call it with untrusted input\n")
	stream := findingLine("GO-2", "example.com/used", "Parse") + findingLine("GO-1", "stdlib", "") // GO-1 imported, not called
	if err := run([]string{"check", "-db", db, "-modules", mods, "-accepted", accepted}, strings.NewReader(stream), &out); err != nil {
		t.Fatalf("accepted finding refused: %v", err)
	}
	stream += findingLine("GO-1", "stdlib", "Get")
	err := run([]string{"check", "-db", db, "-modules", mods, "-accepted", accepted}, strings.NewReader(stream), &out)
	if err == nil || !strings.Contains(err.Error(), "GO-1") {
		t.Fatalf("a called finding that is not accepted: %v", err)
	}
	write(t, accepted, "GO-2\n")
	if err := run([]string{"check", "-db", db, "-modules", mods, "-accepted", accepted}, strings.NewReader(""), &out); err == nil {
		t.Fatal("an acceptance without a reason passed")
	}
	write(t, mods, "example.com/me\nexample.com/used\nexample.com/new\n")
	err = run([]string{"check", "-db", db, "-modules", mods, "-accepted", accepted}, strings.NewReader(""), &out)
	if err == nil || !strings.Contains(err.Error(), "example.com/new") || !strings.Contains(err.Error(), "make vulndb") {
		t.Fatalf("a stale database passed: %v", err)
	}
}
