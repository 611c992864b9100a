package api

import (
	"fmt"
	"sync"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestQueuedPhotoUploadsAttachOnce plays what a tablet's offline queue does when the connection
// comes back: the petition it logged offline first, then each photo with a key of its own, each
// retried as often as the connection drops.
func TestQueuedPhotoUploadsAttachOnce(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		withBlobs(t, e)
		w := e.world
		sec := e.as(w.SecretaryA)
		petition := map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID, "channel": "dialogue",
			"kind": "phan_anh", "topic_code": "GT", "content": "Cống bị vỡ ở đầu ấp, nước tràn ra đường."}
		var p, again models.Petition
		r := sec.do("POST", "/api/v1/petitions", petition, "Idempotency-Key", "petition-offline-1")
		expect(t, r, 201)
		r.decode(t, &p)
		r = sec.do("POST", "/api/v1/petitions", petition, "Idempotency-Key", "petition-offline-1")
		expect(t, r, 200)
		r.decode(t, &again)
		if again.ID != p.ID {
			t.Fatalf("the queued petition was logged twice: %d and %d", p.ID, again.ID)
		}
		path := fmt.Sprintf("/api/v1/petitions/%d/attachments", p.ID)
		photo := part{"IMG_20260302.jpg", dbtest.JPEGWithGPS(t, 48, 36)}
		body, ct := multipartBody(t, photo)
		// The connection dropped after the server answered, several times over, some at once.
		codes := make(chan int, 6)
		ids := make(chan int64, 6)
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := sec.do("POST", path, body, "Content-Type", ct, "Idempotency-Key", "photo-offline-1")
				var out struct{ Items []models.Attachment }
				if r.Code == 201 || r.Code == 200 {
					r.decode(t, &out)
					ids <- out.Items[0].ID
				}
				codes <- r.Code
			}()
		}
		wg.Wait()
		close(codes)
		close(ids)
		created := 0
		for c := range codes {
			if c == 201 {
				created++
			} else if c != 200 {
				t.Errorf("a retried upload answered %d", c)
			}
		}
		first := <-ids
		for id := range ids {
			if id != first {
				t.Errorf("retries answered attachments %d and %d", first, id)
			}
		}
		if created != 1 {
			t.Errorf("%d retries answered 201 Created, want 1", created)
		}
		var list struct{ Items []models.Attachment }
		sec.do("GET", path+"?removed=true", nil).decode(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("attachments after the retries = %d, want 1", len(list.Items))
		}
		other, ct2 := multipartBody(t, part{"khac.pdf", dbtest.PDF(1200)})
		if f := fieldErrors(t, sec.do("POST", path, other, "Content-Type", ct2, "Idempotency-Key", "photo-offline-1")); f["Idempotency-Key"] == "" {
			t.Fatalf("the key with another file: %v", f)
		}
		two, ct3 := multipartBody(t, photo, part{"khac.pdf", dbtest.PDF(1200)})
		r = sec.do("POST", path, two, "Content-Type", ct3, "Idempotency-Key", "photo-offline-2", "Accept-Language", "en")
		if f := fieldErrors(t, r); f["Idempotency-Key"] != "An upload with an Idempotency-Key carries one file." {
			t.Fatalf("two files under one key: %v", f)
		}
		sec.do("GET", path+"?removed=true", nil).decode(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("refused uploads left attachments: %d", len(list.Items))
		}
	})
}
