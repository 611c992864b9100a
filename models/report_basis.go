package models

import (
	"context"
	"strings"
)

// Basis says how a report counts records of units that a reorganization changed.
type Basis string

// The two bases of a report (DESIGN.md §3).
const (
	// BasisNow counts every record under the unit that now holds it: a merged commune adds up
	// its predecessors, a split commune's records follow their hamlets.
	BasisNow Basis = "now"
	// BasisThen counts every record under the unit it was made in, as the units were then.
	BasisThen Basis = "then"
)

// Label says in words which units a report counts under, for titles and workbooks.
func (b Basis) Label() Message {
	if b == BasisThen {
		return Msg("Theo đơn vị hành chính tại thời điểm phát sinh", "Units as they were then")
	}
	return Msg("Theo đơn vị hành chính hiện nay", "Units as they are now")
}

// parseBasis reads the basis of a report; empty means now.
func parseBasis(v *ValidationError, raw string) Basis {
	switch Basis(strings.TrimSpace(raw)) {
	case "", BasisNow:
		return BasisNow
	case BasisThen:
		return BasisThen
	}
	v.Add("as", Msg("Cách tính phải là now (theo đơn vị hiện nay) hoặc then (theo đơn vị tại thời điểm).",
		"as must be now (units as they are now) or then (units as they were then)."))
	return BasisNow
}

// reportScope is what one report covers: the subtrees it reads and, for the "then" basis,
// the communes whose own records count.
type reportScope struct {
	basis Basis
	// holder maps a commune or hamlet to the live commune that now holds it (basis now).
	holder map[int64]int64
	// communes lists the communes of the league table: live ones now, or those that existed
	// in the period then.
	communes []Unit
	// made lists the communes whose records count on the "then" basis.
	made []int64
	// hamlets are the records under the paths now (unitScope, as the lists read them), on the
	// "now" basis.
	hamlets *unitScope
	// under lists every commune under the paths, live or ended: whose dialogues count now.
	under []int64
}

// reportPaths returns the subtrees a report on unit reads for the actor: a monitor bound to a
// set of communes who asks for their own unit reads their set only.
func reportPaths(actor Actor, unit *Unit) []string {
	if unit.ID == actor.UnitID && len(actor.Communes) > 0 {
		return actor.Communes
	}
	return []string{unit.Path}
}

// scopeOf works out the communes and record holders of a report, its communes in the order
// of their names. An ended unit is always reported as it was then: nothing holds records under
// it now. The scope is read only: as units are now, it is the same for every report on the same
// paths while the units do not change, and kept with them.
func (s *Store) scopeOf(ctx context.Context, unit *Unit, paths []string, basis Basis, period Period) (*reportScope, error) {
	if !unit.Live() {
		basis = BasisThen
	}
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, err
	}
	if basis == BasisNow {
		return kept(s.scopeCache, "report-now:"+strings.Join(paths, "|"), r.version, r.keep, func() (*reportScope, error) {
			return r.nowScope(paths)
		})
	}
	sc := &reportScope{basis: basis, holder: map[int64]int64{}}
	units, err := r.communesAndHamlets(paths)
	if err != nil {
		return nil, err
	}
	anchors := map[int64]bool{unit.ID: true}
	if len(paths) > 1 || paths[0] != unit.Path {
		for i := range units {
			for _, p := range paths {
				if units[i].Path == p {
					anchors[units[i].ID] = true
				}
			}
		}
	}
	for i := range units {
		c := &units[i]
		if c.Level != LevelCommune {
			continue
		}
		ok, err := r.madeUnder(c, anchors)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		sc.made = append(sc.made, c.ID)
		if (c.ValidFrom == nil || string(*c.ValidFrom) <= period.To) && (c.ValidTo == nil || string(*c.ValidTo) > period.From) {
			sc.communes = append(sc.communes, *c)
		}
	}
	sortByName(sc.communes)
	return sc, nil
}

