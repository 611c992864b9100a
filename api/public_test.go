package api

import (
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"golang.org/x/text/unicode/norm"
)

// secretsIn returns the texts of the data set the public must never see that a reply contains.
func secretsIn(rd *dbtest.ReportData, body string) []string {
	var found []string
	for _, s := range append(rd.Petitioners, rd.KhieuNaiContent, rd.ToCaoWords, rd.DraftOnly, rd.Refs["A5"], rd.Refs["A10"]) {
		if strings.Contains(body, s) {
			found = append(found, s)
		}
	}
	// Phones however spaced.
	for _, s := range rd.Petitioners {
		if d := strings.ReplaceAll(s, " ", ""); strings.HasPrefix(d, "0912") && strings.Contains(strings.ReplaceAll(body, " ", ""), d) {
			found = append(found, s)
		}
	}
	return found
}

func TestPublicBoard(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rd := reportEnv(t, e)
		anon := e.anon()
		a := e.world.CommuneA.ID

		r := anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions", a), nil)
		expect(t, r, 200)
		var page struct {
			Items      []models.PublicPetition `json:"items"`
			NextCursor string                  `json:"next_cursor"`
		}
		r.decode(t, &page)
		// A5 (a denunciation) and A10 (private) stay off the board: 9 of the 11.
		var refs []string
		byRef := map[string]models.PublicPetition{}
		for _, p := range page.Items {
			refs = append(refs, p.Reference)
			byRef[p.Reference] = p
		}
		if len(page.Items) != 9 || page.Items[0].Reference != rd.Refs["A7"] {
			t.Fatalf("board %v", refs)
		}
		if _, ok := byRef[rd.Refs["A5"]]; ok {
			t.Fatal("a denunciation is on the board")
		}
		if p := byRef[rd.Refs["A3"]]; p.Content != nil || p.Answer == nil || *p.Answer != "Đã trả lời bằng văn bản." || p.Overdue || !p.AwaitingClosure {
			t.Fatalf("complaint A3 on the board %+v", p)
		}
		if p := byRef[rd.Refs["A11"]]; p.Answer != nil || p.AnsweredAt != nil || p.State != "in_progress" {
			t.Fatalf("A11 shows a draft: %+v", p)
		}
		if p := byRef[rd.Refs["A7"]]; p.CloseReason != nil || p.DuplicateOf != nil {
			t.Fatalf("an open petition with a closing reason: %+v", p)
		}
		if p := byRef[rd.Refs["A2"]]; p.OnsiteAnswer != "Xã sẽ lắp biển báo trong tuần." || p.ClosedAt == nil || p.Hamlet.Name != "Ấp Tân Hòa" || p.Topic.Code != "GT" ||
			p.CloseReason == nil || *p.CloseReason != models.ReasonExplained {
			t.Fatalf("A2 on the board %+v", p)
		}

		// Pages, filters, a bad filter, and units that are not communes.
		r = anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?limit=5", a), nil)
		r.decode(t, &page)
		r2 := anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?limit=5&cursor=%s", a, url.QueryEscape(page.NextCursor)), nil)
		var page2 struct {
			Items []models.PublicPetition `json:"items"`
		}
		r2.decode(t, &page2)
		if len(page.Items) != 5 || len(page2.Items) != 4 || page2.Items[0].Reference != refs[5] {
			t.Fatalf("pages %d + %d", len(page.Items), len(page2.Items))
		}
		r = anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?topic=GT&state_type=closed", a), nil)
		r.decode(t, &page)
		if len(page.Items) != 1 || page.Items[0].Reference != rd.Refs["A2"] {
			t.Fatalf("GT closed: %+v", page.Items)
		}
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?state_type=lost", a), nil), 422)
		// The board pages with the same bound as Open311 and the signed-in lists: 200 at most.
		for _, l := range []string{"0", "201", "ten"} {
			r := anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?limit=%s", a, l), nil)
			expect(t, r, 422)
			if m := r.m(t); m["error"].(map[string]any)["fields"].(map[string]any)["limit"] == nil {
				t.Errorf("limit=%s: %s", l, r.Body)
			}
		}
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions", e.world.District.ID), nil), 404)
		expect(t, anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/summary", e.world.HamletA1.ID), nil), 404)
		expect(t, anon.do("GET", "/api/v1/public/communes/999999/petitions", nil), 404)

		// Lookup by reference, in any case; private and denunciations are not found.
		r = anon.do("GET", "/api/v1/public/petitions/"+strings.ToLower(rd.Refs["B1"]), nil)
		expect(t, r, 200)
		if m := r.m(t); m["state"] != "resolved" || m["commune"].(map[string]any)["name"] != "Tân Phú" {
			t.Fatalf("B1 %v", m)
		}
		expect(t, anon.do("GET", "/api/v1/public/petitions/"+rd.Refs["A10"], nil), 404)
		expect(t, anon.do("GET", "/api/v1/public/petitions/"+rd.Refs["A5"], nil), 404)
		expect(t, anon.do("GET", "/api/v1/public/petitions/NOPE-2026-0001", nil), 404)

		// The headline figures of the current year (2026 on 10 April), over public petitions only:
		// A1 A2 A3 A4 A6 A7 A9 A11; late: A4 only (A3 is answered, awaiting closure).
		r = anon.do("GET", fmt.Sprintf("/api/v1/public/communes/%d/summary", a), nil)
		expect(t, r, 200)
		var sum models.PublicSummary
		r.decode(t, &sum)
		p := sum.Figures.Petitions
		if sum.Commune.Name != "Tân Thới" || sum.Period.Kind != "year" || sum.Period.Year != 2026 || p.Total != 8 ||
			p.ByKind["to_cao"] != 0 || p.Closed != 1 || p.Open != 5 || p.OverdueOpen != 1 || p.AwaitingClosure != 1 || p.OnTime.OnTime != 3 || p.OnTime.Answered != 4 {
			t.Fatalf("public summary %s", r.Body)
		}

		// No public answer, JSON or XML, ever holds a petitioner, a complaint, a denunciation or a draft.
		paths := []string{
			fmt.Sprintf("/api/v1/public/communes/%d/petitions?limit=200", a),
			fmt.Sprintf("/api/v1/public/communes/%d/petitions?limit=200", e.world.CommuneB.ID),
			fmt.Sprintf("/api/v1/public/communes/%d/summary", a),
			"/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z",
			"/open311/v2/requests.xml?start_date=2025-01-01T00:00:00Z",
			"/open311/v2/services.json",
		}
		for _, ref := range rd.Refs {
			paths = append(paths, "/api/v1/public/petitions/"+ref, "/open311/v2/requests/"+ref+".json", "/open311/v2/requests/"+ref+".xml")
		}
		for _, path := range paths {
			r := anon.do("GET", path, nil)
			if r.Code != 200 && r.Code != 404 {
				t.Fatalf("%s: %d %s", path, r.Code, r.Body)
			}
			if found := secretsIn(rd, r.Body.String()); len(found) > 0 {
				t.Errorf("%s shows %q", path, found)
			}
		}
	})
}

