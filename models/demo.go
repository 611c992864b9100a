package models

import (
	"context"
	"fmt"
)

// DemoPassword is the password of every demo user. Only the demo has a known password.
const DemoPassword = "demo-password"

// DemoUser is one login of the demo data set.
type DemoUser struct {
	Username string
	Role     Role
	Unit     string
	FullName string
}

// DemoUsers lists the demo logins, for the seeder and for whoever prints them.
func DemoUsers() []DemoUser {
	return []DemoUser{
		{"admin", RoleAdmin, "Tiền Giang", "Quản trị hệ thống"},
		{"district", RoleDistrictOfficial, "Tân Phú Đông", "Nguyễn Văn Hùng"},
		{"chair.tanthoi", RoleCommuneChair, "Tân Thới", "Trần Minh Tâm"},
		{"secretary.tanthoi", RoleSecretary, "Tân Thới", "Lê Thị Hoa"},
		{"inspector.tanthoi", RoleInspector, "Tân Thới", "Phạm Văn Lộc"},
		{"chair.tanphu", RoleCommuneChair, "Tân Phú", "Võ Thanh Sơn"},
		{"secretary.tanphu", RoleSecretary, "Tân Phú", "Huỳnh Thị Mai"},
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

// Demo is what SeedDemo built: units by name and users by username.
type Demo struct {
	Units map[string]*Unit
	Users map[string]*User
}

// SeedDemo loads the demo district; running it again changes nothing.
func (s *Store) SeedDemo(ctx context.Context) (*Demo, error) {
	d := &Demo{Units: map[string]*Unit{}, Users: map[string]*User{}}
	err := s.WithTx(ctx, func(ctx context.Context) error {
		sys := SystemActor()
		code := func(c string) *string { return &c }
		province, err := s.findOrCreateUnit(ctx, sys, nil, LevelProvince, "Tiền Giang", code("82"))
		if err != nil {
			return err
		}
		district, err := s.findOrCreateUnit(ctx, sys, province, LevelDistrict, "Tân Phú Đông", code("861"))
		if err != nil {
			return err
		}
		d.Units[province.Name], d.Units[district.Name] = province, district
		for _, c := range demoCommunes {
			commune, err := s.findOrCreateUnit(ctx, sys, district, LevelCommune, c.Name, nil)
			if err != nil {
				return err
			}
			d.Units[c.Name] = commune
			for _, h := range c.Hamlets {
				hamlet, err := s.findOrCreateUnit(ctx, sys, commune, LevelHamlet, h, nil)
				if err != nil {
					return err
				}
				d.Units[c.Name+"/"+h] = hamlet
			}
		}
		for _, du := range DemoUsers() {
			u, err := s.UserByUsername(ctx, du.Username)
			if err == ErrNotFound {
				u, err = s.CreateUser(ctx, sys, UserInput{Username: du.Username, Password: DemoPassword,
					FullName: du.FullName, Role: du.Role, UnitID: d.Units[du.Unit].ID})
			}
			if err != nil {
				return fmt.Errorf("demo user %s: %w", du.Username, err)
			}
			d.Users[du.Username] = u
		}
		if err := s.seedDemoDialogues(ctx, d); err != nil {
			return err
		}
		return s.seedDemoPetitions(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// findOrCreateUnit returns the unit of that level and name under parent, creating it when missing.
func (s *Store) findOrCreateUnit(ctx context.Context, actor Actor, parent *Unit, level Level, name string, code *string) (*Unit, error) {
	var u Unit
	q := s.conn(ctx).Where("level = ? AND name = ?", level, name)
	if parent == nil {
		q = q.Where("parent_id IS NULL")
	} else {
		q = q.Where("parent_id = ?", parent.ID)
	}
	res := q.Limit(1).Find(&u)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 1 {
		return &u, nil
	}
	in := UnitInput{Level: level, Name: name, Code: code}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	return s.CreateUnit(ctx, actor, in)
}
