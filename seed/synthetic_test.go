package seed_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/seed"
)

func TestSeedSynthetic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		var progress bytes.Buffer
		res, err := seed.Synthetic(ctx, s, seed.SyntheticOptions{Communes: 12, Years: 2, PetitionsPerCommuneYear: 30, Seed: 7, Progress: &progress})
		if err != nil {
			t.Fatal(err)
		}
		if res.Communes != 12 || res.Districts != 2 || res.Provinces != 1 || res.Petitions < 12*2*20 || res.Events <= res.Petitions || res.Dialogues == 0 {
			t.Fatalf("result %+v", res)
		}
		if !strings.Contains(progress.String(), "12/12 communes") {
			t.Fatalf("progress %q", progress.String())
		}
		db := s.Gorm()
		// scan runs a counting query; a query that fails is a failure, not a zero.
		scan := func(dest any, query string, args ...any) {
			t.Helper()
			if err := db.Raw(query, args...).Scan(dest).Error; err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		// What the result says it created is what the database holds.
		for _, c := range []struct {
			query string
			want  int64
		}{
			{"SELECT COUNT(*) FROM units WHERE level = 'province'", int64(res.Provinces)},
			{"SELECT COUNT(*) FROM units WHERE level = 'district'", int64(res.Districts)},
			{"SELECT COUNT(*) FROM units WHERE level = 'commune'", int64(res.Communes)},
			{"SELECT COUNT(*) FROM units WHERE level = 'hamlet'", int64(res.Hamlets)},
			{"SELECT COUNT(*) FROM users", int64(res.Users)},
			{"SELECT COUNT(*) FROM dialogues", res.Dialogues},
			{"SELECT COUNT(*) FROM petitions", res.Petitions},
			{"SELECT COUNT(*) FROM petition_events", res.Events},
		} {
			var got int64
			scan(&got, c.query)
			if got != c.want {
				t.Errorf("%s: %d rows, the result says %d", c.query, got, c.want)
			}
		}
		var states []string
		scan(&states, "SELECT DISTINCT state FROM petitions ORDER BY state")
		if len(states) < 6 {
			t.Errorf("states %v", states)
		}
		var dupRefs, badTypes, eventless int64
		scan(&dupRefs, "SELECT COUNT(*) FROM (SELECT reference FROM petitions GROUP BY reference HAVING COUNT(*) > 1) d")
		scan(&badTypes, `SELECT COUNT(*) FROM petitions WHERE state_type <> CASE state WHEN 'resolved' THEN 'fixed' WHEN 'closed' THEN 'closed' ELSE 'open' END`)
		scan(&eventless, "SELECT COUNT(*) FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM petition_events e WHERE e.petition_id = p.id)")
		if dupRefs != 0 || badTypes != 0 || eventless != 0 {
			t.Fatalf("duplicate references %d, wrong types %d, petitions without history %d", dupRefs, badTypes, eventless)
		}
		// The generated users work, and new petitions continue the references and ids.
		var secretaryID, communeID, hamletID int64
		if err := db.Raw("SELECT id, unit_id FROM users WHERE role = 'secretary' ORDER BY id LIMIT 1").Row().Scan(&secretaryID, &communeID); err != nil {
			t.Fatal(err)
		}
		scan(&hamletID, "SELECT id FROM units WHERE parent_id = ? ORDER BY id LIMIT 1", communeID)
		u, err := s.User(ctx, models.SystemActor(), secretaryID)
		if err != nil {
			t.Fatal(err)
		}
		unit, err := s.Unit(ctx, models.SystemActor(), communeID)
		if err != nil {
			t.Fatal(err)
		}
		sec := models.ActorOf(u, unit)
		var last string
		scan(&last, "SELECT reference FROM petitions WHERE commune_id = ? ORDER BY reference DESC LIMIT 1", communeID)
		p, err := s.CreatePetition(ctx, sec, models.PetitionInput{CommuneID: communeID, HamletID: hamletID, Channel: "phone",
			Kind: "phan_anh", TopicCode: "GT", Content: "Đường vào ấp bị ngập sau cơn mưa lớn."})
		if err != nil {
			t.Fatal(err)
		}
		if p.Reference <= last || !strings.HasPrefix(p.Reference, *unit.Slug+"-") {
			t.Fatalf("new reference %s after %s", p.Reference, last)
		}
		items, _, err := s.Petitions(ctx, sec, models.PetitionFilter{Overdue: "true"})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if !it.Overdue || it.CommuneID != communeID {
				t.Fatalf("overdue list item %+v", it)
			}
		}
		if _, err := seed.Synthetic(ctx, s, seed.SyntheticOptions{Communes: 1, Years: 1}); err == nil {
			t.Fatal("second synthetic load accepted")
		}
	})
}
