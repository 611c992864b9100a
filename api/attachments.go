package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// uploadReadTimeout is how long an upload request may take to arrive.
const uploadReadTimeout = 15 * time.Minute

// maxFilesPerUpload caps the files of one upload request.
const maxFilesPerUpload = 20

// multipartSlack is what a multipart body adds around its files (boundaries, part headers), so
// that a file of exactly the per-request size still fits.
const multipartSlack = 64 << 10

// attachmentRoutes adds the routes of photos and scanned documents.
func (s *Server) attachmentRoutes(authed, public *gin.RouterGroup) {
	authed.GET("/petitions/:id/attachments", s.listAttachments)
	authed.POST("/petitions/:id/attachments", s.uploadAttachments)
	authed.GET("/dialogues/:id/attachments", s.listAttachments)
	authed.POST("/dialogues/:id/attachments", s.uploadAttachments)
	authed.GET("/attachments/:id", s.getAttachment)
	authed.PATCH("/attachments/:id", s.updateAttachment)
	authed.DELETE("/attachments/:id", s.removeAttachment)
	authed.POST("/attachments/:id/purge", s.purgeAttachment)
	authed.GET("/attachments/:id/content", s.attachmentContent)
	authed.GET("/attachments/:id/thumbnail", s.attachmentThumbnail)

	public.GET("/petitions/:reference/photos", s.publicPhotos)
	public.GET("/photos/:id", s.publicPhotoContent)
	public.GET("/photos/:id/thumbnail", s.publicPhotoThumbnail)
}

// isUpload tells whether a request is a file upload, whose body is capped by the upload limits
// rather than the JSON one.
func isUpload(c *gin.Context) bool {
	return c.Request.Method == http.MethodPost && strings.HasSuffix(c.FullPath(), "/attachments")
}

// uploadLimit is the cap of one upload request's body.
func (s *Server) uploadLimit() int64 {
	n := s.cfg.UploadMaxRequest
	if n <= 0 {
		n = models.DefaultAttachmentMaxSize
	}
	return n + multipartSlack
}

// attachmentTarget reads the record of /petitions/:id/... or /dialogues/:id/....
func attachmentTarget(c *gin.Context) (models.AttachmentTarget, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return models.AttachmentTarget{}, false
	}
	if strings.HasPrefix(c.FullPath(), "/api/v1/dialogues/") {
		return models.AttachmentTarget{DialogueID: id}, true
	}
	return models.AttachmentTarget{PetitionID: id}, true
}

func (s *Server) listAttachments(c *gin.Context) {
	t, ok := attachmentTarget(c)
	if !ok {
		return
	}
	items, err := s.store.Attachments(c.Request.Context(), actor(c), t, c.Query("removed") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, "")
}

var (
	msgNotMultipart = models.Msg("Hãy gửi tệp dưới dạng multipart/form-data, trường \"file\".",
		"Send the files as multipart/form-data, in the field \"file\".")
	msgTooManyFiles = models.Msg(fmt.Sprintf("Mỗi lần gửi tối đa %d tệp.", maxFilesPerUpload),
		fmt.Sprintf("At most %d files per request.", maxFilesPerUpload))
)

// uploadAttachments streams the files of a multipart request, part by part, to temporary files
// (never whole in memory), then attaches them all or none. Who may attach is checked before
// a byte of the body is read.
func (s *Server) uploadAttachments(c *gin.Context) {
	t, ok := attachmentTarget(c)
	if !ok {
		return
	}
	ctx, a := c.Request.Context(), actor(c)
	if err := s.store.CanAttach(ctx, a, t); err != nil {
		s.fail(c, err)
		return
	}
	// A 20 MB photo over a slow rural link outlasts the server's read timeout; this request alone
	// gets longer (not every writer supports it, and then the server's timeout stands).
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	mr, err := c.Request.MultipartReader()
	if err != nil {
		abort(c, http.StatusUnsupportedMediaType, "unsupported_media_type", msgNotMultipart)
		return
	}
	var uploads []*models.Upload
	defer func() {
		for _, u := range uploads {
			u.Close()
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.failUpload(c, &bodyError{err})
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		if len(uploads) == maxFilesPerUpload {
			abortFields(c, "file", msgTooManyFiles)
			return
		}
		body := &bodyReader{r: part}
		u, err := s.store.ReceiveUpload(body, part.FileName(), fmt.Sprintf("file[%d]", len(uploads)))
		if err != nil && body.err != nil {
			err = &bodyError{body.err}
		}
		if err != nil {
			s.failUpload(c, err)
			return
		}
		uploads = append(uploads, u)
	}
	items, replayed, err := s.store.AttachFilesOnce(ctx, a, t, c.GetHeader("Idempotency-Key"), uploads)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	c.JSON(status, gin.H{"items": items})
}

// bodyError is a failure to read the request body: the client's doing, never a 500.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading the upload: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// bodyReader remembers the error its reader gave, to tell a bad body from a failing disk.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	return n, err
}