// timestampPattern matches the RFC 3339 times of a reply, whose digits may contain a phone's.
var timestampPattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)

// withoutTimestamps drops the times of a reply, so a leak check on digits looks at text only.
func withoutTimestamps(body string) string { return timestampPattern.ReplaceAllString(body, "") }

// TestPublicMasksPetitionerInText checks that a petitioner typed into the content or an answer
// is masked on the board.
func TestPublicMasksPetitionerInText(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		s := e.store
		sec := e.world.Actor(t, s, e.world.SecretaryA)
		p, err := s.CreatePetition(t.Context(), sec, models.PetitionInput{CommuneID: e.world.CommuneA.ID, HamletID: e.world.HamletA1.ID,
			Channel: "reception", Kind: "kien_nghi", TopicCode: "GT",
			Content:        "Ông Lê Văn Tám (ĐT 0903.111.222, hộ chiếu c7654321, nhà số 9 Đường Cây Me) đề nghị sửa cầu.",
			PetitionerName: "Lê Văn Tám", PetitionerPhone: "0903 111 222", PetitionerAddress: "Số 9 đường Cây Me", PetitionerIDNumber: "C7654321"})
		if err != nil {
			t.Fatal(err)
		}
		r := e.anon().do("GET", "/api/v1/public/petitions/"+p.Reference, nil)
		expect(t, r, 200)
		body := withoutTimestamps(r.Body.String())
		for _, leak := range []string{"Tám", "0903", "111.222", "Cây Me", "7654321"} {
			if strings.Contains(body, leak) {
				t.Errorf("board shows %q: %s", leak, body)
			}
		}
		if !strings.Contains(body, "đề nghị sửa cầu") {
			t.Fatalf("content lost: %s", body)
		}
	})
}

