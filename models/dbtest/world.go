package dbtest

import (
	"context"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// Password is the password of every user of a World.
const Password = "test-password"

// World is a small administrative tree with one user of each role:
// Province → District → communes A and B (two hamlets each); Other, a commune of another district;
// and Far, a commune of another province.
type World struct {
	Province, District, OtherDistrict    *models.Unit
	OtherProvince, FarCommune, FarHamlet *models.Unit
	CommuneA, CommuneB, OtherCommune     *models.Unit
	HamletA1, HamletA2                   *models.Unit
	HamletB1, HamletB2                   *models.Unit
	HamletOther                          *models.Unit

	Admin, DistrictOfficial, ChairA, SecretaryA, InspectorA, ChairB, SecretaryB, ChairOther, FarAdmin *models.User
}

// Actor returns the actor of one of the world's users.
func (w *World) Actor(t testing.TB, s *models.Store, u *models.User) models.Actor {
	t.Helper()
	unit, err := s.Unit(context.Background(), models.SystemActor(), u.UnitID)
	if err != nil {
		t.Fatal(err)
	}
	return models.ActorOf(u, unit)
}

// NewWorld builds the world in s.
func NewWorld(t testing.TB, s *models.Store) *World {
	t.Helper()
	ctx := context.Background()
	sys := models.SystemActor()
	unit := func(parent *models.Unit, level models.Level, name, code string) *models.Unit {
		t.Helper()
		in := models.UnitInput{Level: level, Name: name}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		if code != "" {
			in.Code = &code
		}
		u, err := s.CreateUnit(ctx, sys, in)
		if err != nil {
			t.Fatalf("create unit %s: %v", name, err)
		}
		return u
	}
	user := func(name string, role models.Role, u *models.Unit) *models.User {
		t.Helper()
		usr, err := s.CreateUser(ctx, sys, models.UserInput{Username: name, Password: Password, FullName: name, Role: role, UnitID: u.ID})
		if err != nil {
			t.Fatalf("create user %s: %v", name, err)
		}
		return usr
	}
	w := &World{}
	w.Province = unit(nil, models.LevelProvince, "Tiền Giang", "82")
	w.District = unit(w.Province, models.LevelDistrict, "Tân Phú Đông", "")
	w.OtherDistrict = unit(w.Province, models.LevelDistrict, "Gò Công Đông", "")
	w.CommuneA = unit(w.District, models.LevelCommune, "Tân Thới", "28570")
	w.CommuneB = unit(w.District, models.LevelCommune, "Tân Phú", "28573")
	w.OtherCommune = unit(w.OtherDistrict, models.LevelCommune, "Tân Tây", "")
	w.HamletA1 = unit(w.CommuneA, models.LevelHamlet, "Ấp Tân Hòa", "")
	w.HamletA2 = unit(w.CommuneA, models.LevelHamlet, "Ấp Tân Bình", "")
	w.HamletB1 = unit(w.CommuneB, models.LevelHamlet, "Ấp Phú Hữu", "")
	w.HamletB2 = unit(w.CommuneB, models.LevelHamlet, "Ấp Phú Thạnh", "")
	w.HamletOther = unit(w.OtherCommune, models.LevelHamlet, "Ấp Tây Bắc", "")
	w.OtherProvince = unit(nil, models.LevelProvince, "Bến Tre", "83")
	w.FarCommune = unit(w.OtherProvince, models.LevelCommune, "Phú Túc", "")
	w.FarHamlet = unit(w.FarCommune, models.LevelHamlet, "Ấp Phú Khương", "")

	w.Admin = user("admin", models.RoleAdmin, w.Province)
	w.DistrictOfficial = user("district", models.RoleDistrictOfficial, w.District)
	w.ChairA = user("chair.a", models.RoleCommuneChair, w.CommuneA)
	w.SecretaryA = user("secretary.a", models.RoleSecretary, w.CommuneA)
	w.InspectorA = user("inspector.a", models.RoleInspector, w.CommuneA)
	w.ChairB = user("chair.b", models.RoleCommuneChair, w.CommuneB)
	w.SecretaryB = user("secretary.b", models.RoleSecretary, w.CommuneB)
	w.ChairOther = user("chair.other", models.RoleCommuneChair, w.OtherCommune)
	w.FarAdmin = user("admin.far", models.RoleAdmin, w.OtherProvince)
	return w
}
