package models

import (
	"context"
	"strings"
)

// Receipt is the intake receipt (phiếu tiếp nhận) handed to a resident: the petition's
// reference and where to follow it.
type Receipt struct {
	Petition                 *Petition
	Authority, AuthorityUnit string
	PlaceDate                string
	ReceivedAt               string
	Kind                     string
	Hamlet                   string
	// Petitioner is who raised it, when the reader may know and it was not anonymous.
	Petitioner string
	// Link is the petition's public page; empty for one never shown to the public.
	Link string
}

// PetitionReceipt gathers the receipt of a petition the actor sees.
func (s *Store) PetitionReceipt(ctx context.Context, actor Actor, id int64) (*Receipt, error) {
	p, err := s.Petition(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	commune, err := s.unitByID(ctx, p.CommuneID)
	if err != nil {
		return nil, err
	}
	hamlet, err := s.unitByID(ctx, p.HamletID)
	if err != nil {
		return nil, err
	}
	kind, proper := communeTitle(commune.Name)
	r := &Receipt{Petition: p, Authority: "ỦY BAN NHÂN DÂN", AuthorityUnit: strings.ToUpper(kind + " " + proper),
		PlaceDate: proper + ", " + VietnameseDate(p.ReceivedAt), ReceivedAt: VietnameseTime(p.ReceivedAt),
		Kind: petitionKindLabels[p.Kind], Hamlet: hamlet.Name}
	if p.Petitioner != nil {
		r.Petitioner = p.Petitioner.Name
	}
	if !p.Private {
		r.Link = s.PetitionLink(p)
	}
	return r, nil
}
