package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
	csv := "\ufeffname;parent_code;code;kind\n" +
		"Tân Thới;82;28570;xã\n" + // line 2: good
		"Tân Phú;82;2857;xã\n" + // 3: code too short
		"Ấp Một;99999;;ấp\n" + // 4: unknown parent
		";28570;;ấp\n" + // 5: no name
		"Phú Đông;82;28570;xã\n" + // 6: code used on line 2
		"Ấp Ba;28570;;làng\n" + // 7: unknown kind
		"Không Mã;82;;xã\n" + // 8: a commune without its code
		"\n" +
		"Ấp Tân Hòa;28570;;Thôn\n" // 10: good
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"units", "import", "--dry-run", file}, {"units", "import", file}} {
		e, out := testEnv(dir, "", nil)
		err := run(ctx, args, e)
		if err == nil || !strings.Contains(err.Error(), "nothing was loaded") {
			t.Fatalf("%v: err %v, out %q", args, err, out)
		}
		report := e.stderr.(*bytes.Buffer).String()
		for _, want := range []string{"line 3: Code 2857: A commune code has exactly 5 digits", "line 4: No parent unit with code 99999", "line 5: The name is missing",
			"line 6: Code 28570 is already on line 2", "line 7: Unknown unit kind: làng",
			"line 8: A commune needs its official 5-digit code"} {
			if !strings.Contains(report, want) {
				t.Errorf("%v: report lacks %q:\n%s", args, want, report)
			}
		}
		for _, good := range []string{"line 2:", "line 10:"} {
			if strings.Contains(report, good) {
				t.Errorf("%v: report blames a good row (%s):\n%s", args, good, report)
			}
		}
	}
	fixed := "\ufeffname;parent_code;code;kind\nTân Thới;82;28570;phường\nẤp Tân Hòa;28570;;\n"
	if err := os.WriteFile(file, []byte(fixed), 0o600); err == nil {
		e, _ := testEnv(dir, "", nil)
		if err := run(ctx, []string{"units", "import", file}, e); err == nil || !strings.Contains(e.stderr.(*bytes.Buffer).String(), "line 3: Unknown unit kind") {
			t.Fatalf("a row without a kind: %v %s", err, e.stderr)
		}
	}
	fixed = strings.Replace(fixed, ";;\n", ";;thôn\n", 1)
	os.WriteFile(file, []byte(fixed), 0o600)
	for i, want := range []string{"would create commune 28570 phường Tân Thới\nwould create hamlet thôn Ấp Tân Hòa\nwould create 2 units",
		"created 2 units, corrected 0; 0 already", "created 0 units, corrected 0; 2 already"} {
		args := []string{"units", "import", file}
		if i == 0 {
			args = []string{"units", "import", "--dry-run", file}
		}
		e, out := testEnv(dir, "", nil)
		if err := run(ctx, args, e); err != nil || !strings.Contains(out.String(), want) {
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
	// A known code with another name is the official list correcting the name.
	renamed := "name,parent_code,code,kind\nTân Thới Mới,82,28570,phuong\n"
	os.WriteFile(file, []byte(renamed), 0o600)
	e, out := testEnv(dir, "", nil)
	if err := run(ctx, []string{"units", "import", file}, e); err != nil || !strings.Contains(out.String(), "corrected commune 28570 phường Tân Thới Mới") {
		t.Fatalf("a corrected name: %v %q", err, out)
	}
	// The workbook itself loads as its CSV export does.
	book := excelize.NewFile()
	for i, row := range [][]any{{"code", "name", "kind", "parent_code"}, {"28573", "Tân Phú Đông", "xã", "82"}, {nil, "Ấp Phú Thạnh", "ấp", "28573"}} {
		if err := book.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "units.xlsx")
	if err := book.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	e, out = testEnv(dir, "", nil)
	if err := run(ctx, []string{"units", "import", xlsx}, e); err != nil || !strings.Contains(out.String(), "created hamlet ấp Ấp Phú Thạnh") {
		t.Fatalf("a workbook: %v %q", err, out)
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
