package seed

import (
	"context"
	"fmt"

	"github.com/papi-dialogue/papi/models"
)

// demoAssignees are the officers of xã Tân Thới petitions are assigned to, and who holds each:
// the land officer signs in as land.tanthoi; the others have no account yet.
var demoAssignees = []struct{ Name, Holder string }{
	{"Địa chính – Xây dựng – Nông nghiệp – Môi trường", "land.tanthoi"},
	{"Tư pháp – Hộ tịch", ""},
	{"Văn hóa – Xã hội", ""},
	{"Công an xã", ""},
}

// loadAssignees gives xã Tân Thới its officers, unless it has some already.
func (d *Demo) loadAssignees(ctx context.Context, s *models.Store) error {
	chair, err := d.actor("chair.tanthoi")
	if err != nil {
		return err
	}
	commune := d.Units["Tân Thới"]
	have, err := s.Assignees(ctx, chair, commune.ID, true)
	if err != nil || len(have) > 0 {
		return err
	}
	for _, a := range demoAssignees {
		name := a.Name
		in := models.AssigneeInput{CommuneID: commune.ID, Name: &name}
		if a.Holder != "" {
			in.UserID = &d.Users[a.Holder].ID
		}
		if _, err := s.CreateAssignee(ctx, chair, in); err != nil {
			return fmt.Errorf("demo officer %s: %w", a.Name, err)
		}
	}
	return nil
}
