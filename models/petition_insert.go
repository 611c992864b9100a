package models

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/papi-dialogue/papi/models/calendar"
)

// insertPetition writes a new petition, checked and complete but for its reference: its count
// into the report rollups, its reference from the commune's counter, the row, its created
// event and the idempotency key it came with (none when once has no key). It sets p.ID,
// p.Reference and p.SearchText.
//
// The counter of the commune's year, and the rollup cell, are rows every create of the commune
// (and of the cell) writes: their locks last until the commit. On PostgreSQL all five writes are
// one statement, the last of the transaction, so those locks are held for that statement and
// the commit only. SQLite has one writer at a time anyway, and takes them one by one.
func (s *Store) insertPetition(ctx context.Context, actor Actor, p *Petition, commune *Unit, once petitionKey) error {
	year := p.ReceivedAt.In(calendar.Zone).Year()
	prefix := referencePrefix(commune, year)
	created := map[string]any{"channel": p.Channel, "kind": p.Kind, "topic_id": p.TopicID, "dialogue_id": p.DialogueID,
		"due_on": p.DueOn, "due_rule": p.DueRule}
	if s.dialect != Postgres {
		if err := s.moveRollup(ctx, nil, p); err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, commune.ID, year)
		if err != nil {
			return err
		}
		p.Reference = prefix + seqText(seq)
		p.SearchText = petitionSearchText(p)
		if err := s.conn(ctx).Create(p).Error; err != nil {
			return err
		}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventCreated, "", string(StateReceived), "", created); err != nil {
			return err
		}
		if once.key == "" {
			return nil
		}
		return s.conn(ctx).Create(&idempotencyKey{UserID: actor.UserID, IdemKey: once.key, Scope: petitionCreateScope,
			ResourceID: p.ID, RequestHash: once.hash, CreatedAt: s.now()}).Error
	}
	q, err := s.petitionInsertSQL(ctx, actor, p, prefix, created, once)
	if err != nil {
		return err
	}
	var rows []struct {
		ID         int64
		Reference  string
		SearchText string
	}
	if err := s.conn(ctx).Raw(q.sql, q.args...).Scan(&rows).Error; err != nil {
		return err
	}
	if len(rows) != 1 {
		return fmt.Errorf("petition not inserted")
	}
	p.ID, p.Reference, p.SearchText = rows[0].ID, rows[0].Reference, rows[0].SearchText
	return nil
}

// petitionInsertSQL is insertPetition's one statement on PostgreSQL: the counter (c), the
// petition (p) taking its reference from c, then the event and the key taking p's id, and the
// rollup cell. Every create sends the same text, so every create locks the counter first.
func (s *Store) petitionInsertSQL(ctx context.Context, actor Actor, p *Petition, prefix string, created map[string]any, once petitionKey) (sqlPart, error) {
	cols, vals, err := s.petitionColumns(ctx, p)
	if err != nil {
		return sqlPart{}, err
	}
	// The search text begins with the folded reference (petitionSearchText): its head, the
	// sequence number, then the folded rest.
	head := Fold(prefix)
	probe := *p
	probe.Reference = prefix + "0"
	tail := strings.TrimPrefix(petitionSearchText(&probe), head+"0")
	for i, c := range cols {
		switch c {
		case "reference":
			vals[i] = gorm.Expr("? || (SELECT seq FROM c)", prefix)
		case "search_text":
			vals[i] = gorm.Expr("? || (SELECT seq FROM c) || ?", head, tail)
		}
	}
	id := gorm.Expr("(SELECT id FROM p)")
	ev, err := s.eventRow(petitionLog, actor, id, EventCreated, "", string(StateReceived), "", created, nil)
	if err != nil {
		return sqlPart{}, err
	}
	cell := cellOf(sourceOf(p))
	cellValues, err := cell.values()
	if err != nil {
		return sqlPart{}, err
	}
	var b strings.Builder
	b.WriteString(`WITH c AS (INSERT INTO petition_counters (commune_id, year, last_seq) VALUES (?, ?, 1)
		ON CONFLICT (commune_id, year) DO UPDATE SET last_seq = petition_counters.last_seq + 1
		RETURNING lpad(CAST(last_seq AS TEXT), greatest(4, length(CAST(last_seq AS TEXT))), '0') AS seq),
	p AS (INSERT INTO petitions (` + strings.Join(cols, ", ") + `) VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + `)
		RETURNING id, reference, search_text),
	e AS (` + ev.sql + `),
	r AS (INSERT INTO petition_rollups (` + rollupColumns + `, n) VALUES ` + rollupRow + `
		ON CONFLICT (` + rollupColumns + `) DO UPDATE SET n = petition_rollups.n + excluded.n)`)
	args := append([]any{p.CommuneID, p.ReceivedAt.In(calendar.Zone).Year()}, vals...)
	args = append(append(append(args, ev.args...), cellValues...), 1)
	if once.key != "" {
		b.WriteString(`,
	k AS (INSERT INTO idempotency_keys (user_id, idem_key, scope, resource_id, request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?))`)
		args = append(args, actor.UserID, once.key, petitionCreateScope, id, once.hash, s.now())
	}
	b.WriteString("\nSELECT id, reference, search_text FROM p")
	return sqlPart{b.String(), args}, nil
}

// petitionColumns lists the columns GORM's Create writes of a new petition (all but its id),
// with p's values for them.
func (s *Store) petitionColumns(ctx context.Context, p *Petition) ([]string, []any, error) {
	stmt := &gorm.Statement{DB: s.db}
	if err := stmt.Parse(p); err != nil {
		return nil, nil, err
	}
	rv := reflect.ValueOf(p).Elem()
	var cols []string
	var vals []any
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" || !f.Creatable || f.PrimaryKey {
			continue
		}
		v, _ := f.ValueOf(ctx, rv)
		cols, vals = append(cols, f.DBName), append(vals, v)
	}
	return cols, vals, nil
}

// referencePrefix is what a reference of the commune's year begins with: "TANTHOI-2026-" (the
// commune's slug, else XA and its id).
func referencePrefix(commune *Unit, year int) string {
	slug := "XA" + strconv.FormatInt(commune.ID, 10)
	if commune.Slug != nil && *commune.Slug != "" {
		slug = *commune.Slug
	}
	return fmt.Sprintf("%s-%d-", slug, year)
}

// seqText writes a reference's sequence number with at least four digits: 0042.
func seqText(seq int64) string { return fmt.Sprintf("%04d", seq) }

// nextSeq takes the next sequence number of the commune's year from its counter.
func (s *Store) nextSeq(ctx context.Context, communeID int64, year int) (int64, error) {
	var seq int64
	err := s.conn(ctx).Raw(`INSERT INTO petition_counters (commune_id, year, last_seq) VALUES (?, ?, 1)
		ON CONFLICT (commune_id, year) DO UPDATE SET last_seq = petition_counters.last_seq + 1
		RETURNING last_seq`, communeID, year).Scan(&seq).Error
	return seq, err
}
