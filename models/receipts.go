package models

import (
	"context"
	"strings"
)

// Receipt is the intake receipt (phiếu tiếp nhận) handed to a resident: what was received, when,
// how and by whom, when an answer is due, and the petition's reference and where to follow it.
type Receipt struct {
	Petition                 *Petition
	Authority, AuthorityUnit string
	PlaceDate                string
	ReceivedAt               string
	Kind                     string
	Channel                  string
	Topic                    string
	Hamlet                   string
	Commune                  string
	// Petitioner is who raised it, when the reader may know and it was not anonymous;
	// IDNumber their identification number, shown masked but for its last four characters.
	Petitioner string
	IDNumber   string
	// Letter is the incoming document of a letter ("số 125/UBND ngày 28/11/2026"), else empty.
	Letter string
	// DueOn is when an answer is due (dd/mm/yyyy) and DueRule the rule that set it.
	DueOn, DueRule string
	// ReceivedBy is the staff member who logged it.
	ReceivedBy string
	// Notice says how the resident hears of the outcome: the channel they agreed to, masked.
	Notice string
	// Link is the petition's public page; empty for one never shown to the public, which the
	// resident follows at the commune's desk by its reference.
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
	topic, err := s.Topic(ctx, p.TopicID)
	if err != nil {
		return nil, err
	}
	kind, proper := communeTitle(commune.Name)
	r := &Receipt{Petition: p, Authority: "ỦY BAN NHÂN DÂN", AuthorityUnit: strings.ToUpper(kind + " " + proper),
		PlaceDate: proper + ", " + VietnameseDate(p.ReceivedAt), ReceivedAt: VietnameseTime(p.ReceivedAt),
		Kind: petitionKindLabels[p.Kind], Channel: ChannelLabel(p.Channel), Topic: topic.NameVI, Hamlet: hamlet.Name, Commune: commune.Name,
		DueRule: p.DueRuleText}
	if p.DueOn != nil {
		r.DueOn = p.DueOn.Format("02/01/2006")
	}
	if p.Petitioner != nil {
		r.Petitioner, r.IDNumber = p.Petitioner.Name, maskIDNumber(p.Petitioner.IDNumber)
	}
	r.Letter = letterText(p)
	if err := s.conn(ctx).Table("users").Select("full_name").Where("id = ?", p.CreatedBy).Limit(1).Scan(&r.ReceivedBy).Error; err != nil {
		return nil, err
	}
	if c := p.Consent; c != nil && c.Agrees && !c.OptedOut {
		r.Notice = notifyChannelLabels[c.Channel] + " " + MaskContact(c.Contact)
	}
	if !p.Private {
		r.Link = s.PetitionLink(p)
	}
	return r, nil
}

// notifyChannelLabels name the channels a resident may hear by, as the receipt prints them.
var notifyChannelLabels = map[NotifyChannel]string{NotifySMS: "tin nhắn SMS tới số", NotifyEmail: "thư điện tử tới", NotifyZalo: "Zalo tới số"}

// letterText is a letter's incoming document as the receipt prints it, or empty.
func letterText(p *Petition) string {
	var parts []string
	if p.IncomingNumber != "" {
		parts = append(parts, "số "+p.IncomingNumber)
	}
	if p.IncomingDate != nil {
		parts = append(parts, "ngày "+p.IncomingDate.Format("02/01/2006"))
	}
	return strings.Join(parts, " ")
}

// maskIDNumber hides all but the last four characters of an identification number, so a lost
// receipt does not hand it to whoever finds it.
func maskIDNumber(id string) string {
	if len(id) <= 4 {
		return id
	}
	return strings.Repeat("*", len(id)-4) + id[len(id)-4:]
}