// TestPublicMasksThePetitionAsItNowIs reads a petition on the board, in Open311 and on its page,
// then corrects its petitioner to the other person its content names: every public answer
// after that hides the new name, the old one too.
func TestPublicMasksThePetitionAsItNowIs(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		sec := e.as(w.SecretaryA)
		r := sec.do("POST", "/api/v1/petitions", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID,
			"channel": "reception", "kind": "phan_anh", "topic_code": "GT", "name": "Hồ Thị Mai",
			"content": "Bà Hồ Thị Mai báo ông Đặng Văn Nam lấn chiếm lối đi chung."})
		expect(t, r, 201)
		p := r.m(t)
		paths := []string{"/api/v1/public/petitions/" + p["reference"].(string),
			fmt.Sprintf("/api/v1/public/communes/%d/petitions", w.CommuneA.ID), "/open311/v2/requests.json"}
		read := func(path string) string {
			r := e.anon().do("GET", path, nil)
			expect(t, r, 200)
			return r.Body.String()
		}
		for _, path := range paths {
			if b := read(path); strings.Contains(b, "Mai") || !strings.Contains(b, "Đặng Văn Nam lấn chiếm") {
				t.Fatalf("%s before the correction: %s", path, b)
			}
		}
		expect(t, sec.do("PATCH", fmt.Sprintf("/api/v1/petitions/%v", p["id"]), map[string]any{"name": "Đặng Văn Nam", "version": 1}), 200)
		for _, path := range paths {
			if b := read(path); strings.Contains(b, "Mai") || strings.Contains(b, "Nam") || !strings.Contains(b, "lấn chiếm lối đi chung") {
				t.Errorf("%s after the correction: %s", path, b)
			}
		}
	})
}

// TestPublicMasksEverySpelling types the petitioner into a petition's content and answer in
// the spellings that used to leak (no diacritics, decomposed Unicode, extra spaces; the stored
// +84 phone in local form, with spaces or dots) with a neighbour's phone and an identity-card
// number: the board and Open311 show none of them.
func TestPublicMasksEverySpelling(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		s := e.store
		sec := e.world.Actor(t, s, e.world.SecretaryA)
		chair := e.world.Actor(t, s, e.world.ChairA)
		content := "Ông Le Van Tam, " + norm.NFD.String("ông Lê Văn Tám") + ", ông LÊ  VĂN   TÁM (ĐT 0903 111 222, 0903.111.222, 0903111222)" +
			" cùng hàng xóm (0987 654 321, CCCD 079123456789) đề nghị sửa cầu."
		p, err := s.CreatePetition(t.Context(), sec, models.PetitionInput{CommuneID: e.world.CommuneA.ID, HamletID: e.world.HamletA1.ID,
			Channel: "reception", Kind: "kien_nghi", TopicCode: "GT", Content: content,
			PetitionerName: "Lê Văn Tám", PetitionerPhone: "+84 903 111 222"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TransitionPetition(t.Context(), chair, p.ID, models.TransitionInput{To: "answered", Version: &p.Version,
			Answer: "Đã gọi ông le van tam qua số +84 903-111-222 và hẹn khảo sát cầu."}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v1/public/petitions/" + p.Reference, "/open311/v2/requests/" + p.Reference + ".json",
			"/open311/v2/requests/" + p.Reference + ".xml"} {
			r := e.anon().do("GET", path, nil)
			expect(t, r, 200)
			body := withoutTimestamps(norm.NFC.String(r.Body.String()))
			for _, leak := range []string{"Tam", "Tám", "TÁM", "tam", "0903", "111 222", "111.222", "111222", "111-222", "0987", "654 321", "079123456789"} {
				if strings.Contains(body, leak) {
					t.Errorf("%s shows %q: %s", path, leak, body)
				}
			}
			if !strings.Contains(body, "đề nghị sửa cầu") || !strings.Contains(body, "hẹn khảo sát cầu") {
				t.Errorf("%s lost the text: %s", path, body)
			}
		}
	})
}

