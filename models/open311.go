package models

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
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
