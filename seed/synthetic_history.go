package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// mergeSome gives the synthetic data set history, the way the 2025 reform did: in every
// district but the first of a province, the first six communes merge in threes (or what is
// left) into new communes directly under the province, half-way through the years, through
// the product's own reorganization acts. What was made in them after that day is moved to the
// successor, which made it; their users are rebound to the successor. The first district is
// left whole, so benchmarks and tests that read "the first" or "a district's" commune find one
// that never changed.
func mergeSome(ctx context.Context, s *models.Store, opts SyntheticOptions, res *SyntheticResult) error {
	now := s.Now()
	day := calendar.DateOf(now.Add(-time.Duration(opts.Years) * 365 * 24 * time.Hour / 2))
	then := at(s, day.Start().Add(9*time.Hour))
	sys := models.SystemActor()
	units, err := s.Units(ctx, sys, false)
	if err != nil {
		return err
	}
	children := map[int64][]*models.Unit{}
	var provinces []*models.Unit
	for i := range units {
		u := &units[i]
		if u.ParentID != nil {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
		if u.Level == models.LevelProvince && u.Code != nil && len(*u.Code) > 3 && (*u.Code)[:3] == syntheticProvinceCode {
			provinces = append(provinces, u)
		}
	}
	for _, prov := range provinces {
		admin, err := provinceAdmin(ctx, s, prov)
		if err != nil {
			return err
		}
		districts := children[prov.ID]
		for di, dist := range districts {
			if di == 0 || dist.Level != models.LevelDistrict {
				continue
			}
			communes := children[dist.ID]
			if len(communes) > 6 {
				communes = communes[:6]
			}
			for len(communes) >= 2 {
				n := min(3, len(communes))
				if err := mergeGroup(ctx, then, admin, prov, communes[:n], day); err != nil {
					return err
				}
				res.Merged += n
				res.Successors++
				communes = communes[n:]
			}
		}
	}
	return nil
}

// provinceAdmin is the synthetic province's administrator, who records its acts.
func provinceAdmin(ctx context.Context, s *models.Store, prov *models.Unit) (models.Actor, error) {
	users, _, err := s.Users(ctx, models.SystemActor(), models.UserFilter{UnitID: fmt.Sprint(prov.ID), Role: models.RoleAdmin})
	if err != nil || len(users) == 0 {
		return models.Actor{}, fmt.Errorf("synthetic: no administrator of %s: %v", prov.Name, err)
	}
	return s.LoadActor(ctx, &users[0])
}

// mergeGroup merges communes into a new one named after the first, effective on day.
func mergeGroup(ctx context.Context, s *models.Store, admin models.Actor, prov *models.Unit, group []*models.Unit, day calendar.Date) error {
	ids := make([]int64, len(group))
	for i, c := range group {
		ids[i] = c.ID
	}
	act, err := s.ApplyReorganization(ctx, admin, models.ReorganizationInput{Kind: models.ReorgMerge,
		LegalNumber: fmt.Sprintf("%d/NQ-UBTVQH15", 1000+group[0].ID%9000), LegalDate: string(day.AddDays(-15)), EffectiveOn: string(day),
		UnitIDs: ids, Into: &models.UnitTarget{Name: group[0].Name, ParentID: &prov.ID}})
	if err != nil {
		return fmt.Errorf("synthetic merger of %s: %w", group[0].Name, err)
	}
	lin, err := s.UnitLineage(ctx, admin, group[0].ID)
	if err != nil || len(lin.Successors) != 1 {
		return fmt.Errorf("synthetic merger %d: no successor: %v", act.ID, err)
	}
	succ := lin.Successors[0].Unit.ID
	db := s.Gorm().WithContext(ctx)
	start := day.Start()
	if err := db.Exec("UPDATE petitions SET commune_id = ? WHERE commune_id IN ? AND received_at >= ?", succ, ids, start).Error; err != nil {
		return err
	}
	if err := db.Exec("UPDATE dialogues SET commune_id = ? WHERE commune_id IN ? AND starts_at >= ?", succ, ids, start).Error; err != nil {
		return err
	}
	var users []int64
	if err := db.Table("users").Where("unit_id IN ?", ids).Pluck("id", &users).Error; err != nil {
		return err
	}
	if len(users) > 0 {
		_, err = s.RebindUsers(ctx, admin, models.RebindInput{UnitID: succ, UserIDs: users})
	}
	return err
}