func TestOpen311Requests(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rd := reportEnv(t, e)
		anon := e.anon()
		get := func(path string) []open311Request {
			t.Helper()
			r := anon.do("GET", path, nil)
			expect(t, r, 200)
			var out []open311Request
			r.decode(t, &out)
			return out
		}
		ids := func(reqs []open311Request) string {
			var out []string
			for _, r := range reqs {
				out = append(out, r.ServiceRequestID)
			}
			return strings.Join(out, ",")
		}
		// By default the last 90 days before 10 April: from 10 January on.
		all := get("/open311/v2/requests.json?jurisdiction_id=28570")
		want := strings.Join([]string{rd.Refs["A7"], rd.Refs["A6"], rd.Refs["A4"], rd.Refs["A11"], rd.Refs["A3"], rd.Refs["A2"], rd.Refs["A9"]}, ",")
		if ids(all) != want {
			t.Fatalf("requests %s, want %s", ids(all), want)
		}
		a3 := all[4]
		if a3.Status != "open" || a3.Description != "" || a3.StatusNotes != "Đã trả lời bằng văn bản." || a3.ServiceCode != "GT" ||
			a3.ServiceName != "Giao thông" || a3.AgencyResponsible != "Địa chính xã" || a3.RequestedDatetime != "2026-02-10T08:00:00+07:00" ||
			a3.ExpectedDatetime != "2026-02-20T23:59:59+07:00" || a3.Address != "Ấp Tân Bình, Tân Thới" {
			t.Fatalf("A3 as a request %+v", a3)
		}
		a2 := all[5]
		if a2.Status != "closed" || !strings.Contains(a2.Description, "Nội dung ý kiến A2") || a2.ExpectedDatetime != "" || a2.AgencyResponsible != "UBND Tân Thới" {
			t.Fatalf("A2 as a request %+v", a2)
		}
		// The spec's filters.
		if got := ids(get("/open311/v2/requests.json?jurisdiction_id=TANTHOI&status=closed")); got != rd.Refs["A2"]+","+rd.Refs["A9"] {
			t.Fatalf("closed: %s", got)
		}
		if got := ids(get("/open311/v2/requests.json?service_code=NS,ANTT&start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-03-31T23:59:59%2B07:00")); got != rd.Refs["A6"]+","+rd.Refs["A4"]+","+rd.Refs["B1"]+","+rd.Refs["A1"] {
			t.Fatalf("NS and ANTT in Q1: %s", got)
		}
		if got := ids(get("/open311/v2/requests.json?service_request_id=" + rd.Refs["B2"] + "," + strings.ToLower(rd.Refs["A1"]) + "," + rd.Refs["A10"])); got != rd.Refs["B2"]+","+rd.Refs["A1"] {
			t.Fatalf("by id: %s", got)
		}
		anon.lang = "en"
		if got := get("/open311/v2/requests/" + rd.Refs["B2"] + ".json"); len(got) != 1 || got[0].ServiceName != "Irrigation" || got[0].Status != "open" {
			t.Fatalf("B2 %+v", got)
		}
		anon.lang = ""

		// XML with the spec's element names.
		r := anon.do("GET", "/open311/v2/requests/"+rd.Refs["A1"]+".xml", nil)
		expect(t, r, 200)
		var doc struct {
			XMLName  xml.Name `xml:"service_requests"`
			Requests []struct {
				ID        string `xml:"service_request_id"`
				Status    string `xml:"status"`
				Notes     string `xml:"status_notes"`
				Requested string `xml:"requested_datetime"`
			} `xml:"request"`
		}
		if err := xml.Unmarshal(r.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Requests) != 1 || doc.Requests[0].ID != rd.Refs["A1"] || doc.Requests[0].Status != "closed" ||
			doc.Requests[0].Notes != "Đã lắp đường ống." || doc.Requests[0].Requested != "2026-01-01T00:00:00+07:00" {
			t.Fatalf("xml %s", r.Body)
		}
		r = anon.do("GET", "/open311/v2/requests.xml?jurisdiction_id=28573&status=open", nil)
		expect(t, r, 200)
		doc.Requests = nil
		if err := xml.Unmarshal(r.Body.Bytes(), &doc); err != nil || len(doc.Requests) != 3 {
			t.Fatalf("xml list %s (%v)", r.Body, err)
		}

		// Errors in the spec's shape.
		for path, status := range map[string]int{
			"/open311/v2/requests.json?status=pending":                              400,
			"/open311/v2/requests.json?start_date=yesterday":                        400,
			"/open311/v2/requests.json?service_code=NOPE":                           400,
			"/open311/v2/requests.json?jurisdiction_id=nowhere":                     404,
			"/open311/v2/requests/" + rd.Refs["A10"] + ".json":                      404,
			"/open311/v2/requests/" + rd.Refs["A1"] + ".csv":                        404,
			"/open311/v2/requests/" + rd.Refs["B1"] + ".json?jurisdiction_id=28570": 404,
		} {
			r := anon.do("GET", path, nil)
			expect(t, r, status)
			var errs []map[string]any
			r.decode(t, &errs)
			if len(errs) != 1 || errs[0]["code"] != float64(status) || errs[0]["description"] == "" {
				t.Errorf("%s: %s", path, r.Body)
			}
		}
	})
}

