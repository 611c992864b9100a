package models

import (
	"context"
	"errors"
	"strings"
)

// ErrAlreadyInitialized means the database already holds units or users: a province is set up
// once, on an empty database, and never over existing data.
var ErrAlreadyInitialized = errors.New("the database already holds units or users; init runs once, on an empty database")

// officialCodeDigits is how many digits an official code has at each level
// (Decision 19/2025/QĐ-TTg: 2 for a province, 5 for a commune).
var officialCodeDigits = map[Level]int{LevelProvince: 2, LevelCommune: 5}

// OfficialCodeProblem tells what is wrong with code as the official code of a unit of level l,
// or returns an empty Message when it is right. Levels without a numbering take any code.
func OfficialCodeProblem(l Level, code string) Message {
	n, ok := officialCodeDigits[l]
	if !ok {
		return Message{}
	}
	if len(code) != n || strings.Trim(code, "0123456789") != "" {
		if l == LevelProvince {
			return Msg("Mã tỉnh gồm đúng 2 chữ số (Quyết định 19/2025/QĐ-TTg).",
				"A province code has exactly 2 digits (Decision 19/2025/QĐ-TTg).")
		}
		return Msg("Mã xã gồm đúng 5 chữ số (Quyết định 19/2025/QĐ-TTg).",
			"A commune code has exactly 5 digits (Decision 19/2025/QĐ-TTg).")
	}
	return Message{}
}

// InitInput is what a new installation starts from: its province and its first administrator.
type InitInput struct {
	ProvinceCode, ProvinceName string
	// ProvinceKind is tinh (the default) or thanh_pho for a centrally-run city.
	ProvinceKind       UnitKind
	Username, FullName string
	Password           string
}

// InitProvince sets up an empty database: the province with its official code and name, and the
// first administrator bound to it, in one transaction. It refuses a database that already holds
// units or users, so running it twice, or over the demo, changes nothing.
func (s *Store) InitProvince(ctx context.Context, in InitInput) (*Unit, *User, error) {
	v := &ValidationError{}
	code := strings.TrimSpace(in.ProvinceCode)
	if m := OfficialCodeProblem(LevelProvince, code); m.EN != "" {
		v.Add("province_code", m)
	}
	name := &ValidationError{}
	if validateUnitName(name, in.ProvinceName); name.Err() != nil {
		v.Add("province_name", name.Fields["name"])
	}
	// The administrator's fields are checked up front too, so one answer names every bad field.
	kind := kindFor(name, "province_kind", LevelProvince, in.ProvinceKind)
	if m, bad := name.Fields["province_kind"]; bad {
		v.Add("province_kind", m)
	}
	validateUsername(v, strings.ToLower(strings.TrimSpace(in.Username)))
	validatePassword(v, "password", in.Username, in.Password)
	validateFullName(v, in.FullName)
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	var (
		province *Unit
		admin    *User
	)
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var units, users int64
		if err := s.conn(ctx).Model(&Unit{}).Count(&units).Error; err != nil {
			return err
		}
		if err := s.conn(ctx).Model(&User{}).Count(&users).Error; err != nil {
			return err
		}
		if units > 0 || users > 0 {
			return ErrAlreadyInitialized
		}
		var err error
		province, err = s.CreateUnit(ctx, SystemActor(), UnitInput{Level: LevelProvince, Name: in.ProvinceName, Code: &code, Kind: kind})
		if err != nil {
			return err
		}
		admin, err = s.CreateUser(ctx, SystemActor(), UserInput{Username: in.Username, FullName: in.FullName,
			Password: in.Password, Role: RoleAdmin, UnitID: province.ID})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return province, admin, nil
}

// MayHangUnder tells whether a unit of level l may have a parent of level p: a district under
// a province, a commune under a province or a district, a hamlet under a commune.
func (l Level) MayHangUnder(p Level) bool { return l.mayHangUnder(p) }
