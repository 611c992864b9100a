package api

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// open311Routes registers Open311 GeoReport v2, read side: public, no session.
func (s *Server) open311Routes(r *gin.Engine) {
	open311 := r.Group("/open311/v2", s.limitClients, publicCache)
	open311.GET("/services.json", s.open311Services)
	open311.GET("/services.xml", s.open311Services)
	open311.GET("/requests.json", s.open311Requests)
	open311.GET("/requests.xml", s.open311Requests)
	open311.GET("/requests/:request", s.open311Request)
}

// Open311 GeoReport v2 (read side). Every route has a .json and a .xml form; Gin cannot put a
// parameter before the dot, so each form is its own route and the handler reads the suffix.

// open311Format tells whether the request asks for XML, from the suffix of its path.
func open311Format(c *gin.Context) string {
	if strings.HasSuffix(c.Request.URL.Path, ".xml") {
		return "xml"
	}
	return "json"
}

// open311Extensions tells whether the client asks for extended_attributes (extensions=true).
func open311Extensions(c *gin.Context) bool { return c.Query("extensions") == "true" }

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

// open311Service is a topic as an Open311 GeoReport v2 service, with the spec's element names.
type open311Service struct {
	XMLName     xml.Name `json:"-" xml:"service"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	Description string   `json:"description" xml:"description"`
	// Metadata is false: a petition needs no attributes beyond the standard fields.
	Metadata bool   `json:"metadata" xml:"metadata"`
	Type     string `json:"type" xml:"type"`
	Keywords string `json:"keywords" xml:"keywords"`
	// Group is the PAPI dimension the topic feeds.
	Group string `json:"group" xml:"group"`
}

// open311Request is a public petition as an Open311 GeoReport v2 service request.
type open311Request struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime" xml:"expected_datetime"`
	// Address is where the matter lies: the hamlet and the commune, never the petitioner's home.
	Address   string `json:"address" xml:"address"`
	AddressID string `json:"address_id" xml:"address_id"`
	Zipcode   string `json:"zipcode" xml:"zipcode"`
	MediaURL  string `json:"media_url" xml:"media_url"`
	// Extended is given when the client asks for extensions=true (GeoReport v2 extensions).
	Extended *open311Extended `json:"extended_attributes,omitempty" xml:"extended_attributes,omitempty"`
}

// open311Extended is what a petition adds to the standard fields: a matter raised in several
// hamlets is listed once, under its main petition, with how many times it was raised; a linked
// petition, looked up by its own id, names its main one.
type open311Extended struct {
	TimesRaised   int    `json:"times_raised" xml:"times_raised"`
	MainRequestID string `json:"main_request_id,omitempty" xml:"main_request_id,omitempty"`
}

// open311MaxRequests caps the ids one request may name, as the spec suggests.
const open311MaxRequests = 1000

// open311PageSize is the page_size of a request that names none; models.MaxPageSize is the most.
const open311PageSize = 50

// open311Window is the span of requested_datetime searched when no start_date is given.
const open311Window = 90 * 24 * time.Hour

// open311Time writes an instant as ISO 8601 with Vietnam's offset.
func open311Time(t time.Time) string { return t.In(calendar.Zone).Format(time.RFC3339) }

// open311ServiceOf turns a topic into a service, named in lang ("en" or Vietnamese).
func open311ServiceOf(t models.Topic, lang string) open311Service {
	name, desc := t.NameVI, fmt.Sprintf("Lĩnh vực %s; thời hạn trả lời %d ngày.", t.NameVI, t.ResponseDays)
	if lang == "en" {
		name, desc = t.NameEN, fmt.Sprintf("%s; answered within %d days.", t.NameEN, t.ResponseDays)
	}
	return open311Service{ServiceCode: t.Code, ServiceName: name, Description: desc, Metadata: false,
		Type: "realtime", Keywords: models.Fold(t.NameVI) + ", " + strings.ToLower(t.NameEN), Group: t.PAPIDimension}
}

