package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs/blobstest"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// part is one file of a multipart upload.
type part struct {
	name string
	data []byte
}

// multipartBody builds an upload of files in the field "file".
func multipartBody(t testing.TB, files ...part) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "sent with the files, ignored")
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, f.name))
		h.Set("Content-Type", "image/jpeg") // what a client declares counts for nothing
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func (c *client) upload(path string, files ...part) response {
	body, ct := multipartBody(c.e.t, files...)
	return c.do("POST", path, body, "Content-Type", ct)
}

// withBlobs wires a directory blob store into the test's store.
func withBlobs(t testing.TB, e *testEnv) *testEnv {
	e.store.Blobs, e.store.SpoolDir = blobstest.Dir(t), t.TempDir()
	return e
}

// petitionIn logs a petition in a commune through the store, as one of its own users.
func petitionIn(t testing.TB, e *testEnv, by *models.User, commune, hamlet *models.Unit, kind string, private bool) *models.Petition {
	t.Helper()
	in := models.PetitionInput{CommuneID: commune.ID, HamletID: hamlet.ID, Channel: "reception", Kind: kind, TopicCode: "GT",
		Content: "Ổ gà lớn trên đường liên ấp, xe máy dễ té ngã.", Private: private}
	if kind == "khieu_nai" || kind == "to_cao" { // identified, as the law requires from 1 July 2026
		in.PetitionerName, in.PetitionerIDNumber = "Trần Văn Tố", "079123456789"
	}
	p, err := e.store.CreatePetition(context.Background(), e.world.Actor(t, e.store, by), in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAttachmentsOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		withBlobs(t, e)
		w := e.world
		p := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
		sec, chair, anon := e.as(w.SecretaryA), e.as(w.ChairA), e.anon()
		base := fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID)

		r := sec.upload(base, part{"ổ gà.jpg", dbtest.JPEGWithGPS(t, 60, 40)}, part{"đơn.pdf", dbtest.PDF(4000)})
		expect(t, r, 201)
		var up struct{ Items []models.Attachment }
		r.decode(t, &up)
		if len(up.Items) != 2 || up.Items[0].Kind != "photo" || up.Items[1].Kind != "document" || up.Items[0].Public {
			t.Fatalf("uploaded = %+v", up.Items)
		}
		photo, doc := up.Items[0], up.Items[1]

		var listed struct{ Items []models.Attachment }
		chair.do("GET", base, nil).decode(t, &listed)
		if len(listed.Items) != 2 || !listed.Items[0].CanPublish || !listed.Items[1].CanRemove {
			t.Fatalf("chair's list = %+v", listed.Items)
		}

		r = chair.do("GET", fmt.Sprintf("/api/v1/attachments/%d/content", photo.ID), nil)
		expect(t, r, 200)
		h := r.Header()
		if h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "inline; filename*=utf-8''") || h.Get("Content-Length") != fmt.Sprint(photo.Size) {
			t.Fatalf("photo headers = %v", h)
		}
		if bytes.Contains(r.Body.Bytes(), []byte(dbtest.Secret)) {
			t.Fatal("downloaded photo carries its GPS metadata")
		}
		r = chair.do("GET", fmt.Sprintf("/api/v1/attachments/%d/content", doc.ID), nil)
		if r.Code != 200 || r.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment;") {
			t.Fatalf("document: %d %v", r.Code, r.Header())
		}
		r = chair.do("GET", fmt.Sprintf("/api/v1/attachments/%d/thumbnail", photo.ID), nil)
		if r.Code != 200 || r.Header().Get("Content-Type") != "image/jpeg" || r.Body.Len() == 0 {
			t.Fatalf("thumbnail: %d %v", r.Code, r.Header())
		}
		expect(t, chair.do("GET", fmt.Sprintf("/api/v1/attachments/%d/thumbnail", doc.ID), nil), 404)

		// Public only once the chair marks it, and only that photo.
		photos := fmt.Sprintf("/api/v1/public/petitions/%s/photos", p.Reference)
		var pub struct{ Items []models.PublicPhoto }
		anon.do("GET", photos, nil).decode(t, &pub)
		if len(pub.Items) != 0 {
			t.Fatalf("public photos before marking: %+v", pub.Items)
		}
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/photos/%d", photo.ID), nil), 404)
		expect(t, sec.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), map[string]any{"public": true}), 403)
		expect(t, chair.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", doc.ID), map[string]any{"public": true}), 409)
		if f := fieldErrors(t, chair.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), map[string]any{})); f["public"] == "" {
			t.Fatalf("missing public: %v", f)
		}
		expect(t, chair.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), map[string]any{"public": true}), 200)
		anon.do("GET", photos, nil).decode(t, &pub)
		if len(pub.Items) != 1 || pub.Items[0].ID != photo.ID {
			t.Fatalf("public photos = %+v", pub.Items)
		}
		r = anon.do("GET", fmt.Sprintf("/api/v1/public/photos/%d/thumbnail", photo.ID), nil)
		if r.Code != 200 || r.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("public thumbnail: %d %v", r.Code, r.Header())
		}
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/photos/%d", doc.ID), nil), 404)

		// Removing: an event on the petition's history, gone from lists and the board.
		expect(t, e.as(w.InspectorA).do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), nil), 403)
		expect(t, chair.do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), map[string]any{"note": "Chụp nhầm"}), 200)
		expect(t, chair.do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), nil), 409)
		expect(t, sec.do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", doc.ID), nil), 200)
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/photos/%d", photo.ID), nil), 404)
		chair.do("GET", base+"?removed=true", nil).decode(t, &listed)
		if len(listed.Items) != 2 || listed.Items[0].RemovedAt == nil {
			t.Fatalf("removed attachments for the audit: %+v", listed.Items)
		}
		var events struct {
			Items []struct {
				Kind string `json:"kind"`
				Note string `json:"note"`
			}
		}
		chair.do("GET", fmt.Sprintf("/api/v1/petitions/%d/events", p.ID), nil).decode(t, &events)
		if ev := events.Items[len(events.Items)-2]; ev.Kind != "attachment_removed" || ev.Note != "Chụp nhầm" {
			t.Fatalf("removal event = %+v", ev)
		}
		expect(t, chair.do("POST", fmt.Sprintf("/api/v1/attachments/%d/purge", photo.ID), nil), 403)
		expect(t, e.as(w.Admin).do("POST", fmt.Sprintf("/api/v1/attachments/%d/purge", photo.ID), nil), 200)
		expect(t, chair.do("GET", fmt.Sprintf("/api/v1/attachments/%d/content", photo.ID), nil), 404)
	})
}