// nowScope is the scope of a report on paths as units are now: the live communes, and for every
// commune and hamlet under the paths the live commune holding it.
func (r *scopeReader) nowScope(paths []string) (*reportScope, error) {
	units, err := r.communesAndHamlets(paths)
	if err != nil {
		return nil, err
	}
	sc := &reportScope{basis: BasisNow, holder: make(map[int64]int64, len(units))}
	if sc.hamlets, err = r.held(paths); err != nil {
		return nil, err
	}
	byPath := make(map[string]*Unit, len(units))
	for i := range units {
		byPath[units[i].Path] = &units[i]
	}
	for i := range units {
		sc.holder[units[i].ID] = liveCommuneOf(&units[i], byPath)
		if units[i].Level == LevelCommune {
			sc.under = append(sc.under, units[i].ID)
			if units[i].Live() {
				sc.communes = append(sc.communes, units[i])
			}
		}
	}
	sortByName(sc.communes)
	return sc, nil
}

// communesAndHamlets returns the communes and hamlets under paths, live or ended, from the
// cache while the units have not changed (scopeReader). The slice is shared: read it only.
func (r *scopeReader) communesAndHamlets(paths []string) ([]Unit, error) {
	return kept(r.s.scopeCache, "report-units:"+strings.Join(paths, "|"), r.version, r.keep, func() ([]Unit, error) {
		cond, args := pathsSQL("path", paths)
		var units []Unit
		err := r.s.conn(r.ctx).Where("level IN ?", []Level{LevelCommune, LevelHamlet}).Where(cond, args...).Find(&units).Error
		return units, err
	})
}

// liveCommuneOf returns the nearest live commune on a unit's path: the commune that holds it now.
func liveCommuneOf(u *Unit, byPath map[string]*Unit) int64 {
	for p := u.Path; p != "" && p != "/"; p = parentPath(p) {
		if c := byPath[p]; c != nil && c.Level == LevelCommune && c.Live() {
			return c.ID
		}
	}
	return 0
}

// madeUnder tells whether a commune is one of the anchors or lay under one when it was made:
// its parent chain as recorded (an ended unit keeps its parent; a moved one's former parents
// are in unit_names).
func (r *scopeReader) madeUnder(c *Unit, anchors map[int64]bool) (bool, error) {
	formerParents, err := r.formerParents()
	if err != nil {
		return false, err
	}
	id := c.ID
	for depth := 0; depth < 8; depth++ {
		if anchors[id] {
			return true, nil
		}
		u, err := r.unit(id)
		if err != nil || u.ParentID == nil {
			return false, err
		}
		for _, f := range formerParents[id] {
			if anchors[f] {
				return true, nil
			}
		}
		id = *u.ParentID
	}
	return false, nil
}

// filter is the SQL condition on a record's commune_id and hamlet_id keeping the records
// a report counts: as they were then, those made in its communes; now, the petitions and
// rollup cells under its units as every list reads them (unitScope), the dialogues of its
// communes.
func (sc *reportScope) filter(alias string) (string, []any) {
	if sc.basis == BasisThen {
		if len(sc.made) == 0 {
			return "1 = 0", nil
		}
		return alias + ".commune_id IN ?", []any{sc.made}
	}
	if alias == "d" {
		// Dialogues are held by a commune, not a hamlet. The communes are listed rather than
		// selected by path in the statement: with the path a parameter, PostgreSQL's one plan
		// of it could not use the index on paths and read every unit.
		if len(sc.under) == 0 {
			return "1 = 0", nil
		}
		return "d.commune_id IN ?", []any{sc.under}
	}
	return sc.hamlets.sql(alias)
}

// lineOf returns the league line a record counts in: by the commune it was made in (then) or
// the commune that holds its hamlet or commune now.
func (sc *reportScope) lineOf(communeID, hamletID int64) int64 {
	if sc.basis == BasisThen {
		return communeID
	}
	if hamletID != 0 {
		return sc.holder[hamletID]
	}
	return sc.holder[communeID]
}

// formerParents returns, for every unit that was moved, the parents it had before (unit_names),
// from the cache while the units have not changed: a reorganization records them in the
// transaction that moves the unit. The map is shared: read it only.
func (r *scopeReader) formerParents() (map[int64][]int64, error) {
	return kept(r.s.scopeCache, "former-parents", r.version, r.keep, func() (map[int64][]int64, error) {
		rows, err := r.s.conn(r.ctx).Raw("SELECT unit_id, parent_id FROM unit_names WHERE parent_id IS NOT NULL").Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		former := map[int64][]int64{}
		for rows.Next() {
			var unit, parent int64
			if err := rows.Scan(&unit, &parent); err != nil {
				return nil, err
			}
			former[unit] = append(former[unit], parent)
		}
		return former, rows.Err()
	})
}
