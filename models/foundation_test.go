package models_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestWithTxRollsBackEveryWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		boom := errors.New("boom")
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if _, err := s.CreateUnit(ctx, models.SystemActor(), models.UnitInput{ParentID: &w.CommuneA.ID, Level: models.LevelHamlet, Name: "Ấp Tạm"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err %v", err)
		}
		units, _ := s.Units(ctx, models.SystemActor(), false)
		for _, u := range units {
			if u.Name == "Ấp Tạm" {
				t.Fatal("rolled-back unit is still there")
			}
		}
	})
}

func TestMovingAUnitCarriesItsSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		admin := w.Actor(t, s, w.Admin)
		if _, err := s.UpdateUnit(ctx, admin, w.CommuneA.ID, models.UnitPatch{ParentID: &w.OtherDistrict.ID}); err != nil {
			t.Fatal(err)
		}
		h, err := s.Unit(ctx, admin, w.HamletA2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h.Path, w.OtherDistrict.Path) {
			t.Fatalf("hamlet path %s not under %s", h.Path, w.OtherDistrict.Path)
		}
		// The chair of commune A still sees its hamlets; the first district's official does not.
		if _, err := s.Unit(ctx, w.Actor(t, s, w.ChairA), w.HamletA2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Unit(ctx, w.Actor(t, s, w.DistrictOfficial), w.HamletA2.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("district still sees a moved hamlet: %v", err)
		}
	})
}

func TestIdempotentCreatesOnceUnderRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		actor := w.Actor(t, s, w.Admin)
		var (
			mu      sync.Mutex
			ids     = map[int64]int{}
			created int
			wg      sync.WaitGroup
		)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, replayed, err := s.Idempotent(ctx, actor, "key-1", "unit.create", nil, func(ctx context.Context) (int64, error) {
					u, err := s.CreateUnit(ctx, actor, models.UnitInput{ParentID: &w.CommuneA.ID, Level: models.LevelHamlet, Name: "Ấp Chống Trùng"})
					if err != nil {
						return 0, err
					}
					return u.ID, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[id]++
				if !replayed {
					created++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if len(ids) != 1 || created != 1 {
			t.Fatalf("ids %v, created %d: want one record", ids, created)
		}
		var n int64
		s.Gorm().Model(&models.Unit{}).Where("name = ?", "Ấp Chống Trùng").Count(&n)
		if n != 1 {
			t.Fatalf("%d units created", n)
		}
		// The same key for another operation is a conflict.
		_, _, err := s.Idempotent(ctx, actor, "key-1", "other", nil, func(ctx context.Context) (int64, error) { return 0, nil })
		if !errors.Is(err, models.ErrConflict) {
			t.Fatalf("reused key: %v", err)
		}
	})
}

func TestLoginThrottleWindowSlides(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		dbtest.NewWorld(t, s)
		base := time.Now().UTC()
		s.Now = func() time.Time { return base }
		for i := 0; i < models.LoginMaxFailures; i++ {
			if _, _, _, err := s.Login(ctx, models.Credentials{Username: "chair.a", Password: "nope"}, time.Hour); !errors.Is(err, models.ErrUnauthenticated) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "chair.a", Password: dbtest.Password}, time.Hour); !errors.Is(err, models.ErrRateLimited) {
			t.Fatalf("sixth attempt: %v", err)
		}
		s.Now = func() time.Time { return base.Add(models.LoginWindow + time.Minute) }
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "chair.a", Password: dbtest.Password}, time.Hour); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}
