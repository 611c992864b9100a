package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models/blobs"
)

func TestBlobsSweepCommand(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"PAPI_DATA_DIR": t.TempDir()}
	var out bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	if err := run(ctx, []string{"migrate"}, e); err != nil {
		t.Fatal(err)
	}
	dir, err := blobs.OpenDir(filepath.Join(vars["PAPI_DATA_DIR"], "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := dir.Put(ctx, strings.NewReader("a scan whose database write never happened"))
	if err != nil {
		t.Fatal(err)
	}
	young, err := dir.Put(ctx, strings.NewReader("an upload still on its way"))
	if err != nil {
		t.Fatal(err)
	}
	twoDays := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir.Root(), old.SHA256[:2], old.SHA256[2:4], old.SHA256), twoDays, twoDays); err != nil {
		t.Fatal(err)
	}
	exists := func(sum string) bool {
		_, err := os.Stat(filepath.Join(dir.Root(), sum[:2], sum[2:4], sum))
		return err == nil
	}
	if err := run(ctx, []string{"blobs", "sweep", "--dry-run"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 orphaned files older than 24h; would remove 1") || !exists(old.SHA256) {
		t.Fatalf("dry run said %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"blobs", "sweep"}, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 files") || !strings.Contains(out.String(), "removed 1") || exists(old.SHA256) || !exists(young.SHA256) {
		t.Fatalf("sweep said %q; the old orphan must go, the young one stay", out.String())
	}
	for _, bad := range [][]string{{"blobs"}, {"blobs", "sweep", "--older-than", "10m"}} {
		if err := run(ctx, bad, e); err == nil {
			t.Errorf("papi %v succeeded", bad)
		}
	}
}

func TestBlobSweepConfig(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 24 * time.Hour, "off": 0, "6h": 6 * time.Hour} {
		c, err := loadConfig(func(k string) string { return map[string]string{"PAPI_BLOB_SWEEP_EVERY": v}[k] })
		if err != nil || c.BlobSweepEvery != want {
			t.Errorf("PAPI_BLOB_SWEEP_EVERY=%q: %v, %v", v, c.BlobSweepEvery, err)
		}
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"PAPI_BLOB_SWEEP_EVERY": "1m"}[k] }); err == nil ||
		!strings.HasPrefix(err.Error(), "PAPI_BLOB_SWEEP_EVERY") {
		t.Errorf("a minute between sweeps: %v", err)
	}
}
