package api

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

func TestOpen311Services(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		anon := e.anon()

		r := anon.do("GET", "/open311/v2/services.json", nil)
		expect(t, r, 200)
		var services []map[string]any
		r.decode(t, &services)
		if len(services) != 14 {
			t.Fatalf("%d services, want the 14 default topics", len(services))
		}
		gt := services[0]
		if gt["service_code"] != "GT" || gt["service_name"] != "Giao thông" || gt["metadata"] != false ||
			gt["type"] != "realtime" || gt["group"] != "public_service_delivery" {
			t.Fatalf("first service %v", gt)
		}
		for _, key := range []string{"description", "keywords"} {
			if s, _ := gt[key].(string); s == "" {
				t.Errorf("%s is empty", key)
			}
		}

		anon.lang = "en"
		r = anon.do("GET", "/open311/v2/services.json", nil)
		r.decode(t, &services)
		if services[0]["service_name"] != "Traffic and roads" {
			t.Fatalf("English name %v", services[0]["service_name"])
		}
		anon.lang = ""

		r = anon.do("GET", "/open311/v2/services.xml?jurisdiction_id=28570", nil)
		expect(t, r, 200)
		if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
			t.Fatalf("content type %q", ct)
		}
		if !strings.HasPrefix(r.Body.String(), "<?xml") {
			t.Fatal("no XML declaration")
		}
		var doc struct {
			XMLName  xml.Name `xml:"services"`
			Services []struct {
				Code     string `xml:"service_code"`
				Name     string `xml:"service_name"`
				Metadata bool   `xml:"metadata"`
				Type     string `xml:"type"`
				Group    string `xml:"group"`
			} `xml:"service"`
		}
		if err := xml.Unmarshal(r.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Services) != 14 || doc.Services[0].Code != "GT" || doc.Services[0].Name != "Giao thông" {
			t.Fatalf("xml services %+v", doc.Services)
		}

		// A commune's slug works as a jurisdiction too; a hamlet or an unknown code does not.
		expect(t, anon.do("GET", "/open311/v2/services.json?jurisdiction_id=TANTHOI", nil), 200)
		r = anon.do("GET", "/open311/v2/services.json?jurisdiction_id=nowhere", nil)
		expect(t, r, 404)
		var errs []struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
		}
		r.decode(t, &errs)
		if len(errs) != 1 || errs[0].Code != 404 || errs[0].Description == "" {
			t.Fatalf("error %s", r.Body)
		}
		r = anon.do("GET", "/open311/v2/services.xml?jurisdiction_id=82", nil)
		expect(t, r, 404)
		if !strings.Contains(r.Body.String(), "<errors>") || !strings.Contains(r.Body.String(), "<code>404</code>") {
			t.Fatalf("xml error %s", r.Body)
		}
	})
}

// TestOpen311Pages checks the GeoReport page_size convention: 50 by default, 200 at most, pages
// that follow one another without a gap or a repeat, and bad values refused in the spec's shape.
func TestOpen311Pages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rd := reportEnv(t, e)
		anon := e.anon()
		ids := func(path string) []string {
			t.Helper()
			r := anon.do("GET", path, nil)
			expect(t, r, 200)
			var out []open311Request
			r.decode(t, &out)
			var refs []string
			for _, q := range out {
				refs = append(refs, q.ServiceRequestID)
			}
			return refs
		}
		const since = "/open311/v2/requests.json?start_date=2025-01-01&"
		all := ids(since + "page_size=200")
		if len(all) < 7 || len(all) > 50 {
			t.Fatalf("%d requests in the data set", len(all))
		}
		if got := ids(since); strings.Join(got, ",") != strings.Join(all, ",") {
			t.Fatalf("default page %v, want all %v", got, all)
		}
		var paged []string
		for n := 1; ; n++ {
			got := ids(fmt.Sprintf("%spage_size=3&page=%d", since, n))
			if len(got) > 3 {
				t.Fatalf("page %d has %d", n, len(got))
			}
			if len(got) == 0 {
				break
			}
			paged = append(paged, got...)
		}
		if strings.Join(paged, ",") != strings.Join(all, ",") {
			t.Fatalf("pages %v, want %v", paged, all)
		}
		if got := ids("/open311/v2/requests.json?page_size=1&service_request_id=" + rd.Refs["B2"] + "," + rd.Refs["A1"]); len(got) != 1 || got[0] != rd.Refs["B2"] {
			t.Fatalf("one of two ids %v", got)
		}

		anon.lang = "en"
		for _, q := range []string{"page_size=0", "page_size=201", "page_size=ten", "page=0", "page=-1", "page=1.5", "page=99999999999999999999"} {
			r := anon.do("GET", "/open311/v2/requests.json?"+q, nil)
			expect(t, r, 400)
			var errs []open311Error
			r.decode(t, &errs)
			field, _, _ := strings.Cut(q, "=")
			if len(errs) != 1 || errs[0].Code != 400 || !strings.Contains(errs[0].Description, field+" must") {
				t.Errorf("%s: %s", q, r.Body)
			}
		}
		r := anon.do("GET", "/open311/v2/requests.xml?page_size=500", nil)
		expect(t, r, 400)
		if !strings.Contains(r.Body.String(), "<code>400</code>") || !strings.Contains(r.Body.String(), "page_size") {
			t.Fatalf("xml error %s", r.Body)
		}
	})
}

