package api

import (
	"bytes"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// contentSecurityPolicy allows the SPA its own scripts, styles and API, and nothing else.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// noRoute answers unknown API paths with a JSON 404 and every other GET with the SPA:
// a file of the build when it exists, else index.html so client-side routes work on reload.
func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/open311/") || s.cfg.SPA == nil ||
		(c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if name != "" && name != "index.html" {
		if st, err := fs.Stat(s.cfg.SPA, name); err == nil && !st.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every asset name.
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
				if s.assets.serve(c.Writer, c.Request, name) {
					return
				}
			} else {
				h.Set("Cache-Control", "public, max-age=3600")
			}
			// Compressed when the browser accepts it: the app's script is a third of its size
			// gzipped, which is what a phone on a slow link waits for.
			gzhttp.GzipHandler(http.FileServer(http.FS(s.cfg.SPA))).ServeHTTP(c.Writer, c.Request)
			return
		}
	}
	index, err := fs.ReadFile(s.cfg.SPA, "index.html")
	if err != nil {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
		return
	}
	h.Set("Cache-Control", "no-cache")
	if link := publicPreload(p, c.Request.URL.RawQuery); link != "" {
		h.Set("Link", link)
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}

var (
	boardPath     = regexp.MustCompile(`^/public/(\d+)$`)
	permalinkPath = regexp.MustCompile(`^/public/p/([A-Za-z0-9-]+)$`)
)

// publicPreload names the API answers a public page asks for first, as a Link header, so a
// phone on a slow link fetches them while it is still downloading the app's script instead of
// after running it. The URLs are exactly those the app requests (PublicBoardView,
// PublicPetitionView); a filtered board (a query string) asks for others, and gets none.
func publicPreload(p, rawQuery string) string {
	if rawQuery != "" {
		return ""
	}
	const as = ">; rel=preload; as=fetch; crossorigin"
	if m := boardPath.FindStringSubmatch(p); m != nil {
		board := "</api/v1/public/communes/" + m[1]
		return board + "/summary?as=now" + as + ", " + board + "/petitions?limit=50&as=now" + as
	}
	if m := permalinkPath.FindStringSubmatch(p); m != nil {
		return "</api/v1/public/petitions/" + strings.ToUpper(m[1]) + as
	}
	return ""
}

// gzippedAssets keeps each hashed asset of the build gzipped at the best level, made on its
// first request: the build never changes while the process runs, and the best level, which
// takes 40 ms of CPU for the app's script, saves a phone 3 kB of its 72 on every first visit.
type gzippedAssets struct {
	spa fs.FS
	mu  sync.Mutex
	gz  map[string][]byte
}

func newGzippedAssets(spa fs.FS) *gzippedAssets {
	return &gzippedAssets{spa: spa, gz: map[string][]byte{}}
}

// serve answers the gzipped asset when the client takes gzip and the file is text; false leaves
// the request to the plain file server.
func (a *gzippedAssets) serve(w http.ResponseWriter, r *http.Request, name string) bool {
	ctype := mime.TypeByExtension(path.Ext(name))
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || r.Header.Get("Range") != "" ||
		!(strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") || strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")) {
		return false
	}
	gz, err := a.get(name)
	if err != nil {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(gz))
	return true
}

func (a *gzippedAssets) get(name string) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if gz, ok := a.gz[name]; ok {
		return gz, nil
	}
	plain, err := fs.ReadFile(a.spa, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(plain); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	a.gz[name] = b.Bytes()
	return a.gz[name], nil
}
