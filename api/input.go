package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// What comes in is checked here, once, before any handler reads it: text that PostgreSQL would
// refuse (a NUL, bytes that are not UTF-8) never reaches a query, on either database, and JSON
// bodies are read strictly, so a typo in a field name or a second document is an error the
// client sees rather than data silently dropped.

var (
	msgBadText = models.Msg("Không được chứa ký tự NUL hoặc byte không phải UTF-8.",
		"Must not contain a NUL character or bytes that are not UTF-8.")
	msgBadPath = models.Msg("Đường dẫn chứa ký tự NUL hoặc byte không phải UTF-8.",
		"The path contains a NUL character or bytes that are not UTF-8.")
	msgBodyNotUTF8 = models.Msg("Dữ liệu gửi lên không phải UTF-8 hợp lệ.", "The request body is not valid UTF-8.")
	msgTrailing    = models.Msg("Dữ liệu thừa sau tài liệu JSON; chỉ gửi một tài liệu.",
		"Unexpected data after the JSON document; send exactly one document.")
)

// cleanText tells whether s is text every database stores as sent: valid UTF-8 without NUL.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// refuseBadText answers 400 to a path, and 422 to query parameters or an Idempotency-Key,
// holding a NUL or bytes that are not UTF-8.
func (s *Server) refuseBadText(c *gin.Context) {
	if !cleanText(c.Request.URL.Path) {
		abort(c, http.StatusBadRequest, "bad_path", msgBadPath)
		return
	}
	v := &models.ValidationError{}
	query, _ := url.ParseQuery(c.Request.URL.RawQuery)
	for name, values := range query {
		for _, value := range values {
			if !cleanText(name) || !cleanText(value) {
				v.Add(strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "?"), msgBadText)
			}
		}
	}
	if !cleanText(c.GetHeader("Idempotency-Key")) {
		v.Add("Idempotency-Key", msgBadText)
	}
	if err := v.Err(); err != nil {
		s.fail(c, err)
		return
	}
	c.Next()
}

// pathID reads an id from the path, plain decimal; anything else is an unknown record.
func pathID(c *gin.Context, name string) (int64, bool) {
	id, ok := models.ParseID(c.Param(name))
	if !ok {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
	}
	return id, ok
}

// bind decodes the JSON body straight into a models input, which the store validates. The body
// must be one JSON document in UTF-8, without duplicate keys, unknown fields or NUL characters.
// On failure bind writes the error (400 naming what is wrong with the JSON, 422 for a value of
// the wrong type or a NUL in a field) and returns false.
func (s *Server) bind(c *gin.Context, into any) bool {
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		abort(c, http.StatusUnsupportedMediaType, "unsupported_media_type", msgUnsupported)
		return false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err == nil {
		err = decodeStrict(body, into)
	}
	if err == nil {
		return true
	}
	s.badBody(c, err)
	return false
}

// Problems of a JSON body that decoding alone would let through.
var (
	errNotUTF8  = errors.New("body is not UTF-8")
	errTrailing = errors.New("data after the JSON document")
)

// keyError is a duplicate or unknown key, or a NUL in a string, at a path such as "agenda[1]".
type keyError struct {
	code string // duplicate_key, unknown_field or nul
	path string
}

func (e *keyError) Error() string { return e.code + " at " + e.path }

// decodeStrict decodes body into into, refusing what encoding/json would accept silently.
func decodeStrict(body []byte, into any) error {
	if !utf8.Valid(body) {
		return errNotUTF8
	}
	if err := scanJSON(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		// encoding/json reports an unknown field with an untyped error of this form only.
		if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
			return &keyError{code: "unknown_field", path: strings.TrimSuffix(name, `"`)}
		}
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// jsonFrame is an object or array being scanned, with the keys seen in an object.
type jsonFrame struct {
	path   string
	object bool
	keys   map[string]bool
	key    string // the key whose value comes next, in an object
	index  int    // the index of the next element, in an array
	expect bool   // an object expects a key next
}

// child returns the path of the value that comes next in f; "" for the document itself.
func (f *jsonFrame) child() string {
	switch {
	case f == nil:
		return ""
	case f.object:
		if f.path == "" {
			return f.key
		}
		return f.path + "." + f.key
	}
	return fmt.Sprintf("%s[%d]", f.path, f.index)
}

// scanJSON walks the first document of body and reports a duplicate key or a NUL in a key or
// a string value by its path. Syntax errors are left for the decoder to report.
func scanJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		delim, isDelim := tok.(json.Delim)
		switch {
		case isDelim && (delim == '}' || delim == ']'):
			stack = stack[:len(stack)-1]
		case top != nil && top.expect: // inside an object the decoder yields keys there
			if err := top.takeKey(tok.(string)); err != nil {
				return err
			}
			continue
		case isDelim: // '{' or '['
			stack = append(stack, &jsonFrame{path: top.child(), object: delim == '{', keys: map[string]bool{}, expect: delim == '{'})
			continue
		default:
			if text, ok := tok.(string); ok && strings.ContainsRune(text, 0) {
				return &keyError{code: "nul", path: top.child()}
			}
		}
		if len(stack) == 0 {
			return nil
		}
		stack[len(stack)-1].advance()
	}
}

// takeKey records the next key of an object, refusing a duplicate or a NUL in it.
func (f *jsonFrame) takeKey(key string) error {
	f.key, f.expect = key, false
	switch {
	case strings.ContainsRune(key, 0):
		return &keyError{code: "nul", path: f.child()}
	case f.keys[key]:
		return &keyError{code: "duplicate_key", path: f.child()}
	}
	f.keys[key] = true
	return nil
}

// advance moves f past one value.
func (f *jsonFrame) advance() {
	if f.object {
		f.expect = true
	} else {
		f.index++
	}
}

// badBody writes the error of a body bind refused.
func (s *Server) badBody(c *gin.Context, err error) {
	var (
		typeErr *json.UnmarshalTypeError
		maxErr  *http.MaxBytesError
		keyErr  *keyError
	)
	switch {
	case errors.As(err, &maxErr):
		abort(c, http.StatusRequestEntityTooLarge, "too_large", msgTooLarge)
	case errors.Is(err, errNotUTF8):
		abort(c, http.StatusBadRequest, "invalid_utf8", msgBodyNotUTF8)
	case errors.Is(err, errTrailing):
		abort(c, http.StatusBadRequest, "trailing_data", msgTrailing)
	case errors.As(err, &keyErr) && keyErr.code == "nul":
		s.fail(c, models.FieldError(keyErr.path, msgBadText))
	case errors.As(err, &keyErr) && keyErr.code == "duplicate_key":
		abort(c, http.StatusBadRequest, "duplicate_key", models.Msg("Khóa JSON bị lặp: "+keyErr.path+".",
			"Duplicate JSON key: "+keyErr.path+"."))
	case errors.As(err, &keyErr):
		abort(c, http.StatusBadRequest, "unknown_field", models.Msg("Trường không được hỗ trợ: "+keyErr.path+".",
			"Unknown field: "+keyErr.path+"."))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		s.fail(c, models.FieldError(field, models.Msg("Sai kiểu dữ liệu (cần "+typeName(typeErr.Type)+").",
			"Wrong type (expected "+typeName(typeErr.Type)+").")))
	default:
		abort(c, http.StatusBadRequest, "malformed_json", msgMalformed)
	}
}
