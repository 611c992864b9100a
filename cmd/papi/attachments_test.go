package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestAttachmentConfig(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"PAPI_ATTACHMENTS_URL":    {"PAPI_ATTACHMENTS_URL": "https://bucket.example/papi"},
		"PAPI_UPLOAD_MAX_FILE":    {"PAPI_UPLOAD_MAX_FILE": "huge"},
		"PAPI_UPLOAD_MAX_REQUEST": {"PAPI_UPLOAD_MAX_FILE": "30MB", "PAPI_UPLOAD_MAX_REQUEST": "10MB"},
	} {
		_, err := loadConfig(func(k string) string { return vars[k] })
		if err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err %v", name, err)
		}
	}
	c, err := loadConfig(func(k string) string {
		return map[string]string{"PAPI_UPLOAD_MAX_FILE": "50MB", "PAPI_ATTACHMENTS_URL": "s3://k:s@127.0.0.1:9000/papi"}[k]
	})
	if err != nil || c.UploadMaxFile != 50_000_000 || c.UploadMaxRequest != 50_000_000 || c.AttachmentsURL == "" {
		t.Fatalf("config %+v, %v", c, err)
	}
	c, _ = loadConfig(func(string) string { return "" })
	if c.UploadMaxFile != 20<<20 || c.UploadMaxRequest != 20<<20 || c.AttachmentsURL != "" {
		t.Fatalf("default attachment config %+v", c)
	}
}

func TestBackupCopiesTheDatabaseAndTheFilesItNeeds(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"PAPI_DATA_DIR": t.TempDir()}
	var out bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(k string) string { return vars[k] }}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		t.Fatal(err)
	}
	// The store stays open while the backup runs, as a serving papi would.
	store, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	store.BcryptCost = 4
	if err := wireAttachments(ctx, cfg, store); err != nil {
		t.Fatal(err)
	}
	w := dbtest.NewWorld(t, store)
	sec := w.Actor(t, store, w.SecretaryA)
	p, err := store.CreatePetition(ctx, sec, models.PetitionInput{CommuneID: w.CommuneA.ID, HamletID: w.HamletA1.ID,
		Channel: "reception", Kind: "phan_anh", TopicCode: "GT", Content: "Đèn đường hỏng ở đầu ấp Tân Hòa."})
	if err != nil {
		t.Fatal(err)
	}
	attach := func(name string, data []byte) *models.Attachment {
		u, err := store.ReceiveUpload(bytes.NewReader(data), name, "file")
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		out, err := store.AttachFiles(ctx, sec, models.AttachmentTarget{PetitionID: p.ID}, []*models.Upload{u})
		if err != nil {
			t.Fatal(err)
		}
		return out[0]
	}
	photo := attach("den.jpg", dbtest.JPEGWithGPS(t, 30, 20))
	doc := attach("don.pdf", dbtest.PDF(2000))
	if _, err := store.RemoveAttachment(ctx, sec, doc.ID, models.AttachmentRemoval{}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.PurgeAttachment(ctx, w.Actor(t, store, w.Admin), doc.ID); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "backup-2026-12-02")
	if err := run(ctx, []string{"backup", "--to", dir}, e); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	if strings.Join(names, ",") != "attachments,papi.db" {
		t.Fatalf("backup directory holds %v", names)
	}
	snap, err := models.Open(ctx, filepath.Join(dir, "papi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	var petitions, attachments int64
	snap.Gorm().Table("petitions").Count(&petitions)
	snap.Gorm().Table("attachments").Count(&attachments)
	if petitions != 1 || attachments != 2 {
		t.Fatalf("backup holds %d petitions and %d attachments, want 1 and 2", petitions, attachments)
	}
	// The photo and its thumbnail, each under its digest; the purged document's file is gone.
	var files []string
	filepath.WalkDir(filepath.Join(dir, "attachments"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.Name() {
				t.Errorf("%s does not hold the bytes its name says", path)
			}
			files = append(files, d.Name())
		}
		return nil
	})
	if len(files) != 2 || !slices.Contains(files, photo.SHA256) || slices.Contains(files, doc.SHA256) {
		t.Fatalf("backed-up files = %v, want the photo %s and its thumbnail", files, photo.SHA256)
	}
	if err := run(ctx, []string{"backup", "--to", dir}, e); err == nil || !strings.Contains(err.Error(), "already holds a backup") {
		t.Fatalf("second backup into the same directory: %v", err)
	}
	vars["PAPI_DATABASE_URL"] = "postgres://papi@127.0.0.1:1/papi"
	if err := run(ctx, []string{"backup", "--to", t.TempDir()}, e); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %v", err)
	}
}