func TestBadUploadsGetClear4xx(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		withBlobs(t, e)
		w := e.world
		p := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "kien_nghi", false)
		sec := e.as(w.SecretaryA)
		sec.lang = "en"
		base := fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID)

		expect(t, sec.do("POST", base, map[string]any{"file": "x"}), 415)
		r := sec.upload(base, part{"ok.pdf", dbtest.PDF(500)}, part{"virus.jpg", []byte("MZ\x90\x00 not a photo at all")})
		if f := fieldErrors(t, r); r.Code != 422 || !strings.Contains(f["file[1]"], "JPEG") {
			t.Fatalf("wrong type: %d %v", r.Code, f)
		}
		expect(t, sec.upload(base), 422)
		r = sec.do("POST", base, "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 trunc",
			"Content-Type", "multipart/form-data; boundary=x")
		expect(t, r, 400)

		e.store.AttachmentMaxSize = 1000
		r = sec.upload(base, part{"big.pdf", dbtest.PDF(1001)})
		if f := fieldErrors(t, r); r.Code != 422 || !strings.Contains(f["file[0]"], "limit") {
			t.Fatalf("file over the limit: %d %v", r.Code, f)
		}
		e.store.AttachmentMaxSize = 0
		small := New(e.store, Config{UploadMaxRequest: 1 << 20}, e.srv.log).Handler()
		body, ct := multipartBody(t, part{"a.pdf", dbtest.PDF(600 << 10)}, part{"b.pdf", dbtest.PDF(600 << 10)})
		req := httptest.NewRequest("POST", base, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.AddCookie(sec.cookie)
		req.Header.Set("X-CSRF-Token", sec.csrf)
		rec := httptest.NewRecorder()
		small.ServeHTTP(rec, req)
		if rec.Code != 413 {
			t.Fatalf("request over the limit: %d %s", rec.Code, rec.Body)
		}
		var list struct{ Items []models.Attachment }
		sec.do("GET", base+"?removed=true", nil).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("rejected uploads left attachments: %+v", list.Items)
		}
	})
}