// failUpload answers a broken or oversized multipart body with a 4xx, anything else as usual.
func (s *Server) failUpload(c *gin.Context, err error) {
	var tooLarge *http.MaxBytesError
	var bad *bodyError
	switch {
	case errors.As(err, &tooLarge):
		mb := (tooLarge.Limit - multipartSlack) >> 20
		abort(c, http.StatusRequestEntityTooLarge, "too_large", models.Msg(
			fmt.Sprintf("Tổng dung lượng các tệp gửi một lần tối đa %d MB.", mb),
			fmt.Sprintf("The files sent at once may total at most %d MB.", mb)))
	case errors.As(err, &bad):
		abort(c, http.StatusBadRequest, "malformed_multipart", models.Msg("Dữ liệu multipart không hợp lệ.", "The multipart body is malformed."))
	default:
		s.fail(c, err)
	}
}

func (s *Server) getAttachment(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, err := s.store.Attachment(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) updateAttachment(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.AttachmentPatch
	if !s.bind(c, &in) {
		return
	}
	a, err := s.store.UpdateAttachment(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) removeAttachment(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.AttachmentRemoval
	if c.Request.ContentLength != 0 && !s.bind(c, &in) {
		return
	}
	a, err := s.store.RemoveAttachment(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) purgeAttachment(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, err := s.store.PurgeAttachment(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) attachmentContent(c *gin.Context)   { s.sendAttachment(c, false) }
func (s *Server) attachmentThumbnail(c *gin.Context) { s.sendAttachment(c, true) }

func (s *Server) sendAttachment(c *gin.Context, thumb bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, rc, err := s.store.OpenAttachment(c.Request.Context(), actor(c), id, thumb)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer rc.Close()
	f := file{ContentType: a.ContentType, Size: a.Size, Name: a.OriginalName, Download: a.Kind == models.AttachmentDocument}
	if thumb {
		f = file{ContentType: "image/jpeg", Size: -1}
	}
	s.sendFile(c, f, "no-store", rc) // photos may show faces and ID cards, like the rest of the signed-in API
}

// file is what a download reply says about the bytes it sends.
type file struct {
	ContentType string
	Size        int64 // -1 when unknown
	Name        string
	// Download asks the browser to save the file rather than show it (documents).
	Download bool
}

// sendFile streams a stored file with headers that keep a browser from running it: the type we
// sniffed, nosniff, a sandboxing CSP, and a Content-Disposition carrying the original name.
func (s *Server) sendFile(c *gin.Context, f file, cache string, r io.Reader) {
	disposition := "inline"
	if f.Download {
		disposition = "attachment"
	}
	if f.Name != "" {
		if d := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}); d != "" {
			disposition = d
		}
	}
	c.DataFromReader(http.StatusOK, f.Size, f.ContentType, r, map[string]string{
		"Content-Disposition":     disposition,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"Cache-Control":           cache,
	})
}

func (s *Server) publicPhotos(c *gin.Context) {
	items, err := s.store.PublicPhotos(c.Request.Context(), c.Param("reference"))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, "")
}

func (s *Server) publicPhotoContent(c *gin.Context)   { s.sendPublicPhoto(c, false) }
func (s *Server) publicPhotoThumbnail(c *gin.Context) { s.sendPublicPhoto(c, true) }

func (s *Server) sendPublicPhoto(c *gin.Context, thumb bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	p, rc, err := s.store.OpenPublicPhoto(c.Request.Context(), id, thumb)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer rc.Close()
	f := file{ContentType: p.ContentType, Size: -1}
	if thumb {
		f.ContentType = "image/jpeg"
	}
	// Short-lived in caches: staff may take a photo off the board at any time.
	s.sendFile(c, f, "public, max-age=60", rc)
}
