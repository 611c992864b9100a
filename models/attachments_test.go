package models_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"strings"
	"testing"

	_ "golang.org/x/image/webp"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs/blobstest"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// attachWorld is the petition world with a blob store wired in.
type attachWorld struct {
	*petitionWorld
}

func newAttachWorld(t *testing.T, s *models.Store, store models.BlobStore) *attachWorld {
	s.Blobs, s.SpoolDir = store, t.TempDir()
	return &attachWorld{newPetitionWorld(t, s)}
}

// upload receives one file as a handler would.
func (aw *attachWorld) upload(t *testing.T, name string, data []byte) *models.Upload {
	t.Helper()
	u, err := aw.s.ReceiveUpload(bytes.NewReader(data), name, "file")
	if err != nil {
		t.Fatalf("receive %s: %v", name, err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

// attach attaches one file to a petition as actor.
func (aw *attachWorld) attach(t *testing.T, a models.Actor, petitionID int64, name string, data []byte) (*models.Attachment, error) {
	t.Helper()
	out, err := aw.s.AttachFiles(context.Background(), a, models.AttachmentTarget{PetitionID: petitionID}, []*models.Upload{aw.upload(t, name, data)})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func (aw *attachWorld) read(t *testing.T, a models.Actor, id int64, thumb bool) []byte {
	t.Helper()
	_, rc, err := aw.s.OpenAttachment(context.Background(), a, id, thumb)
	if err != nil {
		t.Fatalf("open attachment %d: %v", id, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// eachStore runs fn on both databases with both blob stores.
func eachStore(t *testing.T, fn func(t *testing.T, aw *attachWorld)) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fn(t, newAttachWorld(t, s, blobstest.Dir(t)))
	})
	t.Run("s3", func(t *testing.T) {
		s := dbtest.Open(t, models.SQLite)
		fn(t, newAttachWorld(t, s, blobstest.S3(t)))
	})
}

// jpegSegments lists the markers and payloads of a JPEG's segments before its first scan.
func jpegSegments(t *testing.T, b []byte) (markers []byte, payloads [][]byte) {
	t.Helper()
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := b[i+1]
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		markers, payloads = append(markers, m), append(payloads, b[i+4:i+2+n])
		if m == 0xDA {
			return
		}
		i += 2 + n
	}
	return
}

func TestStoredPhotosCarryNoMetadata(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		p := aw.log(t, nil)
		src := dbtest.JPEGWithGPS(t, 64, 32)
		a, err := aw.attach(t, aw.secretary, p.ID, `C:\fakepath\IMG_0001.JPG`, src)
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != models.AttachmentPhoto || a.ContentType != models.TypeJPEG || a.OriginalName != "IMG_0001.JPG" || !a.HasThumbnail {
			t.Fatalf("attachment = %+v", a)
		}
		// Orientation 6: the 64×32 picture shows 32 wide and 64 high.
		if a.Width == nil || *a.Width != 32 || *a.Height != 64 {
			t.Fatalf("upright size = %v×%v, want 32×64", a.Width, a.Height)
		}
		stored := aw.read(t, aw.chair, a.ID, false)
		if bytes.Contains(stored, []byte(dbtest.Secret)) || int64(len(stored)) != a.Size {
			t.Fatalf("stored JPEG still carries the metadata, or its size is wrong (%d vs %d)", len(stored), a.Size)
		}
		markers, payloads := jpegSegments(t, stored)
		for i, m := range markers {
			switch {
			case m == 0xE1:
				// Only the orientation survives: one IFD0 entry, tag 0x0112, no GPS IFD pointer (0x8825).
				tiff := payloads[i][6:]
				if n := binary.BigEndian.Uint16(tiff[8:]); n != 1 || binary.BigEndian.Uint16(tiff[10:]) != 0x0112 {
					t.Fatalf("EXIF left in the stored JPEG: %q", payloads[i])
				}
			case m == 0xFE || (m >= 0xE3 && m <= 0xEF && m != 0xEE):
				t.Fatalf("metadata segment %#x left in the stored JPEG", m)
			}
		}
		if !bytes.HasSuffix(stored, []byte{0xFF, 0xD9}) {
			t.Fatal("data after the end of the image was kept")
		}
		img, _, err := image.Decode(bytes.NewReader(stored))
		if err != nil || img.Bounds().Dx() != 64 {
			t.Fatalf("stored JPEG does not decode as the same picture: %v", err)
		}
		thumb, _, err := image.Decode(bytes.NewReader(aw.read(t, aw.inspect, a.ID, true)))
		if err != nil || thumb.Bounds().Dx() != 32 || thumb.Bounds().Dy() != 64 {
			t.Fatalf("thumbnail: %v %v", err, thumb)
		}

		png, err := aw.attach(t, aw.secretary, p.ID, "map.png", dbtest.PNGWithText(t, 40, 30))
		if err != nil {
			t.Fatal(err)
		}
		stored = aw.read(t, aw.chair, png.ID, false)
		if bytes.Contains(stored, []byte(dbtest.Secret)) || bytes.Contains(stored, []byte("tEXt")) || bytes.Contains(stored, []byte("eXIf")) {
			t.Fatal("stored PNG still carries its text or EXIF chunks")
		}
		if img, _, err := image.Decode(bytes.NewReader(stored)); err != nil || img.Bounds().Dx() != 40 {
			t.Fatalf("stored PNG does not decode: %v", err)
		}

		webp, err := aw.attach(t, aw.secretary, p.ID, "x.webp", dbtest.WebPWithExif(t))
		if err != nil {
			t.Fatal(err)
		}
		stored = aw.read(t, aw.chair, webp.ID, false)
		if bytes.Contains(stored, []byte(dbtest.Secret)) || bytes.Contains(stored, []byte("EXIF")) {
			t.Fatal("stored WebP still carries its EXIF or XMP chunk")
		}
		if got := binary.LittleEndian.Uint32(stored[4:]); int(got) != len(stored)-8 || stored[20]&0x0C != 0 {
			t.Fatalf("RIFF size %d for %d bytes, VP8X flags %#x", got, len(stored), stored[20])
		}
		if _, _, err := image.Decode(bytes.NewReader(stored)); err != nil {
			t.Fatalf("stored WebP does not decode: %v", err)
		}

		doc, err := aw.attach(t, aw.secretary, p.ID, "bien-ban.pdf", dbtest.PDF(5000))
		if err != nil || doc.Kind != models.AttachmentDocument || doc.HasThumbnail {
			t.Fatalf("PDF: %+v, %v", doc, err)
		}
		if _, _, err := aw.s.OpenAttachment(context.Background(), aw.chair, doc.ID, true); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("thumbnail of a PDF: %v", err)
		}
	})
}

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	var v *models.ValidationError
	if !errors.As(err, &v) || len(v.Fields) != 1 {
		t.Fatalf("want a validation error of one field, got %v", err)
	}
	for f := range v.Fields {
		return f
	}
	return ""
}

