package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
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
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}
