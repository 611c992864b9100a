package models

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Open311Service is a topic as an Open311 GeoReport v2 service, with the spec's element names.
type Open311Service struct {
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

// Open311Jurisdiction returns the commune an Open311 jurisdiction_id names: its official code,
// its slug or its id. An empty id is no jurisdiction (nil); an unknown one is ErrNotFound.
func (s *Store) Open311Jurisdiction(ctx context.Context, id string) (*Unit, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil
	}
	u, err := s.UnitByCodeOrID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Level != LevelCommune {
		return nil, ErrNotFound
	}
	return u, nil
}

// JurisdictionID is the Open311 jurisdiction_id of a commune: its official code, else its slug.
func JurisdictionID(u *Unit) string {
	if u.Code != nil && *u.Code != "" {
		return *u.Code
	}
	if u.Slug != nil {
		return *u.Slug
	}
	return fmt.Sprint(u.ID)
}

// Open311Services lists the active topics as Open311 services, named in lang ("en" or Vietnamese).
// Topics are the same in every commune, so the jurisdiction only has to exist.
func (s *Store) Open311Services(ctx context.Context, jurisdictionID, lang string) ([]Open311Service, error) {
	if _, err := s.Open311Jurisdiction(ctx, jurisdictionID); err != nil {
		return nil, err
	}
	topics, err := s.Topics(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]Open311Service, 0, len(topics))
	for _, t := range topics {
		name, desc := t.NameVI, fmt.Sprintf("Lĩnh vực %s; thời hạn trả lời %d ngày.", t.NameVI, t.ResponseDays)
		if lang == "en" {
			name, desc = t.NameEN, fmt.Sprintf("%s; answered within %d days.", t.NameEN, t.ResponseDays)
		}
		out = append(out, Open311Service{
			ServiceCode: t.Code, ServiceName: name, Description: desc, Metadata: false,
			Type: "realtime", Keywords: Fold(t.NameVI) + ", " + strings.ToLower(t.NameEN), Group: t.PAPIDimension,
		})
	}
	return out, nil
}

// Open311Request is a public petition as an Open311 GeoReport v2 service request.
type Open311Request struct {
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
}

// Open311RequestFilter holds the spec's query parameters, as sent.
type Open311RequestFilter struct {
	JurisdictionID   string
	ServiceRequestID string
	ServiceCode      string
	Status           string
	StartDate        string
	EndDate          string
}

// Open311MaxRequests caps one answer, as the spec suggests.
const Open311MaxRequests = 1000

// open311Window is the span of requested_datetime searched when no start_date is given.
const open311Window = 90 * 24 * time.Hour

// open311Time writes an instant as ISO 8601 with Vietnam's offset.
func open311Time(t time.Time) string { return t.In(calendar.Zone).Format(time.RFC3339) }

// open311Request turns a public petition into a service request.
func open311Request(p *PublicPetition, lang string) Open311Request {
	r := Open311Request{ServiceRequestID: p.Reference, Status: "open", ServiceCode: p.Topic.Code, ServiceName: p.Topic.Name,
		AgencyResponsible: p.Responsible, RequestedDatetime: open311Time(p.ReceivedAt), UpdatedDatetime: open311Time(p.UpdatedAt),
		Address: p.Hamlet.Name + ", " + p.Commune.Name}
	if lang == "en" {
		r.ServiceName = p.Topic.NameEN
	}
	if p.StateType != TypeOpen {
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
	if p.DueOn != nil {
		// Due by the end of that day in Vietnam.
		r.ExpectedDatetime = open311Time(p.DueOn.End().Add(-time.Second))
	}
	return r
}

// Open311Requests lists public petitions as service requests, newest first, with the spec's
// filters: service_request_id (references, comma-separated; the other filters then do not
// apply), service_code, status (open, closed), start_date and end_date (ISO 8601; by default the
// last 90 days), and jurisdiction_id (a commune).
func (s *Store) Open311Requests(ctx context.Context, f Open311RequestFilter, lang string) ([]Open311Request, error) {
	commune, err := s.Open311Jurisdiction(ctx, f.JurisdictionID)
	if err != nil {
		return nil, err
	}
	v := &ValidationError{}
	q := s.publicQuery(ctx)
	if commune != nil {
		q = q.Where("p.commune_id = ?", commune.ID)
	}
	if ids := splitList(f.ServiceRequestID); len(ids) > 0 {
		if len(ids) > Open311MaxRequests {
			v.Add("service_request_id", Msg("Tối đa 1000 mã.", "At most 1000 ids."))
		}
		for i := range ids {
			ids[i] = strings.ToUpper(ids[i])
		}
		q = q.Where("p.reference IN ?", ids)
	} else {
		if codes := splitList(f.ServiceCode); len(codes) > 0 {
			var topicIDs []int64
			for _, code := range codes {
				t, err := s.TopicByCode(ctx, code)
				if err != nil {
					v.Add("service_code", Msg("Không có dịch vụ mã "+code+".", "No service has the code "+code+"."))
					continue
				}
				topicIDs = append(topicIDs, t.ID)
			}
			q = q.Where("p.topic_id IN ?", topicIDs)
		}
		var types []StateType
		for _, st := range splitList(strings.ToLower(f.Status)) {
			switch st {
			case "open":
				types = append(types, TypeOpen)
			case "closed":
				types = append(types, TypeFixed, TypeClosed)
			default:
				v.Add("status", Msg("status phải là open hoặc closed.", "status must be open or closed."))
			}
		}
		if len(types) > 0 {
			q = q.Where("p.state_type IN ?", types)
		}
		// Bounds as everywhere: from start_date up to (not including) end_date; a bare day is a
		// whole day, so end_date=2026-03-15 takes in all of the 15th.
		start := s.now().Add(-open311Window)
		if t := boundField(v, "end_date", f.EndDate, true, Msg("end_date phải theo ISO 8601, ví dụ 2026-03-15 hoặc 2026-03-15T00:00:00+07:00.",
			"end_date must be ISO 8601, like 2026-03-15 or 2026-03-15T00:00:00+07:00.")); t != nil {
			start = t.Add(-open311Window)
			q = q.Where("p.received_at < ?", *t)
		}
		if t := boundField(v, "start_date", f.StartDate, false, Msg("start_date phải theo ISO 8601, ví dụ 2026-01-01 hoặc 2026-01-01T00:00:00+07:00.",
			"start_date must be ISO 8601, like 2026-01-01 or 2026-01-01T00:00:00+07:00.")); t != nil {
			start = *t
		}
		q = q.Where("p.received_at >= ?", start)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var rows []publicRow
	if err := q.Order("p.received_at DESC, p.id DESC").Limit(Open311MaxRequests).Scan(&rows).Error; err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]Open311Request, len(rows))
	for i := range rows {
		p := rows[i].public(today)
		out[i] = open311Request(&p, lang)
	}
	return out, nil
}

// Open311Request returns one public petition by reference as a service request; within a
// jurisdiction when one is named.
func (s *Store) Open311Request(ctx context.Context, jurisdictionID, reference, lang string) (*Open311Request, error) {
	commune, err := s.Open311Jurisdiction(ctx, jurisdictionID)
	if err != nil {
		return nil, err
	}
	p, err := s.PublicPetition(ctx, reference)
	if err != nil {
		return nil, err
	}
	if commune != nil && p.Commune.ID != commune.ID {
		return nil, ErrNotFound
	}
	r := open311Request(p, lang)
	return &r, nil
}
