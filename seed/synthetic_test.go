package seed_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs/blobstest"
	"github.com/papi-dialogue/papi/models/calendar"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/seed"
)

func TestSeedSynthetic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		s.Blobs = blobstest.Dir(t)
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
			{"SELECT COUNT(*) FROM units WHERE level = 'commune'", int64(res.Communes + res.Successors)},
			{"SELECT COUNT(*) FROM units WHERE level = 'hamlet'", int64(res.Hamlets)},
			{"SELECT COUNT(*) FROM users", int64(res.Users)},
			{"SELECT COUNT(*) FROM dialogues", res.Dialogues},
			{"SELECT COUNT(*) FROM petitions", res.Petitions},
			{"SELECT COUNT(*) FROM petition_events", res.Events},
			{"SELECT COUNT(*) FROM attachments", res.Photos},
		} {
			var got int64
			scan(&got, c.query)
			if got != c.want {
				t.Errorf("%s: %d rows, the result says %d", c.query, got, c.want)
			}
		}
		checkPhotos(t, s, res, scan)
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

// The synthetic data set has history: communes merged half-way, their later work in the
// successor, and reports that add up either way.
func TestSyntheticHasMergedCommunes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		res, err := seed.Synthetic(ctx, s, seed.SyntheticOptions{Communes: 25, Years: 2, PetitionsPerCommuneYear: 20, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		// Districts 2 and 3: six communes in twos threes, then five as three and two.
		if res.Merged != 11 || res.Successors != 4 || res.Photos != 0 {
			t.Fatalf("merged %d into %d; %d photos without a blob store", res.Merged, res.Successors, res.Photos)
		}
		var ended, lineage, waiting int64
		db := s.Gorm()
		db.Raw("SELECT COUNT(*) FROM units WHERE level = 'commune' AND valid_to IS NOT NULL").Scan(&ended)
		db.Raw("SELECT COUNT(*) FROM unit_lineage").Scan(&lineage)
		db.Raw("SELECT COUNT(*) FROM users JOIN units ON units.id = users.unit_id WHERE units.valid_to IS NOT NULL").Scan(&waiting)
		if ended != 11 || lineage != 11 || waiting != 0 {
			t.Fatalf("ended %d, lineage %d, users waiting %d", ended, lineage, waiting)
		}
		sys := models.SystemActor()
		today := time.Now().In(calendar.Zone)
		period := models.PeriodInput{From: today.AddDate(-3, 0, 0).Format(time.DateOnly), To: today.Format(time.DateOnly)}
		report := func(unit int64, as string) models.Figures {
			t.Helper()
			sum, err := s.SummaryReport(ctx, sys, models.SummaryInput{UnitID: fmt.Sprint(unit), Period: period, As: as})
			if err != nil {
				t.Fatal(err)
			}
			return sum.Figures
		}
		var successors []int64
		db.Raw("SELECT DISTINCT successor_id FROM unit_lineage ORDER BY successor_id").Scan(&successors)
		for _, succ := range successors {
			now, own := report(succ, "now"), report(succ, "then")
			var preds []int64
			db.Raw("SELECT predecessor_id FROM unit_lineage WHERE successor_id = ?", succ).Scan(&preds)
			petitions, dialogues, attendance := own.Petitions.Total, own.Dialogues.Total, own.Attendance.Total
			for _, p := range preds {
				f := report(p, "then")
				petitions, dialogues, attendance = petitions+f.Petitions.Total, dialogues+f.Dialogues.Total, attendance+f.Attendance.Total
			}
			if now.Petitions.Total != petitions || now.Dialogues.Total != dialogues || now.Attendance.Total != attendance || own.Petitions.Total == 0 {
				t.Fatalf("successor %d: now %d/%d/%d, then summed %d/%d/%d (own %d)", succ, now.Petitions.Total, now.Dialogues.Total,
					now.Attendance.Total, petitions, dialogues, attendance, own.Petitions.Total)
			}
		}
	})
}

// checkPhotos: the synthetic photos are one file in the blob store, shared by some of the
// petitions the public may see; most of them, never one of a private petition or of a
// denunciation, are public; and the board shows the uploaded one.
func checkPhotos(t *testing.T, s *models.Store, res *seed.SyntheticResult, scan func(dest any, query string, args ...any)) {
	t.Helper()
	ctx := context.Background()
	var sums []string
	scan(&sums, "SELECT sha256 FROM attachments UNION SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 IS NOT NULL")
	if res.Photos < 10 || len(sums) != 2 {
		t.Fatalf("%d photos with %d files, want many photos sharing a photo and its thumbnail", res.Photos, len(sums))
	}
	for _, sum := range sums {
		rc, err := s.Blobs.Open(ctx, sum)
		if err != nil {
			t.Fatalf("file %s: %v", sum, err)
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil || hex.EncodeToString(h.Sum(nil)) != sum {
			t.Fatalf("file %s does not hold its bytes: %v", sum, err)
		}
	}
	var public, misplaced int64
	scan(&public, "SELECT COUNT(*) FROM attachments WHERE public = TRUE")
	scan(&misplaced, `SELECT COUNT(*) FROM attachments a JOIN petitions p ON p.id = a.petition_id
		WHERE p.private = TRUE OR p.kind = 'to_cao' OR a.kind <> 'photo'`)
	if public*2 < res.Photos || public == res.Photos || misplaced != 0 {
		t.Fatalf("%d of %d photos public, %d on petitions the public may not see", public, res.Photos, misplaced)
	}
	// The uploaded photo is on its commune's newest public petition, so on the board's first page.
	var photoID, communeID int64
	if err := s.Gorm().Raw("SELECT a.id, p.commune_id FROM attachments a JOIN petitions p ON p.id = a.petition_id ORDER BY a.id LIMIT 1").
		Row().Scan(&photoID, &communeID); err != nil {
		t.Fatal(err)
	}
	board, _, err := s.PublicPetitions(ctx, communeID, models.PublicFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(board, func(p models.PublicPetition) bool { return slices.Contains(p.PhotoIDs, photoID) }) {
		t.Fatalf("the board of commune %d does not show photo %d", communeID, photoID)
	}
}
