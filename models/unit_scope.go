package models

import (
	"context"
	"slices"
)

// hamletsUnderSQL is the condition on a record's commune_id and hamlet_id keeping the records
// whose hamlet lies under one of paths: what those units hold now, a merged or split commune's
// records following their hamlets. It means exactly "hamlet_id IN (the hamlets under paths)",
// but names the communes those hamlets ever belonged to (hamlet_communes, which holds every
// petition's hamlet and commune), so the database reads the records through their
// (commune_id, …) indexes and stops after a page; the hamlets to leave out are named only when
// one of those communes also had hamlets elsewhere (a split).
func (s *Store) hamletsUnderSQL(ctx context.Context, alias string, paths []string) (string, []any, error) {
	var rows []struct {
		CommuneID, HamletID int64
		Inside              bool
	}
	inner, innerArgs := pathsSQL("h.path", paths)
	under, underArgs := pathsSQL("path", paths)
	// PostgreSQL would rather hash the whole lookup than probe its indexes a few hundred times
	// for a province; OFFSET 0 keeps each step a probe by hamlet, then by commune.
	q := `SELECT hx.commune_id, hx.hamlet_id, hx.hamlet_id IN (SELECT id FROM units WHERE level = 'hamlet' AND ` + under + `) AS inside
		FROM (SELECT DISTINCT c.commune_id FROM units h
			CROSS JOIN LATERAL (SELECT commune_id FROM hamlet_communes WHERE hamlet_id = h.id OFFSET 0) c
			WHERE h.level = 'hamlet' AND ` + inner + `) cs
		CROSS JOIN LATERAL (SELECT commune_id, hamlet_id FROM hamlet_communes WHERE commune_id = cs.commune_id OFFSET 0) hx`
	if s.dialect != Postgres {
		q = `SELECT hx.commune_id, hx.hamlet_id, hx.hamlet_id IN (SELECT id FROM units WHERE level = 'hamlet' AND ` + under + `) AS inside
			FROM hamlet_communes hx WHERE hx.commune_id IN (SELECT c.commune_id FROM hamlet_communes c
				JOIN units h ON h.id = c.hamlet_id WHERE h.level = 'hamlet' AND ` + inner + `)`
	}
	if err := s.conn(ctx).Raw(q, append(underArgs, innerArgs...)...).Scan(&rows).Error; err != nil {
		return "", nil, err
	}
	var communes, outside []int64
	for _, r := range rows {
		communes = append(communes, r.CommuneID)
		if !r.Inside {
			outside = append(outside, r.HamletID)
		}
	}
	slices.Sort(communes)
	communes = slices.Compact(communes)
	slices.Sort(outside)
	outside = slices.Compact(outside)
	var cond string
	var args []any
	switch len(communes) {
	case 0:
		return "1 = 0", nil, nil
	case 1:
		cond, args = alias+".commune_id = ?", []any{communes[0]}
	default:
		cond, args = alias+".commune_id IN ?", []any{communes}
	}
	if len(outside) > 0 {
		cond += " AND " + alias + ".hamlet_id NOT IN ?"
		args = append(args, outside)
	}
	return "(" + cond + ")", args, nil
}
