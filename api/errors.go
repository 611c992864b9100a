package api

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/papi-dialogue/papi/models"
)

// errorBody is the one error shape of the API (DESIGN.md §6).
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Details map[string]any    `json:"details,omitempty"`
}

var langMatcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

// lang returns "en" when the request prefers English, else "vi".
func lang(c *gin.Context) string {
	tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "vi"
	}
	_, idx, _ := langMatcher.Match(tags...)
	if idx == 1 {
		return "en"
	}
	return "vi"
}

// abort writes an error of the one shape and stops the chain.
func abort(c *gin.Context, status int, code string, m models.Message) {
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: code, Message: m.In(lang(c))}})
}

// Messages of the API layer.
var (
	msgMalformed = models.Msg("Dữ liệu gửi lên không phải JSON hợp lệ.", "The request body is not valid JSON.")
	msgInvalid   = models.Msg("Dữ liệu không hợp lệ; xem từng trường.", "The request is not valid; see the fields.")
	msgNotFound  = models.Msg("Không tìm thấy.", "Not found.")
	msgForbidden = models.Msg("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this.")
	msgUnauth    = models.Msg("Bạn cần đăng nhập.", "You need to sign in.")
	msgUnitEnded = models.Msg("Đơn vị của bạn đã được sắp xếp lại (sáp nhập, chia tách hoặc giải thể). Quản trị viên cần gán bạn vào đơn vị mới; sau đó bạn đăng nhập lại như thường.",
		"Your unit has been reorganized (merged, split or dissolved). An administrator needs to bind you to the new unit; then sign in as usual.")
	msgBadLogin     = models.Msg("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.")
	msgRateLimited  = models.Msg("Quá nhiều lần thử; hãy thử lại sau ít phút.", "Too many attempts; try again in a few minutes.")
	msgCSRF         = models.Msg("Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).", "Missing or wrong X-CSRF-Token.")
	msgInternal     = models.Msg("Lỗi hệ thống; vui lòng thử lại sau.", "Something went wrong on our side; please try again later.")
	msgTooLarge     = models.Msg("Dữ liệu gửi lên quá lớn.", "The request body is too large.")
	msgUnsupported  = models.Msg("Chỉ nhận dữ liệu JSON.", "Only JSON is accepted.")
	msgConflictBase = models.Msg("Xung đột dữ liệu.", "Conflict.")
	msgUnavailable  = models.Msg("Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít giây.",
		"The database is out of reach for the moment; please try again in a few seconds.")
)

// retryAfterOutage is how many seconds a client waits before retrying a request the database
// could not serve: about what a restart of PostgreSQL takes.
const retryAfterOutage = "5"

// outage answers 503 with Retry-After when err, or any failure of the database during this
// request, says the database is out of reach: whatever the code made of a failed lookup (an
// unknown commune, a wrong password), the truth is an outage. It reports whether it answered.
func (s *Server) outage(c *gin.Context, err error) bool {
	cause := models.DatabaseFailure(c.Request.Context())
	if cause == nil && models.IsUnavailable(err) {
		cause = err
	}
	if cause == nil {
		return false
	}
	s.log.WarnContext(c.Request.Context(), "database unavailable", "request_id", c.GetString(ctxRequestID),
		"method", c.Request.Method, "path", c.FullPath(), "error", err, "cause", cause)
	c.Header("Retry-After", retryAfterOutage)
	abort(c, http.StatusServiceUnavailable, "unavailable", msgUnavailable)
	return true
}

// watchDatabase lets the store tell the request whether the database failed (see outage).
func watchDatabase(c *gin.Context) {
	c.Request = c.Request.WithContext(models.WatchDatabase(c.Request.Context()))
	c.Next()
}

// fail maps a domain error to its status and writes it. An outage of the database is a 503;
// unknown errors are logged with the request id and answered with a plain 500 that shows
// nothing internal.
func (s *Server) fail(c *gin.Context, err error) {
	if s.outage(c, err) {
		return
	}
	var (
		verr *models.ValidationError
		cerr *models.ConflictError
	)
	l := lang(c)
	switch {
	case errors.As(err, &verr):
		fields := make(map[string]string, len(verr.Fields))
		for k, m := range verr.Fields {
			fields[k] = m.In(l)
		}
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, errorBody{Error: errorDetail{
			Code: "validation_failed", Message: msgInvalid.In(l), Fields: fields}})
	case errors.As(err, &cerr):
		c.AbortWithStatusJSON(http.StatusConflict, errorBody{Error: errorDetail{
			Code: cerr.Reason, Message: cerr.Message.In(l), Details: cerr.Details}})
	case errors.Is(err, models.ErrNotFound):
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
	case errors.Is(err, models.ErrForbidden):
		abort(c, http.StatusForbidden, "forbidden", msgForbidden)
	case errors.Is(err, models.ErrUnauthenticated):
		abort(c, http.StatusUnauthorized, "unauthenticated", msgUnauth)
	case errors.Is(err, models.ErrUnitEnded):
		abort(c, http.StatusForbidden, "unit_reorganized", msgUnitEnded)
	case errors.Is(err, models.ErrRateLimited):
		var rl *models.RateLimitError
		if errors.As(err, &rl) {
			c.Header("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())))
		}
		abort(c, http.StatusTooManyRequests, "rate_limited", msgRateLimited)
	case errors.Is(err, models.ErrConflict):
		abort(c, http.StatusConflict, "conflict", msgConflictBase)
	case clientGone(c):
		c.AbortWithStatus(statusClientGone) // the client hung up: no one to answer, nothing failed here
	default:
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID),
			"method", c.Request.Method, "path", c.FullPath(), "error", err)
		abort(c, http.StatusInternalServerError, "internal", msgInternal)
	}
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "?"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Pointer:
		return typeName(t.Elem())
	}
	return t.String()
}
