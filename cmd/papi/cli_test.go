package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"init"}, {"units", "import"}, {"user", "add"}, {"seed"}, {"healthcheck"}, {"backup"}} {
		for _, flag := range []string{"--help", "-h"} {
			dir := t.TempDir()
			e, out := testEnv(dir, "", nil)
			if err := run(context.Background(), append(cmd, flag), e); err != nil {
				t.Fatalf("%v %s: %v", cmd, flag, err)
			}
			if !strings.Contains(out.String(), "usage: papi "+strings.Join(cmd, " ")) || !strings.Contains(out.String(), "flags:") {
				t.Errorf("%v %s printed %q", cmd, flag, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "papi.db")); err == nil {
				t.Errorf("%v %s opened the database", cmd, flag)
			}
		}
	}
	e, _ := testEnv(t.TempDir(), "", nil)
	err := run(context.Background(), []string{"seed", "--nope"}, e)
	if err == nil || !strings.Contains(err.Error(), "papi seed --help") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a bad flag: %v", err)
	}
}

func TestSeedHelpStatesItsDefaults(t *testing.T) {
	e, out := testEnv(t.TempDir(), "", nil)
	if err := run(context.Background(), []string{"seed", "--help"}, e); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(default 100)", "(default 5)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("seed --help lacks %q: %s", want, out)
		}
	}
	if !strings.Contains(usage, "defaults: 100 communes, 5 years") {
		t.Error("the usage text does not state the synthetic defaults the flags have")
	}
}

func TestUnreachableDatabaseIsOneLineNamingTheVariable(t *testing.T) {
	for _, url := range []string{
		"postgres://papi:s3cret-pw@127.0.0.1:1/papi?sslmode=disable", // nothing listens on port 1
		"postgres://papi:s3cret-pw@nohost.invalid:5432/papi?sslmode=disable",
	} {
		e, _ := testEnv(t.TempDir(), "", map[string]string{"PAPI_DATABASE_URL": url})
		err := run(context.Background(), []string{"migrate"}, e)
		if err == nil {
			t.Fatalf("%s: no error", url)
		}
		msg := err.Error()
		host := strings.Split(strings.Split(url, "@")[1], "/")[0]
		if !strings.HasPrefix(msg, "PAPI_DATABASE_URL: ") || !strings.Contains(msg, host) || strings.Contains(msg, "s3cret-pw") || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q", url, msg)
		}
	}
}

func TestOneShotCommandsDoNotAnnounceTheDatabase(t *testing.T) {
	dir := t.TempDir()
	e, _ := testEnv(dir, "", map[string]string{"PAPI_LOG_LEVEL": "info"})
	if err := run(context.Background(), []string{"migrate"}, e); err != nil {
		t.Fatal(err)
	}
	if log := e.stderr.(*bytes.Buffer).String(); strings.Contains(log, "database ready") {
		t.Fatalf("migrate logged %q", log)
	}
}

