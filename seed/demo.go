// Package seed loads data sets through the domain's own rules: the demo district a newcomer
// explores, and the large synthetic data set benchmarks and load tests run on. It lives apart
// from models so the domain holds only what the product does; models lends it one narrow
// door for speed, Store.BulkInsert.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// DemoPassword is the password of every demo user. Only the demo has a known password.
const DemoPassword = "demo-password"

// DemoUser is one login of the demo data set.
type DemoUser struct {
	Username string
	Role     models.Role
	Unit     string
	FullName string
}

// DemoUsers lists the demo logins of today, for the seeder and for whoever prints them. The
// demo's history adds one more, secretary.tanphu, bound to the old xã Tân Phú and waiting to
// be rebound since the 2025 reorganization.
func DemoUsers() []DemoUser {
	return []DemoUser{
		{"admin", models.RoleAdmin, "Đồng Tháp", "Quản trị hệ thống"},
		{"district", models.RoleDistrictOfficial, "Đồng Tháp", "Nguyễn Văn Hùng"},
		{"chair.tanthoi", models.RoleCommuneChair, "Tân Thới", "Trần Minh Tâm"},
		{"secretary.tanthoi", models.RoleSecretary, "Tân Thới", "Lê Thị Hoa"},
		{"inspector.tanthoi", models.RoleInspector, "Tân Thới", "Phạm Văn Lộc"},
		// The commune's land officer (công chức địa chính), who handles the petitions assigned to them.
		{"land.tanthoi", models.RoleSecretary, "Tân Thới", "Võ Văn Đất"},
		{"chair.tanphudong", models.RoleCommuneChair, "Tân Phú Đông", "Võ Thanh Sơn"},
		{"secretary.tanphudong", models.RoleSecretary, "Tân Phú Đông", "Đặng Thị Mai"},
	}
}

// Demo is what LoadDemo built: units by name ("Tân Thới", "Tân Thới/Ấp Tân Hòa") and users by
// username.
type Demo struct {
	Units map[string]*models.Unit
	Users map[string]*models.User
}

// LoadDemo loads the demo district; running it again changes nothing. Everything goes through
// the store's ordinary writes, each on a copy of the store whose clock reads the day it happened.
func LoadDemo(ctx context.Context, s *models.Store) (*Demo, error) {
	d := &Demo{Units: map[string]*models.Unit{}, Users: map[string]*models.User{}}
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if err := d.loadUnits(ctx, s); err != nil {
			return err
		}
		for _, du := range DemoUsers() {
			u, err := s.UserByUsername(ctx, du.Username)
			if errors.Is(err, models.ErrNotFound) {
				u, err = s.CreateUser(ctx, models.SystemActor(), models.UserInput{Username: du.Username, Password: DemoPassword,
					FullName: du.FullName, Role: du.Role, UnitID: d.Units[du.Unit].ID})
			}
			if err != nil {
				return fmt.Errorf("demo user %s: %w", du.Username, err)
			}
			d.Users[du.Username] = u
		}
		if err := d.loadAssignees(ctx, s); err != nil {
			return err
		}
		if err := d.loadDialogues(ctx, s); err != nil {
			return err
		}
		return d.loadPetitions(ctx, s)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// loadUnits builds the demo's map as it was before 1 July 2025, with its history, and applies
// the reorganization of that day, unless that is done already; then it names today's units:
// "Đồng Tháp", "Tân Thới", "Tân Phú Đông" and their hamlets ("Tân Thới/Ấp Tân Hòa").
func (d *Demo) loadUnits(ctx context.Context, s *models.Store) error {
	done, err := storyApplied(ctx, s)
	if err != nil {
		return err
	}
	if !done {
		if err := d.loadHistory(ctx, s); err != nil {
			return err
		}
	}
	live, err := s.Units(ctx, models.SystemActor(), false)
	if err != nil {
		return err
	}
	byID := map[int64]*models.Unit{}
	for i := range live {
		byID[live[i].ID] = &live[i]
	}
	for i := range live {
		u := &live[i]
		switch {
		case u.Level == models.LevelProvince && u.Code != nil && *u.Code == demoProvinceCode:
			d.Units[u.Name] = u
		case u.Level == models.LevelCommune && u.ParentID != nil && byID[*u.ParentID] != nil && byID[*u.ParentID].Code != nil &&
			*byID[*u.ParentID].Code == demoProvinceCode:
			d.Units[u.Name] = u
		}
	}
	for i := range live {
		u := &live[i]
		if u.Level == models.LevelHamlet && u.ParentID != nil && byID[*u.ParentID] != nil {
			d.Units[byID[*u.ParentID].Name+"/"+u.Name] = u
		}
	}
	if d.Units["Đồng Tháp"] == nil || d.Units["Tân Thới"] == nil || d.Units["Tân Phú Đông"] == nil {
		return errors.New("demo: the database holds another province with code 82")
	}
	return nil
}

// actor is the demo user acting in their unit.
func (d *Demo) actor(username string) (models.Actor, error) {
	u, ok := d.Users[username]
	if !ok {
		return models.Actor{}, fmt.Errorf("demo: no user %s", username)
	}
	for _, unit := range d.Units {
		if unit.ID == u.UnitID {
			return models.ActorOf(u, unit), nil
		}
	}
	return models.Actor{}, fmt.Errorf("demo: no unit for user %s", username)
}

// at returns a copy of the store whose clock stands still at t (never later than the real now),
// so what the demo does today is recorded on the day it is meant to have happened.
func at(s *models.Store, t time.Time) *models.Store {
	if now := s.Now(); t.After(now) {
		t = now
	}
	past := *s
	t = t.UTC().Truncate(time.Second)
	past.Now = func() time.Time { return t }
	return &past
}
