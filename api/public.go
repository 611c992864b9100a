package api

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"

	"github.com/papi-dialogue/papi/models"
)

// publicRoutes registers the public board: no session, so no CSRF either; only GETs.
func (s *Server) publicRoutes(public *gin.RouterGroup) {
	public.GET("/communes", publicCache, s.publicCommunes)
	public.GET("/communes/:id/petitions", publicCache, s.publicPetitions)
	public.GET("/communes/:id/summary", publicCache, s.publicSummary)
	public.GET("/petitions/:reference", publicCache, s.publicPetition)
}

// The public board: no session, no personal data. What is public is decided in models/public.go.

// heldBody keeps a public answer back until it is complete, so its ETag can be taken from
// its bytes.
type heldBody struct {
	gin.ResponseWriter
	body *bytes.Buffer
}

// heldBodies are the buffers publicCache holds answers in, kept between requests (a board page
// grew a new one from nothing each time); one an export-sized answer grew is let go.
var heldBodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putHeldBody(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		b.Reset()
		heldBodies.Put(b)
	}
}

func (w *heldBody) Write(b []byte) (int, error)       { return w.body.Write(b) }
func (w *heldBody) WriteString(s string) (int, error) { return w.body.WriteString(s) }

// publicCache lets browsers and proxies keep a public answer for a minute (short: answers
// change as petitions move) and revalidate it cheaply after: a successful answer carries a
// strong ETag from its body (bodyTag), and a request whose If-None-Match names it gets 304 with
// no body. Answers are gzipped for clients that accept it (a phone on a slow link waits for the
// bytes), with an ETag of their own, as RFC 9110 asks of another representation. Only the public
// board and Open311 use it; the signed-in API stays no-store.
func publicCache(c *gin.Context) {
	w := &heldBody{ResponseWriter: c.Writer, body: heldBodies.Get().(*bytes.Buffer)}
	defer putHeldBody(w.body)
	c.Writer = w
	c.Next()
	c.Writer = w.ResponseWriter
	body := w.body.Bytes()
	if w.Status() != http.StatusOK {
		writeWhole(w.ResponseWriter, body)
		return
	}
	etag := bodyTag(body)
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("Vary", "Accept-Encoding, Accept-Language") // Open311 names services in the asked language
	zipped := len(body) >= gzipMinSize && acceptsGzip(c.GetHeader("Accept-Encoding"))
	if zipped {
		etag += "-gz"
	}
	etag = `"` + etag + `"`
	h.Set("ETag", etag)
	if etagListed(c.GetHeader("If-None-Match"), etag) {
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		w.WriteHeaderNow()
		return
	}
	if zipped {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		zw, _ := gzip.NewWriterLevel(w.ResponseWriter, gzip.DefaultCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		return
	}
	writeWhole(w.ResponseWriter, body)
}

// bodyTag is an ETag's text for a body: its 64-bit xxHash and its length. A validator tells one
// version of an answer from another, which needs no cryptographic hash; SHA-256 was a twentieth
// of what a board page cost.
func bodyTag(body []byte) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], xxhash.Sum64(body))
	binary.BigEndian.PutUint32(b[8:], uint32(len(body)))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// writeWhole writes a held body with its length: without one, net/http sends it in chunks, a
// system call more per answer.
func writeWhole(w gin.ResponseWriter, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// gzipMinSize is the smallest answer worth compressing: below it gzip's header outweighs the gain.
const gzipMinSize = 1024

// acceptsGzip tells whether an Accept-Encoding header takes gzip (and does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// etagListed tells whether an If-None-Match header names etag or is "*"; If-None-Match
// compares weakly (RFC 9110 §13.1.2), so a W/ prefix a proxy added still matches.
func etagListed(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

func (s *Server) publicPetitions(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.PublicPetitions(c.Request.Context(), id, models.PublicFilter{
		Topic: c.Query("topic"), StateType: c.Query("state_type"), HamletID: c.Query("hamlet_id"), As: c.Query("as"), Page: pg})
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) publicCommunes(c *gin.Context) {
	communes, err := s.store.PublicCommunes(c.Request.Context(), c.Query("q"))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, communes, "")
}

func (s *Server) publicSummary(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	sum, err := s.store.PublicCommuneSummary(c.Request.Context(), id, c.Query("as"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

func (s *Server) publicPetition(c *gin.Context) {
	p, err := s.store.PublicPetition(c.Request.Context(), c.Param("reference"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
