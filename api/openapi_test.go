package api

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPIDescribesEveryRoute fails when the router has a route the document lacks,
// or the document names a route the router does not serve.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	store := dbtest.Open(t, models.SQLite)
	srv := New(store, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	served := map[string]bool{}
	for _, r := range srv.router().Routes() {
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		method := strings.ToLower(r.Method)
		served[method+" "+path] = true
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("route %s %s is not in api/openapi.yaml", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete", "head":
				if !served[method+" "+path] {
					t.Errorf("api/openapi.yaml describes %s %s, which the router does not serve", strings.ToUpper(method), path)
				}
			}
		}
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		r := e.anon().do("GET", "/api/openapi.yaml", nil)
		expect(t, r, 200)
		if !strings.Contains(r.Body.String(), "/api/v1/auth/login") {
			t.Fatal("document lacks the login path")
		}
	})
}
