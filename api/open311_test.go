package api

import (
	"encoding/xml"
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