func TestUnitsImportListsEveryBadRowAndLoadsNothing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e, _ := testEnv(dir, "mat-khau-that-dai\n", nil)
	if err := run(ctx, []string{"init", "--province-code", "82", "--province-name", "Đồng Tháp", "--username", "admin", "--password-stdin"}, e); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "units.csv")
	// A spreadsheet export: byte-order mark, semicolons, columns in another order.
	csv := "\ufeffname;level;parent_code;code;kind\n" +
		"Tân Thới;commune;82;28570\n" + // line 2: good
		"Tân Phú;commune;82;2857\n" + // 3: code too short
		"Ấp Một;hamlet;99999;\n" + // 4: unknown parent
		";hamlet;28570;\n" + // 5: no name
		"Phú Đông;commune;82;28570\n" + // 6: code used on line 2
		"Ấp Hai;hamlet;82;\n" + // 7: a hamlet under a province
		"Đồng Tháp;province;;83\n" + // 8: provinces come from init; no parent
		"Ấp Ba;thôn;28570;\n" + // 9: unknown level
		"\n" +
		"Phú Mỹ;commune;82;28571;ấp\n" + // 11: a hamlet's kind for a commune
		"\n" +
		"Ấp Tân Hòa;hamlet;28570;;thôn\n" // 13: good
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	e, out := testEnv(dir, "", nil)
	err := run(ctx, []string{"units", "import", file}, e)
	if err == nil || !strings.Contains(err.Error(), "nothing was loaded") {
		t.Fatalf("err %v, out %q", err, out)
	}
	report := e.stderr.(*bytes.Buffer).String()
	for _, want := range []string{"line 3: code \"2857\"", "line 4: parent_code 99999", "line 5: name: empty",
		"line 6: code 28570 is already used on line 2", "line 7: parent_code 82: a hamlet cannot sit under a province",
		"line 8: level: provinces", "line 8: parent_code: empty", "line 9: level", "line 11: kind: a commune is one of xa (xã), phuong (phường)"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	for _, good := range []string{"line 2:", "line 13:"} {
		if strings.Contains(report, good) {
			t.Errorf("report blames a good row (%s):\n%s", good, report)
		}
	}
	fixed := "\ufeffname;level;parent_code;code;kind\nTân Thới;commune;82;28570;phường\nẤp Tân Hòa;hamlet;28570;;\n"
	if err := os.WriteFile(file, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"created 0 districts, 1 communes, 1 hamlets; 0 rows", "created 0 districts, 0 communes, 0 hamlets; 2 rows"} {
		e, out := testEnv(dir, "", nil)
		if err := run(ctx, []string{"units", "import", file}, e); err != nil || !strings.Contains(out.String(), want) {
			t.Fatalf("import %d: %v %q", i+1, err, out)
		}
	}
	store, err := models.Open(ctx, filepath.Join(dir, "papi.db"))
	if err != nil {
		t.Fatal(err)
	}
	if u, err := store.UnitByCodeOrID(ctx, "28570"); err != nil || u.Kind != "phuong" {
		t.Errorf("the commune loaded as %+v, %v; want a phường", u, err)
	}
	store.Close()
	// Only the bad file's rows were refused: the fixed file's were the first to load.
	renamed := "name,level,parent_code,code\nTân Thới Mới,commune,82,28570\n"
	os.WriteFile(file, []byte(renamed), 0o600)
	e, _ = testEnv(dir, "", nil)
	if err := run(ctx, []string{"units", "import", file}, e); err == nil ||
		!strings.Contains(e.stderr.(*bytes.Buffer).String(), "line 2: code 28570 already belongs to the commune \"Tân Thới\"") {
		t.Fatalf("a code taken by another commune: %v %s", err, e.stderr)
	}
}

func TestHealthcheck(t *testing.T) {
	dir := t.TempDir()
	addr := startServe(t, map[string]string{"PAPI_DATA_DIR": dir})
	e, out := testEnv(dir, "", map[string]string{"PAPI_ADDR": addr})
	if err := run(context.Background(), []string{"healthcheck"}, e); err != nil || !strings.Contains(out.String(), "ready") {
		t.Fatalf("healthcheck of a ready server: %v %q", err, out)
	}
	e, _ = testEnv(dir, "", map[string]string{"PAPI_ADDR": "127.0.0.1:1"})
	if err := run(context.Background(), []string{"healthcheck", "--timeout", "2s"}, e); err == nil {
		t.Fatal("healthcheck passed with no server")
	}
	e, _ = testEnv(dir, "", nil)
	if err := run(context.Background(), []string{"healthcheck", "--url", "http://" + addr + "/api/v1/nowhere"}, e); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("healthcheck of a 404: %v", err)
	}
	if got := loopbackAddr(":8080"); got != "127.0.0.1:8080" {
		t.Errorf("loopbackAddr(:8080) = %s", got)
	}
	if got := loopbackAddr("[::]:8080"); got != "[::1]:8080" {
		t.Errorf("loopbackAddr([::]:8080) = %s", got)
	}
}
