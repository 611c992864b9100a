package models

import (
	"context"
	"slices"
	"strings"
)

// hamletsUnderSQL is the condition on a record's commune_id and hamlet_id keeping the records
// whose hamlet lies under one of paths: what those units hold now, a merged or split commune's
// records following their hamlets. It means exactly "hamlet_id IN (the hamlets under paths)",
// but names the communes those hamlets ever belonged to (hamlet_communes, which holds every
// petition's hamlet and commune), so the database reads the records through their
// (commune_id, …) indexes and stops after a page; the hamlets to leave out are named only when
// one of those communes also had hamlets elsewhere (a split).
func (s *Store) hamletsUnderSQL(ctx context.Context, alias string, paths []string) (string, []any, error) {
	cond, args := pathsSQL("h2.path", paths)
	var rows []struct {
		CommuneID, HamletID int64
		Path                string
	}
	err := s.conn(ctx).Raw(`SELECT hc.commune_id, hc.hamlet_id, h.path FROM hamlet_communes hc JOIN units h ON h.id = hc.hamlet_id
		WHERE hc.commune_id IN (SELECT hc2.commune_id FROM hamlet_communes hc2 JOIN units h2 ON h2.id = hc2.hamlet_id
			WHERE h2.level = 'hamlet' AND `+cond+`)`, args...).Scan(&rows).Error
	if err != nil {
		return "", nil, err
	}
	var communes, outside []int64
	for _, r := range rows {
		communes = append(communes, r.CommuneID)
		if !underAny(r.Path, paths) {
			outside = append(outside, r.HamletID)
		}
	}
	slices.Sort(communes)
	communes = slices.Compact(communes)
	slices.Sort(outside)
	outside = slices.Compact(outside)
	var q string
	switch len(communes) {
	case 0:
		return "1 = 0", nil, nil
	case 1:
		q, args = alias+".commune_id = ?", []any{communes[0]}
	default:
		q, args = alias+".commune_id IN ?", []any{communes}
	}
	if len(outside) > 0 {
		q += " AND " + alias + ".hamlet_id NOT IN ?"
		args = append(args, outside)
	}
	return "(" + q + ")", args, nil
}

// underAny tells whether a materialized path lies under one of paths.
func underAny(path string, paths []string) bool {
	for _, p := range paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