func TestBadUploadsAreRefusedAndLeaveNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		p := aw.log(t, nil)
		aw.s.AttachmentMaxSize = 10_000
		for name, data := range map[string][]byte{
			"empty.jpg":    nil,
			"script.jpg":   []byte("<script>alert(1)</script> pretending to be a photo"),
			"huge.pdf":     dbtest.PDF(10_001),
			"document.doc": []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an old Word file"),
		} {
			if _, err := aw.s.ReceiveUpload(bytes.NewReader(data), name, "files[2]"); fieldOf(t, err) != "files[2]" {
				t.Errorf("%s: want an error on files[2]", name)
			}
		}
		// A file that starts like a JPEG but is not one passes the sniffing and fails the checks,
		// and takes the good file sent with it down too.
		good := aw.upload(t, "ok.pdf", dbtest.PDF(2000))
		bad, err := aw.s.ReceiveUpload(bytes.NewReader(append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 500)...)), "broken.jpg", "files[1]")
		if err != nil {
			t.Fatal(err)
		}
		defer bad.Close()
		_, err = aw.s.AttachFiles(ctx, aw.secretary, models.AttachmentTarget{PetitionID: p.ID}, []*models.Upload{good, bad})
		if fieldOf(t, err) != "files[1]" {
			t.Fatalf("broken JPEG: %v", err)
		}
		list, err := aw.s.Attachments(ctx, aw.chair, models.AttachmentTarget{PetitionID: p.ID}, true)
		if err != nil || len(list) != 0 {
			t.Fatalf("attachments after a rejected upload: %v, %v", list, err)
		}
	})
}

