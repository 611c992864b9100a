package models_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// present tells whether the store still holds the blob sum.
func present(t *testing.T, s models.BlobStore, sum string) bool {
	t.Helper()
	rc, err := s.Open(context.Background(), sum)
	if errors.Is(err, blobs.ErrNotExist) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	return true
}

func TestSweepRemovesOnlyOrphansPastTheGrace(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		p := aw.log(t, nil)
		live, err := aw.attach(t, aw.secretary, p.ID, "o-ga.jpg", dbtest.JPEGWithGPS(t, 40, 30))
		if err != nil {
			t.Fatal(err)
		}
		removed, err := aw.attach(t, aw.secretary, p.ID, "nham.pdf", dbtest.PDF(4000))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.secretary, removed.ID, models.AttachmentRemoval{}); err != nil {
			t.Fatal(err)
		}
		// A file whose database write never happened (the process died in between).
		orphan, err := aw.s.Blobs.Put(ctx, bytes.NewReader(dbtest.PDF(5000)))
		if err != nil {
			t.Fatal(err)
		}
		var leftover string
		if d, ok := aw.s.Blobs.(*blobs.Dir); ok {
			leftover = filepath.Join(d.Root(), ".tmp", "put-crashed")
			if err := os.WriteFile(leftover, []byte("half an upload"), 0o640); err != nil {
				t.Fatal(err)
			}
		}
		got, err := aw.s.SweepOrphanBlobs(ctx, time.Hour, false)
		if err != nil || got.Orphans != 0 || got.Removed != 0 || got.Blobs != 4 {
			t.Fatalf("sweep within the grace period = %+v, %v; want 4 blobs seen, none removed", got, err)
		}
		aw.s.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		dry, err := aw.s.SweepOrphanBlobs(ctx, time.Hour, true)
		if err != nil || dry.Orphans != 1 || dry.Removed < 1 || !present(t, aw.s.Blobs, orphan.SHA256) {
			t.Fatalf("dry run = %+v, %v; want the one orphan found and kept", dry, err)
		}
		got, err = aw.s.SweepOrphanBlobs(ctx, time.Hour, false)
		wantRemoved := 1
		if leftover != "" {
			wantRemoved = 2
		}
		if err != nil || got.Orphans != 1 || got.Removed != wantRemoved || got.RemovedBytes < orphan.Size {
			t.Fatalf("sweep = %+v, %v; want the orphan (and the leftover) removed", got, err)
		}
		if present(t, aw.s.Blobs, orphan.SHA256) {
			t.Fatal("the orphan is still in the store")
		}
		if _, err := os.Stat(leftover); leftover != "" && err == nil {
			t.Fatal("the unfinished upload's file is still there")
		}
		for _, sum := range []string{live.SHA256, *live.ThumbSHA256, removed.SHA256} {
			if !present(t, aw.s.Blobs, sum) {
				t.Fatalf("the sweep removed %s, which an attachment needs", sum)
			}
		}
		if len(aw.read(t, aw.chair, live.ID, true)) == 0 || len(aw.read(t, aw.chair, removed.ID, false)) == 0 {
			t.Fatal("an attachment's file cannot be read after the sweep")
		}
	})
}

// sweptStore loses the first blob it commits right after committing it, as when a sweep finds
// an old, unneeded copy of the same bytes just before the upload records them.
type sweptStore struct {
	models.BlobStore
	swept int
}

func (s *sweptStore) Put(ctx context.Context, r io.Reader) (blobs.Blob, error) {
	b, err := s.BlobStore.Put(ctx, r)
	if err == nil && s.swept == 0 {
		s.swept++
		err = s.BlobStore.Delete(ctx, b.SHA256)
	}
	return b, err
}

func TestAttachingSurvivesASweepInBetween(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		swept := &sweptStore{BlobStore: aw.s.Blobs}
		aw.s.Blobs = swept
		p := aw.log(t, nil)
		a, err := aw.attach(t, aw.secretary, p.ID, "bien-ban.pdf", dbtest.PDF(3000))
		if err != nil {
			t.Fatal(err)
		}
		if swept.swept != 1 || !present(t, swept.BlobStore, a.SHA256) {
			t.Fatal("the attachment was recorded without its file")
		}
	})
}

func TestKeyedUploadsAttachOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		p := aw.log(t, nil)
		target := models.AttachmentTarget{PetitionID: p.ID}
		photo := dbtest.JPEGWithGPS(t, 24, 24)
		send := func(key string, data ...[]byte) ([]*models.Attachment, bool, error) {
			var ups []*models.Upload
			for _, d := range data {
				ups = append(ups, aw.upload(t, "tablet.jpg", d))
			}
			return aw.s.AttachFilesOnce(ctx, aw.secretary, target, key, ups)
		}
		first, replayed, err := send("photo-key-1", photo)
		if err != nil || replayed || len(first) != 1 {
			t.Fatalf("first upload: %+v, %v, %v", first, replayed, err)
		}
		again, replayed, err := send("photo-key-1", photo)
		if err != nil || !replayed || again[0].ID != first[0].ID {
			t.Fatalf("retry with the key: %+v, %v, %v", again, replayed, err)
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.secretary, first[0].ID, models.AttachmentRemoval{}); err != nil {
			t.Fatal(err)
		}
		// A retry that arrives after the photo was removed must not bring it back.
		late, replayed, err := send("photo-key-1", photo)
		if err != nil || !replayed || late[0].ID != first[0].ID || late[0].RemovedAt == nil {
			t.Fatalf("late retry: %+v, %v, %v", late, replayed, err)
		}
		if _, _, err := send("photo-key-1", dbtest.PNGWithText(t, 8, 8)); fieldOf(t, err) != "Idempotency-Key" {
			t.Fatalf("the key with another file: %v", err)
		}
		if _, _, err := send("photo-key-2", photo, dbtest.PDF(900)); fieldOf(t, err) != "Idempotency-Key" {
			t.Fatalf("a keyed upload of two files: %v", err)
		}
		list, err := aw.s.Attachments(ctx, aw.chair, target, true)
		if err != nil || len(list) != 1 {
			t.Fatalf("attachments = %+v, %v; want the one", list, err)
		}
	})
}