// open311RequestOf turns a public petition into a service request; a matter raised more than
// once says so at the end of its description, and in extended_attributes when extended.
func open311RequestOf(p *models.PublicPetition, lang string, extended bool) open311Request {
	r := open311Request{ServiceRequestID: p.Reference, Status: "open", ServiceCode: p.Topic.Code, ServiceName: p.Topic.Name,
		AgencyResponsible: p.Responsible, RequestedDatetime: open311Time(p.ReceivedAt), UpdatedDatetime: open311Time(p.UpdatedAt),
		Address: p.Hamlet.Name + ", " + p.Commune.Name}
	if lang == "en" {
		r.ServiceName = p.Topic.NameEN
	}
	if p.StateType != models.TypeOpen {
		r.Status = "closed"
	}
	if r.AgencyResponsible == "" {
		r.AgencyResponsible = "UBND " + p.Commune.Name
	}
	if p.Answer != nil {
		r.StatusNotes = *p.Answer
	}
	if p.Content != nil {
		r.Description = *p.Content
	}
	if p.TimesRaised > 1 {
		raised := fmt.Sprintf("Vấn đề này được nêu %d lần.", p.TimesRaised)
		if lang == "en" {
			raised = fmt.Sprintf("This matter was raised %d times.", p.TimesRaised)
		}
		r.Description = strings.TrimSpace(r.Description + " " + raised)
	}
	if extended {
		r.Extended = &open311Extended{TimesRaised: p.TimesRaised}
		if p.MainReference != nil {
			r.Extended.MainRequestID = *p.MainReference
		}
	}
	if p.DueOn != nil {
		// Due by the end of that day in Vietnam.
		r.ExpectedDatetime = open311Time(p.DueOn.End().Add(-time.Second))
	}
	return r
}