// TestPublicAnswersRevalidate checks the cache headers of the public board and Open311: a strong
// ETag, 304 with no body when If-None-Match names it, a new ETag once the data change, and
// Cache-Control public there but no-store on the signed-in API.
func TestPublicAnswersRevalidate(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		anon, sec := e.anon(), e.as(e.world.SecretaryA)
		board := fmt.Sprintf("/api/v1/public/communes/%d/petitions", e.world.CommuneA.ID)
		paths := []string{board, "/api/v1/public/communes", fmt.Sprintf("/api/v1/public/communes/%d/summary", e.world.CommuneA.ID),
			"/open311/v2/services.json", "/open311/v2/services.xml", "/open311/v2/requests.json", "/open311/v2/requests.xml"}
		tags := map[string]string{}
		for _, path := range paths {
			r := anon.do("GET", path, nil)
			expect(t, r, 200)
			etag := r.Header().Get("ETag")
			if !regexp.MustCompile(`^"[A-Za-z0-9_-]{16,}"$`).MatchString(etag) {
				t.Fatalf("%s: ETag %q is not strong", path, etag)
			}
			if cc := r.Header().Get("Cache-Control"); cc != "public, max-age=60" {
				t.Errorf("%s: Cache-Control %q", path, cc)
			}
			tags[path] = etag
			r = anon.do("GET", path, nil, "If-None-Match", `"other", `+etag)
			expect(t, r, 304)
			if r.Body.Len() != 0 || r.Header().Get("ETag") != etag {
				t.Errorf("%s: 304 with %d bytes, ETag %q", path, r.Body.Len(), r.Header().Get("ETag"))
			}
			expect(t, anon.do("GET", path, nil, "If-None-Match", `"other"`), 200)
		}
		// The same path in another language is another answer.
		if r := anon.do("GET", "/open311/v2/services.json", nil, "Accept-Language", "en"); r.Header().Get("ETag") == tags["/open311/v2/services.json"] {
			t.Error("English services share the Vietnamese ETag")
		}
		// A client that takes gzip gets the same answer gzipped, under an ETag of its own.
		for _, path := range []string{"/open311/v2/services.json", "/open311/v2/services.xml"} {
			plain := anon.do("GET", path, nil)
			r := anon.do("GET", path, nil, "Accept-Encoding", "br, gzip")
			expect(t, r, 200)
			etag := r.Header().Get("ETag")
			if r.Header().Get("Content-Encoding") != "gzip" || etag == tags[path] || !strings.Contains(r.Header().Get("Vary"), "Accept-Encoding") {
				t.Fatalf("%s gzipped: %v", path, r.Header())
			}
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			if unzipped, _ := io.ReadAll(zr); string(unzipped) != plain.Body.String() {
				t.Fatalf("%s: the gzipped answer differs", path)
			}
			expect(t, anon.do("GET", path, nil, "Accept-Encoding", "gzip", "If-None-Match", etag), 304)
			if r := anon.do("GET", path, nil, "Accept-Encoding", "gzip;q=0"); r.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip refused with q=0, but sent", path)
			}
		}
		// Errors carry no ETag and are not cached.
		if r := anon.do("GET", "/api/v1/public/petitions/NOPE-2026-0001", nil); r.Code != 404 || r.Header().Get("ETag") != "" || r.Header().Get("Cache-Control") != "" {
			t.Errorf("404: %d, ETag %q, Cache-Control %q", r.Code, r.Header().Get("ETag"), r.Header().Get("Cache-Control"))
		}

		// A new public petition changes the board's answer and its ETag; the old one no longer matches.
		expect(t, sec.do("POST", "/api/v1/petitions", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID,
			"kind": "kien_nghi", "channel": "dialogue", "topic_code": "GT", "content": "Đề nghị sửa đèn đường ấp."}), 201)
		for _, path := range []string{board, "/open311/v2/requests.json"} {
			r := anon.do("GET", path, nil, "If-None-Match", tags[path])
			expect(t, r, 200)
			if etag := r.Header().Get("ETag"); etag == "" || etag == tags[path] || !strings.Contains(r.Body.String(), "sửa đèn đường") {
				t.Errorf("%s after a change: ETag %q (was %q)", path, etag, tags[path])
			}
		}

		// The signed-in API keeps no-store and no ETag.
		if r := sec.do("GET", "/api/v1/petitions", nil); r.Header().Get("Cache-Control") != "no-store" || r.Header().Get("ETag") != "" {
			t.Errorf("signed-in list: Cache-Control %q, ETag %q", r.Header().Get("Cache-Control"), r.Header().Get("ETag"))
		}
	})
}

