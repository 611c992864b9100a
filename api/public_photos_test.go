package api

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestPublicBoardPhotosDoNotLeak: through HTTP, with no sign-in, the board names and serves the
// photos the chair marked public, and answers 404 for every other attachment, whatever its
// petition: another photo of the same petition, a document, a photo of a private petition or of
// a denunciation, a removed one.
func TestPublicBoardPhotosDoNotLeak(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		withBlobs(t, e)
		w := e.world
		sec, chair, anon := e.as(w.SecretaryA), e.as(w.ChairA), e.anon()
		open := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
		private := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", true)
		denunciation := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "to_cao", false)
		upload := func(p *models.Petition, f part) int64 {
			r := sec.upload(fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID), f)
			expect(t, r, 201)
			var out struct{ Items []models.Attachment }
			r.decode(t, &out)
			return out.Items[0].ID
		}
		marked := upload(open, part{"o-ga.jpg", dbtest.JPEGWithGPS(t, 50, 30)})
		removed := upload(open, part{"o-ga-2.jpg", dbtest.JPEGWithGPS(t, 51, 30)})
		hidden := []int64{upload(open, part{"cmnd.jpg", dbtest.JPEGWithGPS(t, 52, 30)}), upload(open, part{"don.pdf", dbtest.PDF(2000)}),
			upload(private, part{"nha.jpg", dbtest.JPEGWithGPS(t, 53, 30)}), upload(denunciation, part{"to-cao.jpg", dbtest.JPEGWithGPS(t, 54, 30)}), removed}
		for _, id := range []int64{marked, removed} {
			expect(t, chair.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", id), map[string]any{"public": true}), 200)
		}
		for _, id := range hidden[2:4] {
			expect(t, chair.do("PATCH", fmt.Sprintf("/api/v1/attachments/%d", id), map[string]any{"public": true}), 409)
		}
		expect(t, chair.do("DELETE", fmt.Sprintf("/api/v1/attachments/%d", removed), nil), 200)

		var board struct{ Items []models.PublicPetition }
		anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions", w.CommuneA.ID), nil).decode(t, &board)
		found := false
		for _, p := range board.Items {
			if p.Reference == private.Reference || p.Reference == denunciation.Reference {
				t.Fatalf("the board lists %s", p.Reference)
			}
			if p.Reference == open.Reference {
				found = true
				if !slices.Equal(p.PhotoIDs, []int64{marked}) {
					t.Fatalf("board photo_ids = %v, want [%d]", p.PhotoIDs, marked)
				}
			}
		}
		if !found {
			t.Fatal("the public petition is not on the board")
		}
		var one models.PublicPetition
		anon.do("GET", "/api/v1/public/petitions/"+open.Reference, nil).decode(t, &one)
		if !slices.Equal(one.PhotoIDs, []int64{marked}) {
			t.Fatalf("public petition photo_ids = %v", one.PhotoIDs)
		}
		for _, path := range []string{"/api/v1/public/photos/%d", "/api/v1/public/photos/%d/thumbnail"} {
			r := anon.do("GET", fmt.Sprintf(path, marked), nil)
			if r.Code != 200 || r.Header().Get("Content-Type") != "image/jpeg" || slices.Contains([]string{"", "no-store"}, r.Header().Get("Cache-Control")) {
				t.Fatalf("%s: %d %v", path, r.Code, r.Header())
			}
			if bytes.Contains(r.Body.Bytes(), []byte(dbtest.Secret)) {
				t.Fatalf("%s serves the photo's GPS metadata", path)
			}
			for _, id := range hidden {
				expect(t, anon.do("GET", fmt.Sprintf(path, id), nil), 404)
			}
		}
		expect(t, anon.do("GET", "/api/v1/public/petitions/"+private.Reference+"/photos", nil), 404)
		expect(t, anon.do("GET", "/api/v1/public/petitions/"+denunciation.Reference+"/photos", nil), 404)
	})
}