// TestAttachmentPermissionTable checks the attachment endpoints for every role on a petition
// of its own units and on a foreign one.
func TestAttachmentPermissionTable(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		withBlobs(t, e)
		w := e.world
		own := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
		foreignOf := map[models.Role]*models.Petition{
			models.RoleAdmin:            petitionIn(t, e, w.FarAdmin, w.FarCommune, w.FarHamlet, "phan_anh", false),
			models.RoleDistrictOfficial: petitionIn(t, e, w.ChairOther, w.OtherCommune, w.HamletOther, "phan_anh", false),
		}
		inB := petitionIn(t, e, w.SecretaryB, w.CommuneB, w.HamletB1, "phan_anh", false)
		// One attachment on each petition, added by its commune's office, to read and act on.
		attached := map[int64]int64{}
		for _, c := range []struct {
			by *models.User
			p  *models.Petition
		}{{w.SecretaryA, own}, {w.FarAdmin, foreignOf[models.RoleAdmin]}, {w.ChairOther, foreignOf[models.RoleDistrictOfficial]}, {w.SecretaryB, inB}} {
			var out struct{ Items []models.Attachment }
			r := e.as(c.by).upload(fmt.Sprintf("/api/v1/petitions/%d/attachments", c.p.ID), part{"p.png", dbtest.PNGWithText(t, 8, 8)})
			expect(t, r, 201)
			r.decode(t, &out)
			attached[c.p.ID] = out.Items[0].ID
		}
		sec, n := e.as(w.SecretaryA), 0
		for _, role := range models.Roles() {
			c := e.as(userOf(w, role))
			foreign := foreignOf[role]
			if foreign == nil {
				foreign = inB
			}
			for i, p := range []*models.Petition{own, foreign} {
				att := attached[p.ID]
				office := role == models.RoleAdmin || role == models.RoleCommuneChair || role == models.RoleSecretary
				chairish := role == models.RoleAdmin || role == models.RoleCommuneChair
				pick := func(ownOK, ownNo int, yes bool) int {
					if i == 1 {
						return 404
					}
					if yes {
						return ownOK
					}
					return ownNo
				}
				for _, tc := range []struct {
					name   string
					status int
					do     func() response
				}{
					{"list", pick(200, 200, true), func() response { return c.do("GET", fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID), nil) }},
					{"download", pick(200, 200, true), func() response { return c.do("GET", fmt.Sprintf("/api/v1/attachments/%d/content", att), nil) }},
					{"thumbnail", pick(200, 200, true), func() response { return c.do("GET", fmt.Sprintf("/api/v1/attachments/%d/thumbnail", att), nil) }},
					{"upload", pick(201, 403, office), func() response {
						return c.upload(fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID), part{"n.png", dbtest.PNGWithText(t, 9, 7+int(role[0]))})
					}},
					{"publish", pick(200, 403, chairish), func() response {
						return c.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", att), map[string]any{"public": false})
					}},
					{"remove", pick(200, 403, office), func() response {
						// A fresh photo added by commune A's secretary each time, so nothing above is lost.
						target := att
						if i == 0 {
							n++
							var out struct{ Items []models.Attachment }
							sec.upload(fmt.Sprintf("/api/v1/petitions/%d/attachments", own.ID), part{"r.png", dbtest.PNGWithText(t, 30+n, 5)}).decode(t, &out)
							target = out.Items[0].ID
						}
						return c.do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", target), nil)
					}},
					{"purge", pick(409, 403, role == models.RoleAdmin), func() response {
						return c.do("POST", fmt.Sprintf("/api/v1/attachments/%d/purge", att), nil)
					}},
				} {
					if r := tc.do(); r.Code != tc.status {
						t.Errorf("%s as %s on %s petition: %d, want %d (%s)", tc.name, role, []string{"own", "foreign"}[i], r.Code, tc.status, r.Body)
					}
				}
			}
		}
	})
}