// TestPublicPetitionSaysWhyItWasClosed checks the permalink's closing reason, and that a
// duplicate names its original only when the original is public too.
func TestPublicPetitionSaysWhyItWasClosed(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		chair, anon := e.as(w.ChairA), e.anon()
		public := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
		private := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", true)
		for _, c := range []struct {
			original *models.Petition
			want     string
		}{{public, public.Reference}, {private, ""}} {
			dup := petitionIn(t, e, w.SecretaryA, w.CommuneA, w.HamletA1, "phan_anh", false)
			expect(t, chair.do("POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", dup.ID),
				map[string]any{"to": "closed", "reason": "duplicate", "duplicate_of": c.original.ID, "version": dup.Version}), 200)
			r := anon.do("GET", "/api/v1/public/petitions/"+dup.Reference, nil)
			expect(t, r, 200)
			var p models.PublicPetition
			r.decode(t, &p)
			got := ""
			if p.DuplicateOf != nil {
				got = *p.DuplicateOf
			}
			if p.CloseReason == nil || *p.CloseReason != models.ReasonDuplicate || got != c.want {
				t.Fatalf("duplicate of %s on the board: reason %v, original %v", c.original.Reference, p.CloseReason, p.DuplicateOf)
			}
			if strings.Contains(r.Body.String(), private.Reference) {
				t.Fatalf("a private reference is public: %s", r.Body)
			}
		}
	})
}
