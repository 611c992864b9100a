package models_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestInitProvinceOnceOnAnEmptyDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		good := models.InitInput{ProvinceCode: "87", ProvinceName: "Đồng Tháp", Username: "admin", FullName: "Quản trị tỉnh", Password: "mot-mat-khau-dai"}
		bad := []struct {
			name   string
			mod    func(*models.InitInput)
			fields []string
		}{
			{"code of three digits", func(in *models.InitInput) { in.ProvinceCode = "870" }, []string{"province_code"}},
			{"code with a letter", func(in *models.InitInput) { in.ProvinceCode = "8A" }, []string{"province_code"}},
			{"a commune's kind", func(in *models.InitInput) { in.ProvinceKind = "xa" }, []string{"province_kind"}},
			{"no name, no password", func(in *models.InitInput) { in.ProvinceName, in.Password = " ", "" }, []string{"password", "province_name"}},
			{"short password, bad username", func(in *models.InitInput) { in.Password, in.Username = "short", "A dmin" }, []string{"password", "username"}},
		}
		for _, c := range bad {
			in := good
			c.mod(&in)
			_, _, err := s.InitProvince(ctx, in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("%s: err %v", c.name, err)
			}
			var got []string
			for f := range verr.Fields {
				got = append(got, f)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, c.fields) {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			}
		}
		if units, _ := s.Units(ctx, models.SystemActor(), false); len(units) != 0 {
			t.Fatalf("a refused init left %d units", len(units))
		}

		province, admin, err := s.InitProvince(ctx, good)
		if err != nil {
			t.Fatal(err)
		}
		if *province.Code != "87" || province.Kind != "tinh" || province.Level != models.LevelProvince || admin.Role != models.RoleAdmin || admin.UnitID != province.ID {
			t.Fatalf("province %+v, admin %+v", province, admin)
		}
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "admin", Password: good.Password}, time.Hour); err != nil {
			t.Fatalf("the first admin cannot sign in: %v", err)
		}
		again := good
		again.ProvinceCode, again.Username = "82", "admin2"
		if _, _, err := s.InitProvince(ctx, again); !errors.Is(err, models.ErrAlreadyInitialized) {
			t.Fatalf("second init: %v", err)
		}
		if units, _ := s.Units(ctx, models.SystemActor(), false); len(units) != 1 {
			t.Fatalf("%d units after a refused second init", len(units))
		}
	})
}

func TestInitProvinceRefusesADatabaseWithUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		dbtest.NewWorld(t, s)
		_, _, err := s.InitProvince(context.Background(), models.InitInput{ProvinceCode: "87", ProvinceName: "Đồng Tháp",
			Username: "root.admin", Password: "mot-mat-khau-dai"})
		if !errors.Is(err, models.ErrAlreadyInitialized) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestOfficialCodeProblem(t *testing.T) {
	cases := []struct {
		level models.Level
		code  string
		ok    bool
	}{
		{models.LevelProvince, "87", true}, {models.LevelProvince, "8", false}, {models.LevelProvince, "８７", false},
		{models.LevelCommune, "28570", true}, {models.LevelCommune, "2857", false}, {models.LevelCommune, "2857O", false},
		{models.LevelHamlet, "", true}, {models.LevelDistrict, "861", true},
	}
	for _, c := range cases {
		if got := models.OfficialCodeProblem(c.level, c.code).EN == ""; got != c.ok {
			t.Errorf("%s %q: ok %v, want %v", c.level, c.code, got, c.ok)
		}
	}
}