// chunkReader yields n bytes of a repeated pattern without ever holding them.
type chunkReader struct{ n int64 }

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	for i := range p {
		p[i] = byte('a' + i%26)
	}
	c.n -= int64(len(p))
	return len(p), nil
}

// TestUploadMemoryIsBounded uploads a 20 MB file streamed from a pipe and samples the heap the
// whole time: it must never grow by anything near the file's size.
func TestUploadMemoryIsBounded(t *testing.T) {
	e := withBlobs(t, newTestEnv(t, dbtest.Open(t, models.SQLite)))
	w := e.world
	p := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
	sec := e.as(w.SecretaryA)
	const size = 20 << 20
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "bien-ban-scan.pdf")
		if err == nil {
			_, err = io.Copy(fw, io.MultiReader(strings.NewReader("%PDF-1.7\n"), &chunkReader{n: size - 9}))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(sec.cookie)
	req.Header.Set("X-CSRF-Token", sec.csrf)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	close(done)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	growth := int64(peak.Load()) - int64(before.HeapAlloc)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("20 MB upload: peak heap growth %d KB, allocated in all %d KB", growth>>10, allocated>>10)
	if growth > size/2 {
		t.Fatalf("the heap grew by %d MB while uploading a %d MB file", growth>>20, size>>20)
	}
	if allocated > size/2 {
		t.Fatalf("%d MB allocated while uploading a %d MB file: it was held in memory", allocated>>20, size>>20)
	}
}

// FuzzUploads sends arbitrary multipart bodies (and arbitrary files inside well-formed ones) to
// the upload endpoints: whatever arrives, the answer is never a 500.
func FuzzUploads(f *testing.F) {
	const boundary = "papi-fuzz-boundary"
	wrap := func(name string, data []byte) []byte {
		return []byte("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
			"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + string(data) + "\r\n--" + boundary + "--\r\n")
	}
	jpg := dbtest.JPEGWithGPS(f, 12, 9)
	for _, seed := range [][]byte{
		jpg, dbtest.PNGWithText(f, 7, 5), dbtest.WebPWithExif(f), dbtest.PDF(300),
		jpg[:len(jpg)/2], append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, jpg[2:40]...),
		[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), []byte("RIFF\x10\x00\x00\x00WEBPVP8X"), []byte("%PDF-"), nil,
	} {
		f.Add(wrap("a.jpg", seed), true)
		f.Add(seed, false)
	}
	f.Add([]byte("--"+boundary+"\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"), false)
	e := withBlobs(f, newTestEnv(f, dbtest.Open(f, models.SQLite)))
	w := e.world
	p := petitionIn(f, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
	chair := e.as(w.ChairA)
	f.Fuzz(func(t *testing.T, body []byte, wrapped bool) {
		e.t = t
		if wrapped {
			body = wrap("f.bin", body)
		}
		r := chair.do("POST", fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID), body,
			"Content-Type", "multipart/form-data; boundary="+boundary)
		checkNo500(t, r, body)
	})
}