// open311Fail answers an error in the spec's shape; unknown errors are logged and shown as 500.
func (s *Server) open311Fail(c *gin.Context, err error) {
	status, m := http.StatusInternalServerError, msgInternal
	var verr *models.ValidationError
	switch {
	case models.DatabaseFailure(c.Request.Context()) != nil || models.IsUnavailable(err):
		status, m = http.StatusServiceUnavailable, msgUnavailable
		c.Header("Retry-After", retryAfterOutage)
		s.log.WarnContext(c.Request.Context(), "database unavailable", "request_id", c.GetString(ctxRequestID),
			"path", c.FullPath(), "error", err)
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
	s.open311Abort(c, status, m)
}

// open311Abort ends the request with an error in the spec's shape, in the asked format.
func (s *Server) open311Abort(c *gin.Context, status int, m models.Message) {
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
	if reqs, ok := any(items).([]open311Request); ok {
		encodedArray(c, reqs)
		return
	}
	c.JSON(http.StatusOK, items)
}

// AppendJSON appends r as encoding/json encodes it to b (TestOpen311RequestAppendJSON).
func (r *open311Request) AppendJSON(b []byte) ([]byte, error) {
	for _, f := range [...]struct{ name, value string }{
		{`{"service_request_id":`, r.ServiceRequestID}, {`,"status":`, r.Status}, {`,"status_notes":`, r.StatusNotes},
		{`,"service_name":`, r.ServiceName}, {`,"service_code":`, r.ServiceCode}, {`,"description":`, r.Description},
		{`,"agency_responsible":`, r.AgencyResponsible}, {`,"service_notice":`, r.ServiceNotice},
		{`,"requested_datetime":`, r.RequestedDatetime}, {`,"updated_datetime":`, r.UpdatedDatetime},
		{`,"expected_datetime":`, r.ExpectedDatetime}, {`,"address":`, r.Address}, {`,"address_id":`, r.AddressID},
		{`,"zipcode":`, r.Zipcode}, {`,"media_url":`, r.MediaURL},
	} {
		b = append(b, f.name...)
		b = models.AppendJSONString(b, f.value)
	}
	if x := r.Extended; x != nil {
		b = append(b, `,"extended_attributes":{"times_raised":`...)
		b = strconv.AppendInt(b, int64(x.TimesRaised), 10)
		if x.MainRequestID != "" {
			b = append(b, `,"main_request_id":`...)
			b = models.AppendJSONString(b, x.MainRequestID)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func (s *Server) open311Services(c *gin.Context) {
	ctx := c.Request.Context()
	// Topics are the same in every commune, so the jurisdiction only has to exist.
	if _, err := s.store.CommuneByRef(ctx, c.Query("jurisdiction_id")); err != nil {
		s.open311Fail(c, err)
		return
	}
	topics, err := s.store.Topics(ctx, false)
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	services := make([]open311Service, len(topics))
	for i, t := range topics {
		services[i] = open311ServiceOf(t, lang(c))
	}
	open311Render(c, "services", services)
}

// open311Requests lists public petitions as service requests, newest first, each matter once
// (petitions linked to a public main one are left out, the main one tells how many times it was
// raised), with the spec's filters: service_request_id (references, comma-separated; the other filters then do not
// apply), service_code, status (open, closed), start_date and end_date (ISO 8601; by default the
// last 90 days), jurisdiction_id (a commune), and page with page_size (50 by default, 200 at most).
func (s *Server) open311Requests(c *gin.Context) {
	ctx := c.Request.Context()
	q, err := s.open311Search(c)
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	found, err := s.store.SearchPublicPetitions(ctx, q)
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	reqs := make([]open311Request, len(found))
	for i := range found {
		reqs[i] = open311RequestOf(&found[i], lang(c), open311Extensions(c))
	}
	open311Render(c, "service_requests", reqs)
}

// open311Search reads the spec's query parameters into a search, naming every bad one.
func (s *Server) open311Search(c *gin.Context) (models.PublicSearch, error) {
	ctx := c.Request.Context()
	q := models.PublicSearch{Limit: open311PageSize}
	commune, err := s.store.CommuneByRef(ctx, c.Query("jurisdiction_id"))
	if err != nil {
		return q, err
	}
	if commune != nil {
		q.CommuneID = &commune.ID
	}
	v := &models.ValidationError{}
	open311Page(c, v, &q)
	if q.References = models.SplitList(c.Query("service_request_id")); len(q.References) > 0 {
		if len(q.References) > open311MaxRequests {
			v.Add("service_request_id", models.Msg("Tối đa 1000 mã.", "At most 1000 ids."))
		}
		return q, v.Err()
	}
	for _, code := range models.SplitList(c.Query("service_code")) {
		t, err := s.store.TopicByCode(ctx, code)
		if err != nil {
			v.Add("service_code", models.Msg("Không có dịch vụ mã "+code+".", "No service has the code "+code+"."))
			continue
		}
		q.TopicIDs = append(q.TopicIDs, t.ID)
	}
	for _, st := range models.SplitList(strings.ToLower(c.Query("status"))) {
		switch st {
		case "open":
			q.StateTypes = append(q.StateTypes, models.TypeOpen)
		case "closed":
			q.StateTypes = append(q.StateTypes, models.TypeFixed, models.TypeClosed)
		default:
			v.Add("status", models.Msg("status phải là open hoặc closed.", "status must be open or closed."))
		}
	}
	// Bounds as everywhere: from start_date up to (not including) end_date; a bare day is a
	// whole day, so end_date=2026-03-15 takes in all of the 15th.
	start := s.store.Now().UTC().Add(-open311Window)
	if t := models.RangeBound(v, "end_date", c.Query("end_date"), true, models.Msg(
		"end_date phải theo ISO 8601, ví dụ 2026-03-15 hoặc 2026-03-15T00:00:00+07:00.",
		"end_date must be ISO 8601, like 2026-03-15 or 2026-03-15T00:00:00+07:00.")); t != nil {
		start, q.Before = t.Add(-open311Window), t
	}
	if t := models.RangeBound(v, "start_date", c.Query("start_date"), false, models.Msg(
		"start_date phải theo ISO 8601, ví dụ 2026-01-01 hoặc 2026-01-01T00:00:00+07:00.",
		"start_date must be ISO 8601, like 2026-01-01 or 2026-01-01T00:00:00+07:00.")); t != nil {
		start = *t
	}
	q.From = &start
	return q, v.Err()
}

// open311Page reads the GeoReport page_size convention: page (from 1) and page_size (1 to
// models.MaxPageSize, default 50), so no public answer is larger than a signed-in list page.
func open311Page(c *gin.Context, v *models.ValidationError, q *models.PublicSearch) {
	n := 1
	if s := c.Query("page"); s != "" {
		var err error
		// A page far out only finds nothing, but its offset must not overflow.
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > 1_000_000 {
			v.Add("page", models.Msg("page phải là số nguyên từ 1 đến 1000000.", "page must be a whole number from 1 to 1000000."))
			n = 1
		}
	}
	if s := c.Query("page_size"); s != "" {
		size, err := strconv.Atoi(s)
		if err != nil || size < 1 || size > models.MaxPageSize {
			v.Add("page_size", models.Msg("page_size phải từ 1 đến 200.", "page_size must be between 1 and 200."))
		} else {
			q.Limit = size
		}
	}
	q.Offset = (n - 1) * q.Limit
}

// open311Request answers /requests/{id}.json or .xml: a list of one, as the spec has it; within
// a jurisdiction when one is named.
func (s *Server) open311Request(c *gin.Context) {
	ref, ok := strings.CutSuffix(c.Param("request"), ".json")
	if !ok {
		ref, ok = strings.CutSuffix(c.Param("request"), ".xml")
	}
	if !ok {
		s.open311Fail(c, models.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	commune, err := s.store.CommuneByRef(ctx, c.Query("jurisdiction_id"))
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	p, err := s.store.PublicPetition(ctx, ref)
	if err == nil && commune != nil && p.Commune.ID != commune.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		s.open311Fail(c, err)
		return
	}
	open311Render(c, "service_requests", []open311Request{open311RequestOf(p, lang(c), open311Extensions(c))})
}