func TestAttachmentPermissions(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		p := aw.log(t, nil)
		farAdmin := aw.w.Actor(t, aw.s, aw.w.FarAdmin)
		target := models.AttachmentTarget{PetitionID: p.ID}
		for _, c := range []struct {
			name  string
			actor models.Actor
			want  error
		}{
			{"admin", aw.admin, nil},
			{"district official", aw.district, models.ErrForbidden},
			{"chair", aw.chair, nil},
			{"secretary", aw.secretary, nil},
			{"inspector", aw.inspect, models.ErrForbidden},
			{"chair of another commune", aw.chairB, models.ErrNotFound},
			{"chair of another district", aw.chairOther, models.ErrNotFound},
			{"admin of another province", farAdmin, models.ErrNotFound},
		} {
			if err := aw.s.CanAttach(ctx, c.actor, target); !errors.Is(err, c.want) {
				t.Errorf("%s attaching: %v, want %v", c.name, err, c.want)
			}
			_, err := aw.s.Attachments(ctx, c.actor, target, false)
			if wantRead := errors.Is(c.want, models.ErrNotFound); wantRead != errors.Is(err, models.ErrNotFound) || (!wantRead && err != nil) {
				t.Errorf("%s listing: %v", c.name, err)
			}
		}
		bySecretary, err := aw.attach(t, aw.secretary, p.ID, "a.jpg", dbtest.JPEGWithGPS(t, 16, 16))
		if err != nil {
			t.Fatal(err)
		}
		byChair, err := aw.attach(t, aw.chair, p.ID, "b.png", dbtest.PNGWithText(t, 16, 16))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := aw.s.Attachment(ctx, aw.chairB, bySecretary.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("foreign chair reading an attachment: %v", err)
		}
		if _, _, err := aw.s.OpenAttachment(ctx, aw.chairOther, bySecretary.ID, false); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("foreign chair downloading: %v", err)
		}
		for _, c := range []struct {
			name  string
			actor models.Actor
			id    int64
			want  error
		}{
			{"inspector removes", aw.inspect, bySecretary.ID, models.ErrForbidden},
			{"district official removes", aw.district, bySecretary.ID, models.ErrForbidden},
			{"secretary removes the chair's", aw.secretary, byChair.ID, models.ErrForbidden},
			{"foreign chair removes", aw.chairB, bySecretary.ID, models.ErrNotFound},
			{"secretary removes their own", aw.secretary, bySecretary.ID, nil},
			{"chair removes anyone's", aw.chair, byChair.ID, nil},
		} {
			if _, err := aw.s.RemoveAttachment(ctx, c.actor, c.id, models.AttachmentRemoval{}); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.chair, byChair.ID, models.AttachmentRemoval{}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("removing twice: %v", err)
		}
		if _, err := aw.s.PurgeAttachment(ctx, aw.chair, byChair.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("chair purging: %v", err)
		}
	})
}

func TestRemovingKeepsTheFileUntilPurged(t *testing.T) {
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		p := aw.log(t, nil)
		photo := dbtest.JPEGWithGPS(t, 20, 20)
		a, err := aw.attach(t, aw.secretary, p.ID, "cmnd.jpg", photo)
		if err != nil {
			t.Fatal(err)
		}
		again, err := aw.attach(t, aw.secretary, p.ID, "cmnd-retry.jpg", photo)
		if err != nil || again.ID != a.ID {
			t.Fatalf("a retried upload of the same bytes made attachment %v (%v), want %d", again, err, a.ID)
		}
		if _, err := aw.s.PurgeAttachment(ctx, aw.admin, a.ID); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("purging a live attachment: %v", err)
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.secretary, a.ID, models.AttachmentRemoval{Note: "Ảnh chụp nhầm giấy tờ tùy thân"}); err != nil {
			t.Fatal(err)
		}
		if list, _ := aw.s.Attachments(ctx, aw.chair, models.AttachmentTarget{PetitionID: p.ID}, false); len(list) != 0 {
			t.Fatalf("removed attachment still listed: %v", list)
		}
		if list, _ := aw.s.Attachments(ctx, aw.chair, models.AttachmentTarget{PetitionID: p.ID}, true); len(list) != 1 || list[0].RemovedBy == nil || *list[0].RemovedBy != aw.secretary.UserID {
			t.Fatalf("removed attachment for the audit: %+v", list)
		}
		if len(aw.read(t, aw.inspect, a.ID, false)) == 0 {
			t.Fatal("the file of a removed attachment is gone before any purge")
		}
		events, err := aw.s.PetitionEvents(ctx, aw.chair, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		if got := strings.Join(kinds, ","); got != "created,attachment_added,attachment_removed" {
			t.Fatalf("history = %s", got)
		}
		if last := events[len(events)-1]; last.ActorID == nil || *last.ActorID != aw.secretary.UserID || last.Note != "Ảnh chụp nhầm giấy tờ tùy thân" {
			t.Fatalf("removal event = %+v", last)
		}
		purged, err := aw.s.PurgeAttachment(ctx, aw.admin, a.ID)
		if err != nil || purged.PurgedAt == nil {
			t.Fatalf("purge: %+v, %v", purged, err)
		}
		if _, err := aw.s.Blobs.Open(ctx, a.SHA256); err == nil {
			t.Fatal("the blob is still in the store after the purge")
		}
		if _, _, err := aw.s.OpenAttachment(ctx, aw.chair, a.ID, false); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("downloading a purged file: %v", err)
		}
	})
}

