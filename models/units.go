package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Level is the rank of an administrative unit in the tree.
type Level string

// The levels, from the top.
const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district"
	LevelCommune  Level = "commune"
	LevelHamlet   Level = "hamlet"
)

// Valid tells whether l is a known level.
func (l Level) Valid() bool {
	switch l {
	case LevelProvince, LevelDistrict, LevelCommune, LevelHamlet:
		return true
	}
	return false
}

// parentLevels lists the levels a unit of level l may hang under; an empty list means a root.
// Since the 2025 reform a commune may sit directly under its province.
func (l Level) parentLevels() []Level {
	switch l {
	case LevelDistrict:
		return []Level{LevelProvince}
	case LevelCommune:
		return []Level{LevelProvince, LevelDistrict}
	case LevelHamlet:
		return []Level{LevelCommune}
	}
	return nil
}

// mayHangUnder tells whether a unit of level l may have a parent of level p.
func (l Level) mayHangUnder(p Level) bool {
	for _, k := range l.parentLevels() {
		if k == p {
			return true
		}
	}
	return false
}

// Unit is an administrative unit (đơn vị hành chính): province, district, commune or hamlet.
type Unit struct {
	ID       int64   `json:"id"`
	ParentID *int64  `json:"parent_id"`
	Level    Level   `json:"level"`
	Name     string  `json:"name"`
	Code     *string `json:"code"`
	// Kind is what the unit is called: xa, phuong, dac_khu, ap, thon... (see UnitKinds).
	Kind UnitKind `json:"kind"`
	// ValidFrom and ValidTo bound the days the unit exists; ValidTo is the effective date of the
	// act that ended it (nil while it lives). An ended unit keeps its name, code and parent.
	ValidFrom *Date `json:"valid_from"`
	ValidTo   *Date `json:"valid_to"`
	// Remote marks a unit in a remote and difficult area (vùng sâu, vùng xa), whose complaints
	// get the law's longer limits.
	Remote bool `json:"remote"`
	// Slug names a commune in petition references, e.g. TANTHOI; it never changes once set.
	Slug      *string   `json:"slug,omitempty"`
	Path      string    `json:"-"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Live tells whether the unit has not been ended by a reorganization.
func (u *Unit) Live() bool { return u.ValidTo == nil }

// UnitKind is the official kind of a unit (loại đơn vị hành chính).
type UnitKind string

// unitKinds lists the kinds of each level, the default first; thị trấn and every district kind
// exist only in history since 1 July 2025, but old units keep them.
var unitKinds = map[Level][]UnitKind{
	LevelProvince: {"tinh", "thanh_pho"},
	LevelDistrict: {"huyen", "quan", "thi_xa", "thanh_pho"},
	LevelCommune:  {"xa", "phuong", "dac_khu", "thi_tran"},
	LevelHamlet:   {"ap", "thon", "ban", "to_dan_pho", "khu_pho"},
}

// unitKindNames are the Vietnamese words for the kinds, as a sentence names a unit.
var unitKindNames = map[UnitKind]string{
	"tinh": "tỉnh", "thanh_pho": "thành phố", "huyen": "huyện", "quan": "quận", "thi_xa": "thị xã",
	"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu", "thi_tran": "thị trấn",
	"ap": "ấp", "thon": "thôn", "ban": "bản", "to_dan_pho": "tổ dân phố", "khu_pho": "khu phố",
}

// UnitKinds lists the kinds a unit of level l may have, the default first.
func UnitKinds(l Level) []UnitKind { return unitKinds[l] }

// Word returns the kind as Vietnamese writes it before a unit's name ("xã", "phường").
func (k UnitKind) Word() string { return unitKindNames[k] }

// kindFor checks a kind for a level; empty means the level's default.
func kindFor(v *ValidationError, field string, l Level, k UnitKind) UnitKind {
	kinds := unitKinds[l]
	if len(kinds) == 0 {
		return k
	}
	if k == "" {
		return kinds[0]
	}
	for _, x := range kinds {
		if x == k {
			return k
		}
	}
	names := make([]string, len(kinds))
	for i, x := range kinds {
		names[i] = string(x)
	}
	list := strings.Join(names, ", ")
	v.Add(field, Msg("Loại đơn vị phải là một trong: "+list+".", "The unit kind must be one of: "+list+"."))
	return k
}

// SystemActor is the actor of command-line tasks: an administrator who sees every unit.
func SystemActor() Actor {
	return Actor{Role: RoleAdmin, UnitPath: "/", Username: "system"}
}

// unitByID returns a unit whatever the caller's scope.
func (s *Store) unitByID(ctx context.Context, id int64) (*Unit, error) {
	var u Unit
	if err := s.conn(ctx).First(&u, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Unit returns a unit the actor may see.
func (s *Store) Unit(ctx context.Context, actor Actor, id int64) (*Unit, error) {
	u, err := s.unitByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.SeesUnit(u) {
		return nil, ErrNotFound
	}
	return u, nil
}

// UnitByCodeOrID finds a unit by its official code, its slug or its numeric id.
func (s *Store) UnitByCodeOrID(ctx context.Context, ref string) (*Unit, error) {
	var u Unit
	q := s.conn(ctx).Where("code = ? OR slug = ?", ref, strings.ToUpper(ref))
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q = s.conn(ctx).Where("code = ? OR id = ?", ref, id)
	}
	if err := q.Order("id").First(&u).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Units returns every live unit in the actor's subtree, parents before children; with history,
// the units ended by reorganizations too.
func (s *Store) Units(ctx context.Context, actor Actor, history bool) ([]Unit, error) {
	var units []Unit
	cond, args := actor.scopeSQL("path")
	q := s.conn(ctx).Where(cond, args...)
	if !history {
		q = q.Where("valid_to IS NULL")
	}
	err := q.Order("length(path), id").Find(&units).Error
	return units, err
}

// UnitInput is what a new unit is made of.
type UnitInput struct {
	ParentID *int64   `json:"parent_id"`
	Level    Level    `json:"level"`
	Name     string   `json:"name"`
	Code     *string  `json:"code"`
	Kind     UnitKind `json:"kind"`
	// ValidFrom is the day the unit came into being, when known.
	ValidFrom *Date `json:"valid_from"`
}

func validateUnitName(v *ValidationError, name string) {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	switch {
	case n == 0:
		v.Add("name", msgRequired)
	case n > 200:
		v.Add("name", Msg("Tên dài tối đa 200 ký tự.", "The name is at most 200 characters."))
	}
}

func validateUnitCode(v *ValidationError, code *string) {
	if code == nil {
		return
	}
	c := strings.TrimSpace(*code)
	if c == "" {
		return // an empty code clears it
	}
	if len(c) > 32 || strings.ContainsAny(c, " /%_") {
		v.Add("code", Msg("Mã đơn vị tối đa 32 ký tự, không chứa khoảng trắng.", "The unit code is at most 32 characters, without spaces."))
	}
}

// CreateUnit adds a unit under a parent the actor sees.
func (s *Store) CreateUnit(ctx context.Context, actor Actor, in UnitInput) (*Unit, error) {
	if !actor.Can(PermUnitsManage) {
		return nil, ErrForbidden
	}
	v := &ValidationError{}
	validateUnitName(v, in.Name)
	validateUnitCode(v, in.Code)
	if !in.Level.Valid() {
		v.Add("level", Msg("Cấp phải là province, district, commune hoặc hamlet.", "The level must be province, district, commune or hamlet."))
	}
	kind := kindFor(v, "kind", in.Level, in.Kind)
	var created *Unit
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var parent *Unit
		if in.ParentID != nil {
			p, err := s.Unit(ctx, actor, *in.ParentID)
			if err != nil {
				v.Add("parent_id", Msg("Không tìm thấy đơn vị cấp trên.", "The parent unit does not exist."))
			} else {
				parent = p
			}
		}
		if in.Level.Valid() && v.Fields["parent_id"].VI == "" {
			switch {
			case parent == nil && len(in.Level.parentLevels()) > 0:
				v.Add("parent_id", Msg("Đơn vị cấp này phải có đơn vị cấp trên.", "A unit of this level needs a parent."))
			case parent == nil && actor.UnitPath != "/":
				v.Add("parent_id", Msg("Chỉ quản trị hệ thống được tạo tỉnh mới.", "Only the system administrator may create a province."))
			case parent != nil && !in.Level.mayHangUnder(parent.Level):
				v.Add("parent_id", Msg("Cấp của đơn vị cấp trên không phù hợp.", "The parent's level does not fit this unit."))
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if parent != nil && !parent.Live() {
			return FieldError("parent_id", msgParentEnded)
		}
		u := &Unit{ParentID: in.ParentID, Level: in.Level, Name: strings.TrimSpace(in.Name), Code: trimPtr(in.Code),
			Kind: kind, ValidFrom: in.ValidFrom, Version: 1}
		if err := s.insertUnit(ctx, u, parent); err != nil {
			return err
		}
		created = u
		return nil
	})
	return created, failed(err, "create unit %q", in.Name)
}

// insertUnit stores a checked unit under parent (nil for a province): a commune gets its slug,
// every unit its path.
func (s *Store) insertUnit(ctx context.Context, u *Unit, parent *Unit) error {
	if u.Level == LevelCommune && u.Slug == nil {
		slug, err := s.freeSlug(ctx, u.Name)
		if err != nil {
			return err
		}
		u.Slug = &slug
	}
	if err := s.conn(ctx).Create(u).Error; err != nil {
		if isUniqueViolation(err) {
			return FieldError("code", msgCodeUsed)
		}
		return err
	}
	prefix := "/"
	if parent != nil {
		prefix = parent.Path
	}
	u.Path = prefix + strconv.FormatInt(u.ID, 10) + "/"
	return s.conn(ctx).Model(u).Update("path", u.Path).Error
}

// movePath moves the subtree at oldPath to newPath: the unit and everything it holds, live or
// ended, so whoever sees the new place sees all of it.
func (s *Store) movePath(ctx context.Context, oldPath, newPath string) error {
	return s.conn(ctx).Exec("UPDATE units SET path = ? || substr(path, ?) WHERE path LIKE ?",
		newPath, len(oldPath)+1, oldPath+"%").Error
}

var (
	msgCodeUsed    = Msg("Mã đơn vị đã được dùng.", "The unit code is already in use.")
	msgParentEnded = Msg("Đơn vị cấp trên đã giải thể hoặc sáp nhập.", "The parent unit has been dissolved or merged.")
	msgUnitEnded   = Msg("Đơn vị đã giải thể hoặc sáp nhập; lịch sử của nó không sửa được.", "The unit has been dissolved or merged; its history cannot change.")
)

// freeSlug returns the commune slug of name, with a numeric suffix when another commune holds it.
func (s *Store) freeSlug(ctx context.Context, name string) (string, error) {
	base := Slug(name)
	if base == "" {
		base = "XA"
	}
	for i := 1; ; i++ {
		candidate := base
		if i > 1 {
			candidate = fmt.Sprintf("%s%d", base, i)
		}
		var n int64
		if err := s.conn(ctx).Model(&Unit{}).Where("slug = ?", candidate).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return candidate, nil
		}
	}
}

// UnitPatch is a change to a unit: rename, recode or move. Nil fields stay as they are.
type UnitPatch struct {
	Name     *string `json:"name"`
	Code     *string `json:"code"`
	ParentID *int64  `json:"parent_id"`
	// Remote flags the unit as in a remote and difficult area (vùng sâu, vùng xa).
	Remote  *bool `json:"remote"`
	Version *int  `json:"version"`
}

// UpdateUnit renames, recodes or moves a unit; moving it carries its whole subtree along.
func (s *Store) UpdateUnit(ctx context.Context, actor Actor, id int64, p UnitPatch) (*Unit, error) {
	if !actor.Can(PermUnitsManage) {
		if _, err := s.Unit(ctx, actor, id); err != nil {
			return nil, err
		}
		return nil, ErrForbidden
	}
	var out *Unit
	err := s.WithTx(ctx, func(ctx context.Context) error {
		u, err := s.Unit(ctx, actor, id)
		if err != nil {
			return err
		}
		if p.Version != nil && *p.Version != u.Version {
			return StaleVersion(u)
		}
		if !u.Live() {
			return FieldError("id", msgUnitEnded)
		}
		v := &ValidationError{}
		if p.Name != nil {
			validateUnitName(v, *p.Name)
		}
		validateUnitCode(v, p.Code)
		var newParent *Unit
		if p.ParentID != nil && (u.ParentID == nil || *u.ParentID != *p.ParentID) {
			np, err := s.Unit(ctx, actor, *p.ParentID)
			switch {
			case err != nil:
				v.Add("parent_id", Msg("Không tìm thấy đơn vị cấp trên.", "The parent unit does not exist."))
			case u.Path == actor.UnitPath:
				v.Add("parent_id", Msg("Không thể chuyển đơn vị của chính mình.", "You cannot move your own unit."))
			case strings.HasPrefix(np.Path, u.Path):
				v.Add("parent_id", Msg("Không thể chuyển đơn vị vào bên trong chính nó.", "A unit cannot move inside itself."))
			case !u.Level.mayHangUnder(np.Level):
				v.Add("parent_id", Msg("Cấp của đơn vị cấp trên không phù hợp.", "The parent's level does not fit this unit."))
			case !np.Live():
				v.Add("parent_id", msgParentEnded)
			default:
				newParent = np
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		updates := map[string]any{"version": u.Version + 1, "updated_at": s.now()}
		if p.Name != nil {
			updates["name"] = strings.TrimSpace(*p.Name)
		}
		if p.Code != nil {
			updates["code"] = trimPtr(p.Code)
		}
		if newParent != nil {
			updates["parent_id"] = newParent.ID
		}
		if p.Remote != nil {
			updates["remote"] = *p.Remote
		}
		res := s.conn(ctx).Model(&Unit{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(updates)
		if res.Error != nil {
			if isUniqueViolation(res.Error) {
				return FieldError("code", msgCodeUsed)
			}
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(u)
		}
		if newParent != nil {
			if err := s.movePath(ctx, u.Path, newParent.Path+strconv.FormatInt(u.ID, 10)+"/"); err != nil {
				return err
			}
		}
		out, err = s.unitByID(ctx, u.ID)
		return err
	})
	return out, failed(err, "update unit %d", id)
}

// UnitsUnder returns the ids of the units of one level in the subtree at path.
func (s *Store) UnitsUnder(ctx context.Context, path string, level Level) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&Unit{}).Where("path LIKE ? AND level = ?", path+"%", level).Order("id").Pluck("id", &ids).Error
	return ids, err
}

func trimPtr(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return nil
	}
	return &t
}

// parentPath returns the path of the unit holding the one at path: "/1/2/7/" → "/1/2/".
func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	if i := strings.LastIndex(t, "/"); i >= 0 {
		return t[:i+1]
	}
	return ""
}