// Three petitions of one matter from the commune's hamlets, linked to one: Open311 lists the matter once,
// under its main petition, saying how many times it was raised; each linked one is still found
// by its own id, in the list filter and at /requests/{id}.
func TestOpen311ListsAMatterOnce(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		type pet struct {
			ID, Version int64
			Reference   string
		}
		raise := func(hamlet int64) pet {
			var p pet
			r := sec.do("POST", "/api/v1/petitions", e.petitionBody(map[string]any{"hamlet_id": hamlet,
				"content": "Đường liên ấp bị sụt lún, xe không qua được."}))
			expect(t, r, 201)
			r.decode(t, &p)
			return p
		}
		main, a2, a3 := raise(e.world.HamletA1.ID), raise(e.world.HamletA2.ID), raise(e.world.HamletA1.ID)
		for _, p := range []pet{a2, a3} {
			expect(t, sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/link", p.ID), map[string]any{"main_id": main.ID, "version": p.Version}), 200)
		}
		anon := e.anon()
		list := func(path string) []open311Request {
			t.Helper()
			r := anon.do("GET", path, nil)
			expect(t, r, 200)
			var out []open311Request
			r.decode(t, &out)
			return out
		}
		count := func(reqs []open311Request, ref string) int {
			n := 0
			for _, q := range reqs {
				if q.ServiceRequestID == ref {
					n++
				}
			}
			return n
		}
		all := list("/open311/v2/requests.json?page_size=200&extensions=true")
		if count(all, main.Reference) != 1 || count(all, a2.Reference) != 0 || count(all, a3.Reference) != 0 {
			t.Fatalf("list %+v", all)
		}
		for _, q := range all {
			if q.ServiceRequestID == main.Reference && (q.Extended == nil || q.Extended.TimesRaised != 3 ||
				!strings.HasSuffix(q.Description, "Vấn đề này được nêu 3 lần.")) {
				t.Fatalf("main %+v", q)
			}
		}
		anon.lang = "en"
		if got := list("/open311/v2/requests.json?page_size=200"); count(got, main.Reference) != 1 ||
			!strings.HasSuffix(got[0].Description, "This matter was raised 3 times.") || got[0].Extended != nil {
			t.Fatalf("English list %+v", got)
		}
		anon.lang = ""
		var xmlDoc struct {
			Requests []struct {
				ID          string `xml:"service_request_id"`
				TimesRaised int    `xml:"extended_attributes>times_raised"`
			} `xml:"request"`
		}
		r := anon.do("GET", "/open311/v2/requests.xml?extensions=true&jurisdiction_id="+fmt.Sprint(e.world.CommuneA.ID), nil)
		expect(t, r, 200)
		if err := xml.Unmarshal(r.Body.Bytes(), &xmlDoc); err != nil {
			t.Fatal(err)
		}
		if len(xmlDoc.Requests) != 1 || xmlDoc.Requests[0].ID != main.Reference || xmlDoc.Requests[0].TimesRaised != 3 {
			t.Fatalf("XML %+v", xmlDoc)
		}
		byID := list("/open311/v2/requests.json?extensions=true&service_request_id=" + a2.Reference + "," + main.Reference)
		if len(byID) != 2 || count(byID, a2.Reference) != 1 {
			t.Fatalf("by ids %+v", byID)
		}
		one := list("/open311/v2/requests/" + a3.Reference + ".json?extensions=true")
		if len(one) != 1 || one[0].ServiceRequestID != a3.Reference || one[0].Extended == nil || one[0].Extended.MainRequestID != main.Reference {
			t.Fatalf("linked one %+v", one)
		}
	})
}
