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

// DemoUsers lists the demo logins, for the seeder and for whoever prints them.
func DemoUsers() []DemoUser {
	return []DemoUser{
		{"admin", models.RoleAdmin, "Tiền Giang", "Quản trị hệ thống"},
		{"district", models.RoleDistrictOfficial, "Tân Phú Đông", "Nguyễn Văn Hùng"},
		{"chair.tanthoi", models.RoleCommuneChair, "Tân Thới", "Trần Minh Tâm"},
		{"secretary.tanthoi", models.RoleSecretary, "Tân Thới", "Lê Thị Hoa"},
		{"inspector.tanthoi", models.RoleInspector, "Tân Thới", "Phạm Văn Lộc"},
		{"chair.tanphu", models.RoleCommuneChair, "Tân Phú", "Võ Thanh Sơn"},
		{"secretary.tanphu", models.RoleSecretary, "Tân Phú", "Huỳnh Thị Mai"},
	}
}

// demoCommunes is the demo's administrative map: province → district → communes → hamlets.
var demoCommunes = []struct {
	Name    string
	Hamlets []string
}{
	{"Tân Thới", []string{"Ấp Tân Hòa", "Ấp Tân Lợi", "Ấp Tân Hưng", "Ấp Tân Thạnh", "Ấp Tân Phong"}},
	{"Tân Phú", []string{"Ấp Tân Quý", "Ấp Tân Ninh", "Ấp Tân Xuân", "Ấp Tân Thành"}},
	{"Phú Thạnh", []string{"Ấp Phú Hòa", "Ấp Phú Xuân", "Ấp Phú Quý", "Ấp Phú Lợi", "Ấp Phú Thới", "Ấp Phú Hiệp"}},
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

// loadUnits finds or creates the demo's province, district, communes and hamlets.
func (d *Demo) loadUnits(ctx context.Context, s *models.Store) error {
	existing, err := s.Units(ctx, models.SystemActor(), false)
	if err != nil {
		return err
	}
	find := func(parent *models.Unit, level models.Level, name string, code *string) (*models.Unit, error) {
		for i := range existing {
			u := &existing[i]
			if u.Level == level && u.Name == name && ((parent == nil && u.ParentID == nil) ||
				(parent != nil && u.ParentID != nil && *u.ParentID == parent.ID)) {
				return u, nil
			}
		}
		in := models.UnitInput{Level: level, Name: name, Code: code}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		return s.CreateUnit(ctx, models.SystemActor(), in)
	}
	code := func(c string) *string { return &c }
	province, err := find(nil, models.LevelProvince, "Tiền Giang", code("82"))
	if err != nil {
		return err
	}
	district, err := find(province, models.LevelDistrict, "Tân Phú Đông", code("861"))
	if err != nil {
		return err
	}
	d.Units[province.Name], d.Units[district.Name] = province, district
	for _, c := range demoCommunes {
		commune, err := find(district, models.LevelCommune, c.Name, nil)
		if err != nil {
			return err
		}
		d.Units[c.Name] = commune
		for _, h := range c.Hamlets {
			hamlet, err := find(commune, models.LevelHamlet, h, nil)
			if err != nil {
				return err
			}
			d.Units[c.Name+"/"+h] = hamlet
		}
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
