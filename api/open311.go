package api

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// Open311 GeoReport v2 (read side). Every route has a .json and a .xml form; Gin cannot put a
// parameter before the dot, so each form is its own route and the handler reads the suffix.

// open311Format tells whether the request asks for XML, from the suffix of its path.
func open311Format(c *gin.Context) string {
	if strings.HasSuffix(c.Request.URL.Path, ".xml") {
		return "xml"
	}
	return "json"
}

// open311Error is one error of the spec's shape: [{"code": 404, "description": "..."}].
type open311Error struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

type open311Errors struct {
	XMLName xml.Name       `xml:"errors"`
	Errors  []open311Error `xml:"error"`
}

// open311Fail answers an error in the spec's shape; unknown errors are logged and shown as 500.
func (s *Server) open311Fail(c *gin.Context, err error) {
	status, m := http.StatusInternalServerError, msgInternal
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrNotFound):
		status, m = http.StatusNotFound, msgNotFound
	case errors.As(err, &verr):
		status = http.StatusBadRequest
		var parts []string
		for field, fm := range verr.Fields {
			parts = append(parts, field+": "+fm.In(lang(c)))
		}
		m = models.Msg(strings.Join(parts, "; "), strings.Join(parts, "; "))
	default:
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID),
			"path", c.FullPath(), "error", err)
	}
	e := open311Error{Code: status, Description: m.In(lang(c))}
	if open311Format(c) == "xml" {
		c.Abort()
		renderXML(c, status, open311Errors{Errors: []open311Error{e}})
		return
	}
	c.AbortWithStatusJSON(status, []open311Error{e})
}

// renderXML writes v as an XML document with its declaration.
func renderXML(c *gin.Context, status int, v any) {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Data(status, "text/xml; charset=utf-8", append([]byte(xml.Header), body...))
}

// open311Render writes a list in the requested format: a JSON array, or XML under root.
func open311Render[T any](c *gin.Context, root string, items []T) {
	if items == nil {
		items = []T{}
	}
	if open311Format(c) == "xml" {
		renderXML(c, http.StatusOK, struct {
			XMLName xml.Name
			Items   []T
		}{XMLName: xml.Name{Local: root}, Items: items})
		return
	}
	c.JSON(http.StatusOK, items)
}

func (s *Server) open311Services(c *gin.Context) {
	services, err := s.store.Open311Services(c.Request.Context(), c.Query("jurisdiction_id"), lang(c))
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	open311Render(c, "services", services)
}

func (s *Server) open311Requests(c *gin.Context) {
	reqs, err := s.store.Open311Requests(c.Request.Context(), models.Open311RequestFilter{
		JurisdictionID: c.Query("jurisdiction_id"), ServiceRequestID: c.Query("service_request_id"),
		ServiceCode: c.Query("service_code"), Status: c.Query("status"),
		StartDate: c.Query("start_date"), EndDate: c.Query("end_date")}, lang(c))
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	open311Render(c, "service_requests", reqs)
}

// open311Request answers /requests/{id}.json or .xml: a list of one, as the spec has it.
func (s *Server) open311Request(c *gin.Context) {
	ref, ok := strings.CutSuffix(c.Param("request"), ".json")
	if !ok {
		ref, ok = strings.CutSuffix(c.Param("request"), ".xml")
	}
	if !ok {
		s.open311Fail(c, models.ErrNotFound)
		return
	}
	r, err := s.store.Open311Request(c.Request.Context(), c.Query("jurisdiction_id"), ref, lang(c))
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	open311Render(c, "service_requests", []models.Open311Request{*r})
}