func TestOnlyMarkedPhotosOfPublicPetitionsArePublic(t *testing.T) {
	yes := true
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		open := aw.log(t, nil)
		private := aw.log(t, func(in *models.PetitionInput) { in.Private = true })
		denunciation := aw.log(t, func(in *models.PetitionInput) { in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789" })
		photo := func(p *models.Petition, w int) *models.Attachment {
			a, err := aw.attach(t, aw.secretary, p.ID, "x.jpg", dbtest.JPEGWithGPS(t, w, 10))
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		shown, hidden := photo(open, 10), photo(open, 11)
		doc, err := aw.attach(t, aw.secretary, open.ID, "x.pdf", dbtest.PDF(1000))
		if err != nil {
			t.Fatal(err)
		}
		if shown.CanPublish || !aw.mustGet(t, aw.chair, shown.ID).CanPublish {
			t.Fatal("can_publish should hold for the chair only")
		}
		if _, err := aw.s.UpdateAttachment(ctx, aw.secretary, shown.ID, models.AttachmentPatch{Public: &yes}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("secretary publishing: %v", err)
		}
		if _, err := aw.s.UpdateAttachment(ctx, aw.chair, shown.ID, models.AttachmentPatch{Public: &yes}); err != nil {
			t.Fatal(err)
		}
		for name, id := range map[string]int64{"private petition": photo(private, 12).ID,
			"denunciation": photo(denunciation, 13).ID, "document": doc.ID} {
			if _, err := aw.s.UpdateAttachment(ctx, aw.chair, id, models.AttachmentPatch{Public: &yes}); !errors.Is(err, models.ErrConflict) {
				t.Errorf("publishing a photo of a %s: %v", name, err)
			}
		}
		list, err := aw.s.PublicPhotos(ctx, open.Reference)
		if err != nil || len(list) != 1 || list[0].ID != shown.ID {
			t.Fatalf("public photos = %+v, %v", list, err)
		}
		if _, err := aw.s.PublicPhotos(ctx, private.Reference); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("photos of a private petition: %v", err)
		}
		for _, id := range []int64{hidden.ID, doc.ID} {
			if _, _, err := aw.s.OpenPublicPhoto(ctx, id, false); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("public download of unmarked attachment %d: %v", id, err)
			}
		}
		_, rc, err := aw.s.OpenPublicPhoto(ctx, shown.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if _, err := aw.s.RemoveAttachment(ctx, aw.chair, shown.ID, models.AttachmentRemoval{}); err != nil {
			t.Fatal(err)
		}
		if list, _ := aw.s.PublicPhotos(ctx, open.Reference); len(list) != 0 {
			t.Fatalf("a removed photo stays public: %+v", list)
		}
	})
}

func (aw *attachWorld) mustGet(t *testing.T, a models.Actor, id int64) *models.Attachment {
	t.Helper()
	att, err := aw.s.Attachment(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	return att
}

func TestDialogueAttachments(t *testing.T) {
	yes := true
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		d, err := aw.s.CreateDialogue(ctx, aw.secretary, models.DialogueInput{CommuneID: aw.w.CommuneA.ID,
			HamletIDs: []int64{aw.w.HamletA1.ID}, Title: "Đối thoại quý I", StartsAt: "2026-01-10T08:00:00+07:00"})
		if err != nil {
			t.Fatal(err)
		}
		target := models.AttachmentTarget{DialogueID: d.ID}
		minutes := aw.upload(t, "bien-ban-da-ky.pdf", dbtest.PDF(3000))
		out, err := aw.s.AttachFiles(ctx, aw.secretary, target, []*models.Upload{minutes})
		if err != nil || len(out) != 1 || out[0].DialogueID == nil || *out[0].DialogueID != d.ID {
			t.Fatalf("attach to dialogue: %+v, %v", out, err)
		}
		if err := aw.s.CanAttach(ctx, aw.chairB, target); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("foreign chair: %v", err)
		}
		if _, err := aw.s.UpdateAttachment(ctx, aw.chair, out[0].ID, models.AttachmentPatch{Public: &yes}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a dialogue's file made public: %v", err)
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.chair, out[0].ID, models.AttachmentRemoval{}); err != nil {
			t.Fatal(err)
		}
		events, _, err := aw.s.DialogueEvents(ctx, aw.chair, d.ID, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		if got := strings.Join(kinds, ","); !strings.Contains(got, "attachment_added") || !strings.Contains(got, "attachment_removed") {
			t.Fatalf("dialogue history = %s", got)
		}
	})
}
