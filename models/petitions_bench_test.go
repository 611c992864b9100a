package models_test

import (
	"context"
	"math/rand"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/seed"
)

// benchWorld is one synthetic commune, its district and province, with their users.
type benchWorld struct {
	s                           *models.Store
	commune                     *models.Unit
	hamlet                      *models.Unit
	chair, secretary, district  models.Actor
	province                    models.Actor
	petitionsInCommune, overall int64
}

func openBench(b *testing.B) *benchWorld {
	b.Helper()
	// The benchmarks add petitions to the database.
	s := dbtest.OpenBench(b)
	ctx := context.Background()
	w := &benchWorld{s: s}
	db := s.Gorm()
	// A commune in the middle of the data set, so nothing is at an edge of an index.
	var communeID int64
	if err := db.Raw(`WITH live AS (SELECT c.id FROM units c JOIN units d ON d.id = c.parent_id JOIN units p ON p.id = d.parent_id
		WHERE c.level = 'commune' AND c.valid_to IS NULL AND p.code LIKE 'SYN%')
		SELECT id FROM live ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM live)`).Scan(&communeID).Error; err != nil || communeID == 0 {
		b.Fatalf("no synthetic commune (run papi seed --synthetic): %v", err)
	}
	sys := models.SystemActor()
	var err error
	if w.commune, err = s.Unit(ctx, sys, communeID); err != nil {
		b.Fatal(err)
	}
	var hamletID int64
	db.Raw("SELECT id FROM units WHERE parent_id = ? ORDER BY id LIMIT 1", communeID).Scan(&hamletID)
	if w.hamlet, err = s.Unit(ctx, sys, hamletID); err != nil {
		b.Fatal(err)
	}
	actor := func(q string, args ...any) models.Actor {
		var id int64
		if err := db.Raw(q, args...).Scan(&id).Error; err != nil || id == 0 {
			b.Fatalf("bench user (%s): %v", q, err)
		}
		u, err := s.User(ctx, sys, id)
		if err != nil {
			b.Fatal(err)
		}
		unit, err := s.Unit(ctx, sys, u.UnitID)
		if err != nil {
			b.Fatal(err)
		}
		return models.ActorOf(u, unit)
	}
	w.chair = actor("SELECT id FROM users WHERE unit_id = ? AND role = 'commune_chair' LIMIT 1", communeID)
	w.secretary = actor("SELECT id FROM users WHERE unit_id = ? AND role = 'secretary' LIMIT 1", communeID)
	w.district = actor("SELECT id FROM users WHERE unit_id = ? AND role = 'district_official' LIMIT 1", *w.commune.ParentID)
	w.province = actor(`SELECT u.id FROM users u JOIN units d ON d.parent_id = u.unit_id WHERE d.id = ? AND u.role = 'admin' LIMIT 1`, *w.commune.ParentID)
	db.Raw("SELECT COUNT(*) FROM petitions WHERE commune_id = ?", communeID).Scan(&w.petitionsInCommune)
	db.Raw("SELECT COUNT(*) FROM petitions").Scan(&w.overall)
	b.Logf("%d petitions in all, %d in commune %s", w.overall, w.petitionsInCommune, w.commune.Name)
	return w
}

// input is a petition like the synthetic ones, so the newest rows keep the data set's mix.
func (w *benchWorld) input(i int) models.PetitionInput {
	topic, content := seed.PetitionText(rand.New(rand.NewSource(int64(i))), w.hamlet.Name)
	return models.PetitionInput{CommuneID: w.commune.ID, HamletID: w.hamlet.ID, Channel: "reception", Kind: "phan_anh",
		TopicCode: topic, Content: content, PetitionerName: "Nguyễn Văn Thử"}
}

func BenchmarkPetitionCreate(b *testing.B) {
	w := openBench(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.s.CreatePetition(ctx, w.secretary, w.input(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPetitionTransition(b *testing.B) {
	w := openBench(b)
	ctx := context.Background()
	b.StopTimer()
	ps := make([]*models.Petition, b.N)
	for i := range ps {
		p, err := w.s.CreatePetition(ctx, w.secretary, w.input(i))
		if err != nil {
			b.Fatal(err)
		}
		ps[i] = p
	}
	b.StartTimer()
	for _, p := range ps {
		v := p.Version
		if _, err := w.s.TransitionPetition(ctx, w.secretary, p.ID, models.TransitionInput{To: "assigned", Version: &v,
			ResponsibleName: "Tổ tự quản"}); err != nil {
			b.Fatal(err)
		}
	}
}

// listPages lists n pages of f as actor, following the cursor, and fails on an empty first page.
func listPages(b *testing.B, w *benchWorld, actor models.Actor, f models.PetitionFilter, n int) {
	ctx := context.Background()
	for page := 0; page < n; page++ {
		items, next, err := w.s.Petitions(ctx, actor, f)
		if err != nil {
			b.Fatal(err)
		}
		if page == 0 && len(items) == 0 && f.Q != "zzzqqq" {
			b.Fatalf("empty list for %+v", f)
		}
		if next == "" {
			return
		}
		f.Page.Cursor = next
	}
}

func BenchmarkPetitionListCommune(b *testing.B) {
	w := openBench(b)
	b.Run("first page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			listPages(b, w, w.chair, models.PetitionFilter{}, 1)
		}
	})
	b.Run("five pages", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			listPages(b, w, w.chair, models.PetitionFilter{}, 5)
		}
	})
	b.Run("open, by due date", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			listPages(b, w, w.chair, models.PetitionFilter{StateType: "open", Sort: "due_on"}, 1)
		}
	})
}

func BenchmarkPetitionListOverdueDistrict(b *testing.B) {
	w := openBench(b)
	b.Run("district", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			listPages(b, w, w.district, models.PetitionFilter{Overdue: "true", Sort: "due_on"}, 1)
		}
	})
	b.Run("province", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			listPages(b, w, w.province, models.PetitionFilter{Overdue: "true", Sort: "due_on"}, 1)
		}
	})
}

func BenchmarkPetitionSearch(b *testing.B) {
	w := openBench(b)
	var ref string
	w.s.Gorm().Raw("SELECT reference FROM petitions WHERE commune_id = ? ORDER BY id LIMIT 1", w.commune.ID).Scan(&ref)
	cases := []struct {
		name  string
		actor models.Actor
		q     string
	}{
		{"common words, district", w.district, "nuoc sach"},
		{"common words, everywhere", models.SystemActor(), "DUONG xuong cap"},
		{"less common words, everywhere", models.SystemActor(), "cong ngan man"},
		{"no match, everywhere", models.SystemActor(), "zzzqqq"},
		{"reference, everywhere", models.SystemActor(), strings.ToLower(ref)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				listPages(b, w, c.actor, models.PetitionFilter{Q: c.q}, 1)
			}
		})
	}
	// Words common in the whole table but absent from the newest rows: a tiny window stands in
	// for that. With a pool the search walks the received_at index; without (an unbounded pool)
	// it fetches every match from the trigram index and sorts them.
	for _, c := range []struct {
		name string
		pool int
	}{{"common words not among the newest, walk", 500}, {"common words not among the newest, all matches", 1 << 30}} {
		b.Run(c.name, func(b *testing.B) {
			restore := models.SetSearchTuning([]int{50}, c.pool)
			defer restore()
			for i := 0; i < b.N; i++ {
				listPages(b, w, models.SystemActor(), models.PetitionFilter{Q: "cau khi muc"}, 1)
			}
		})
	}
}
