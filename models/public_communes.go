package models

import (
	"context"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// PublicCommune is a commune as residents pick it to open its public board.
type PublicCommune struct {
	ID     int64   `json:"id"`
	Name   string  `json:"name"`
	Code   *string `json:"code"`
	Slug   string  `json:"slug"`
	Parent string  `json:"parent"`
}

// PublicCommunes lists the communes whose boards residents may read, by parent unit and name in
// Vietnamese order; q, when given, keeps those whose name or parent's name contains it, diacritics
// and case ignored.
func (s *Store) PublicCommunes(ctx context.Context, q string) ([]PublicCommune, error) {
	var rows []PublicCommune
	err := s.conn(ctx).Table("units AS c").
		Select("c.id, c.name, c.code, COALESCE(c.slug, '') AS slug, COALESCE(p.name, '') AS parent").
		Joins("LEFT JOIN units AS p ON p.id = c.parent_id").
		Where("c.level = ? AND c.valid_to IS NULL", LevelCommune).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if q = Fold(q); q != "" {
		kept := rows[:0]
		for _, r := range rows {
			if strings.Contains(Fold(r.Name), q) || strings.Contains(Fold(r.Parent), q) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	col := collate.New(language.Vietnamese)
	sort.SliceStable(rows, func(i, j int) bool {
		if c := col.CompareString(rows[i].Parent, rows[j].Parent); c != 0 {
			return c < 0
		}
		return col.CompareString(rows[i].Name, rows[j].Name) < 0
	})
	if rows == nil {
		rows = []PublicCommune{}
	}
	return rows, nil
}
