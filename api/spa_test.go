package api

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestSPAFallbackCacheAndCSP(t *testing.T) {
	spa := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>PAPI</title>")},
		"assets/app-1a2b3c.js": {Data: []byte(strings.Repeat("console.log(1);\n", 400))},
		"favicon.svg":          {Data: []byte("<svg/>")},
	}
	srv := New(dbtest.Open(t, models.SQLite), Config{SPA: spa}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h := srv.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	r := get("/dialogues/42/run")
	if r.Code != 200 || !strings.Contains(r.Body.String(), "<title>PAPI</title>") || r.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("client route: %d %q %v", r.Code, r.Body, r.Header())
	}
	if csp := r.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Fatalf("CSP %q", csp)
	}
	// A public page names the API answers it needs first, so a slow phone fetches them along
	// with the script; other pages and a filtered board name none.
	for path, want := range map[string]string{
		"/public/42": "</api/v1/public/communes/42/summary?as=now>; rel=preload; as=fetch; crossorigin, " +
			"</api/v1/public/communes/42/petitions?limit=50&as=now>; rel=preload; as=fetch; crossorigin",
		"/public/p/tanthoi-2026-0001": "</api/v1/public/petitions/TANTHOI-2026-0001>; rel=preload; as=fetch; crossorigin",
		"/public/42?as=then":          "",
		"/public":                     "",
		"/dialogues/42":               "",
	} {
		if r = get(path); r.Code != 200 || r.Header().Get("Link") != want {
			t.Fatalf("%s: %d Link %q, want %q", path, r.Code, r.Header().Get("Link"), want)
		}
	}
	r = get("/assets/app-1a2b3c.js")
	if r.Code != 200 || !strings.Contains(r.Header().Get("Cache-Control"), "immutable") || r.Body.Len() != 6400 {
		t.Fatalf("asset: %d %v", r.Code, r.Header())
	}
	// Browsers that accept gzip get the asset compressed, still cached for a year.
	req := httptest.NewRequest("GET", "/assets/app-1a2b3c.js", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() >= 6400 ||
		!strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || rec.Header().Get("Vary") != "Accept-Encoding" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("gzipped asset: %d %d bytes %v", rec.Code, rec.Body.Len(), rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); string(plain) != strings.Repeat("console.log(1);\n", 400) {
		t.Fatalf("gunzipped asset differs: %d bytes", len(plain))
	}
	// Unknown API paths stay JSON 404s.
	r = get("/api/v1/nothing")
	if r.Code != 404 || !strings.Contains(r.Body.String(), `"code":"not_found"`) {
		t.Fatalf("api 404: %d %s", r.Code, r.Body)
	}
	if r = get("/healthz"); r.Code != 200 {
		t.Fatalf("healthz %d", r.Code)
	}
	if r = get("/readyz"); r.Code != 200 || !strings.Contains(r.Body.String(), "sqlite") {
		t.Fatalf("readyz %d %s", r.Code, r.Body)
	}
	if r.Header().Get("X-Request-ID") == "" {
		t.Fatal("no request id")
	}
	srv.store.Close()
	if r = get("/readyz"); r.Code != 503 {
		t.Fatalf("readyz with the database gone: %d", r.Code)
	}
}
