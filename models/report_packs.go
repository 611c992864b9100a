package models

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/papi-dialogue/papi/models/calendar"
	"gorm.io/gorm"
)

// Rollup packs (PostgreSQL only). A province's report read a row for every rollup cell of its
// communes and months, some five thousand for a year, and the rows cost PostgreSQL and papi more
// than the counting: at the province's density nearly every petition is a cell of its own, so
// coarser cells would not be fewer. A pack is the cells of one commune and month written as one
// value, as a snapshot of the database saw them (rollup_pack_state.snap). A report reads the
// packs of its communes and months and, beside them, the cells changed since that snapshot
// (petition_rollups.changed, set on every write), which replace the packed cells of the same
// key; PackRollups folds those into the packs. The figures are those of the cells either way:
// packing only decides how they travel.

// packsHere is the condition on rollup_pack_state that its snapshot was taken by this
// database: one restored from a dump into another holds the first one's transaction numbers,
// which mean nothing here (a snapshot can end no later than the present one).
const packsHere = "pg_snapshot_xmax(snap) <= pg_snapshot_xmax(pg_current_snapshot())"

// packVersion names how packOf writes a pack. Change it with packOf: the packs written another
// way are then left aside by reports and made again by the next packing.
const packVersion = 1

// packsUsable is the condition on rollup_pack_state that its packs may be read: written this
// way (packVersion) by this database (packsHere). Reports and the sweep treat any others as
// no packs.
var packsUsable = "version = " + strconv.Itoa(packVersion) + " AND " + packsHere

// packLock is the advisory lock that keeps two processes from packing at once.
const packLock = 7236106

// pgSerializationFailure is PostgreSQL's SQLSTATE for a repeatable-read transaction that
// would overwrite a row another transaction changed since its snapshot.
const pgSerializationFailure = "40001"

// snapshotText is how PostgreSQL writes a pg_snapshot: xmin:xmax:xip,xip,…
var snapshotText = regexp.MustCompile(`^([0-9]+):[0-9]+:[0-9,]*$`)

// packSnapshot is the snapshot the packs hold and its xmin, both as PostgreSQL writes them and
// checked to be only that, for they are written into statements (a parameter would leave the
// planner blind to how few cells changed after xmin).
type packSnapshot struct {
	snap, xmin string
}

// parsePackSnapshot reads a snapshot as PostgreSQL writes it; ok is false for "" (no packs).
func parsePackSnapshot(text string) (packSnapshot, bool, error) {
	if text == "" {
		return packSnapshot{}, false, nil
	}
	m := snapshotText.FindStringSubmatch(text)
	if m == nil {
		return packSnapshot{}, false, fmt.Errorf("rollup packs: unexpected snapshot %q", text)
	}
	return packSnapshot{snap: text, xmin: m[1]}, true, nil
}

// changedSince is the condition keeping the cells written after the snapshot: their
// transaction began after its xmin and was still running, or not yet begun, when it was taken.
func (p packSnapshot) changedSince(alias string) string {
	return alias + ".changed >= '" + p.xmin + "'::xid8 AND NOT pg_visible_in_snapshot(" + alias + ".changed, '" + p.snap + "'::pg_snapshot)"
}

// A packed cell is its columns but the commune and the month, which are the pack's, at fixed
// places, little-endian: hamlet, topic and facts in 8 bytes each; the hours to the first answer
// and to closure, the count and the due date in 4 (the date as days from packEpoch, plus one;
// 0 for none); whether the board shows it in 1; then the due rule, its length in 1 byte. Read
// without a conversion or a lookup but the date's and the rule's, a province's thousands of
// cells cost little more than their counting.
const packedCellSize = 8 + 8 + 8 + 4 + 4 + 4 + 4 + 1 + 1

// packEpoch is the day packed due dates count from.
const packEpoch = calendar.Date("1970-01-01")

// packOf appends one cell, as read from the rollups, to a pack.
func packOf(b []byte, r *rollupRowScan) ([]byte, error) {
	due := 0
	if r.dueOn != "" {
		d := calendar.Date(r.dueOn)
		if !d.Valid() {
			return nil, fmt.Errorf("rollup packs: a cell's due date %q is no day", r.dueOn)
		}
		due = calendar.DaysBetween(packEpoch, d) + 1
	}
	if len(r.dueRule) > 255 || due < 0 || due > math.MaxInt32 {
		return nil, fmt.Errorf("rollup packs: a cell's due rule %q or date %q cannot be packed", r.dueRule, r.dueOn)
	}
	le := binary.LittleEndian
	b = le.AppendUint64(b, uint64(r.hamlet))
	b = le.AppendUint64(b, uint64(r.topic))
	b = le.AppendUint64(b, uint64(r.facts))
	for _, v := range []int64{r.answerHours, r.closeHours, r.n, int64(due)} {
		b = le.AppendUint32(b, uint32(int32(v)))
	}
	onBoard := byte(0)
	if r.onBoard {
		onBoard = 1
	}
	b = append(b, onBoard, byte(len(r.dueRule)))
	return append(b, r.dueRule...), nil
}

// errBadPack is a pack that does not read as packOf wrote it.
var errBadPack = errors.New("rollup packs: a pack is damaged")

// packReader reads the cells of packs back, one at a time, with the due dates and rules it
// has read before kept to give the same strings again.
type packReader struct {
	b     []byte
	dates map[uint32]Date
	rules []string
}

// next reads the next cell into c (its commune and month left as they are) and returns its
// count; false at the end of the pack.
func (p *packReader) next(c *rollupCell) (int, bool, error) {
	if len(p.b) == 0 {
		return 0, false, nil
	}
	if len(p.b) < packedCellSize || len(p.b) < packedCellSize+int(p.b[packedCellSize-1]) || p.b[packedCellSize-2] > 1 {
		return 0, false, errBadPack
	}
	le := binary.LittleEndian
	b := p.b
	c.HamletID, c.TopicID = int64(le.Uint64(b)), int64(le.Uint64(b[8:]))
	if err := c.setFacts(int64(le.Uint64(b[16:]))); err != nil {
		return 0, false, err
	}
	c.AnswerHours, c.CloseHours = int(int32(le.Uint32(b[24:]))), int(int32(le.Uint32(b[28:])))
	n := int(int32(le.Uint32(b[32:])))
	c.DueOn = p.date(le.Uint32(b[36:]))
	c.OnBoard = b[40] == 1
	rule := b[packedCellSize : packedCellSize+int(b[41])]
	c.DueRule = p.rule(rule)
	p.b = b[packedCellSize+len(rule):]
	return n, true, nil
}

// date is a packed due date.
func (p *packReader) date(v uint32) Date {
	if v == 0 {
		return ""
	}
	d, ok := p.dates[v]
	if !ok {
		d = packEpoch.AddDays(int(v) - 1)
		p.dates[v] = d
	}
	return d
}

// rule is a packed due rule: a report meets a handful.
func (p *packReader) rule(v []byte) string {
	for _, r := range p.rules {
		if r == string(v) {
			return r
		}
	}
	r := string(v)
	p.rules = append(p.rules, r)
	return r
}

// packKey names a pack.
type packKey struct {
	commune int64
	month   string
}

// eachPackedRollupRow calls each with every cell the reports' read of the months first to
// last counts, and its count, through the packs: the cells changed since the packs' snapshot
// first, then the packs, each packed cell left out when a changed one has its key. ok is false
// when there are no packs (SQLite, in a transaction, before the first packing), and the caller
// reads the cells. The cell passed is reused: each keeps nothing of it.
func (s *Store) eachPackedRollupRow(ctx context.Context, sc *reportScope, first, last string, public bool, each func(c *rollupCell, n int) error) (bool, error) {
	if _, ok := pgxPool(s.conn(ctx)); !ok { // SQLite, or in a transaction
		return false, nil
	}
	var text string
	if err := s.conn(ctx).Raw("SELECT COALESCE((SELECT snap::text FROM rollup_pack_state WHERE id = 1 AND " + packsUsable + "), '')").Scan(&text).Error; err != nil {
		return false, err
	}
	snap, ok, err := parsePackSnapshot(text)
	if !ok || err != nil {
		return false, err
	}
	communes, outside := sc.cellCommunes()
	cond, args := sc.filter("r")
	args = append(args, first, last, communes, first, last)
	changed := map[packKey]map[rollupCell]bool{}
	var c rollupCell
	p := packReader{dates: map[uint32]Date{}}
	return true, s.eachRollupRow(ctx, true, `SELECT `+rollupColumns+`, r.n, FALSE AS packed, ''::bytea AS cells
		FROM petition_rollups r
		WHERE `+snap.changedSince("r")+` AND `+cond+` AND r.month >= ? AND r.month <= ?
		UNION ALL
		SELECT 0, p.month, p.commune_id, 0, FALSE, 0, 0, 0, '', '', 0, TRUE, p.cells
		FROM rollup_packs p
		WHERE p.commune_id IN ? AND p.month >= ? AND p.month <= ?
		ORDER BY packed`, args, func(r *rollupRowScan) error {
		if !r.packed {
			c, n, err := r.cell()
			if err != nil {
				return err
			}
			key := packKey{r.commune, r.month}
			if changed[key] == nil {
				changed[key] = map[rollupCell]bool{}
			}
			changed[key][c] = true
			if n == 0 || (public && !c.OnBoard) {
				return nil
			}
			return each(&c, n)
		}
		replaced := changed[packKey{r.commune, r.month}]
		c.CommuneID, c.Month, p.b = r.commune, r.month, r.cells
		for {
			n, more, err := p.next(&c)
			if err != nil || !more {
				return err
			}
			if (public && !c.OnBoard) || outside[c.HamletID] || replaced[c] {
				continue
			}
			if err := each(&c, n); err != nil {
				return err
			}
		}
	})
}

// cellCommunes lists the communes whose cells the report reads and the hamlets of theirs it
// leaves out, as filter does in SQL.
func (sc *reportScope) cellCommunes() ([]int64, map[int64]bool) {
	if sc.basis == BasisThen {
		return sc.made, nil
	}
	outside := make(map[int64]bool, len(sc.hamlets.outside))
	for _, h := range sc.hamlets.outside {
		outside[h] = true
	}
	return sc.hamlets.communes, outside
}

// PackRollups folds the rollup cells written since the last packing into their packs and
// returns how many communes it packed: every commune the first time, or after the rollups are
// rebuilt. serve calls it every few seconds; on SQLite, and while another process packs, it
// does nothing.
func (s *Store) PackRollups(ctx context.Context) (int, error) {
	if s.dialect != Postgres {
		return 0, nil
	}
	packed := 0
	// Repeatable read: every statement sees the one snapshot the packs are made as of.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ctx := context.WithValue(ctx, txKey{}, tx)
		var locked bool
		if err := tx.Raw("SELECT pg_try_advisory_xact_lock(?)", packLock).Scan(&locked).Error; err != nil || !locked {
			return err
		}
		var state struct {
			Now, Held string
			Foreign   bool
		}
		if err := tx.Raw(`SELECT pg_current_snapshot()::text AS now,
			CASE WHEN p.version = ? THEN p.snap::text ELSE '' END AS held, COALESCE(NOT (`+packsHere+`), FALSE) AS foreign
			FROM (SELECT 1) one LEFT JOIN rollup_pack_state p ON p.id = 1`, packVersion).Scan(&state).Error; err != nil {
			return err
		}
		if state.Foreign {
			return errForeignPacks
		}
		held, ok, err := parsePackSnapshot(state.Held)
		if err != nil {
			return err
		}
		var communes []int64
		if ok {
			err = tx.Raw("SELECT DISTINCT r.commune_id FROM petition_rollups r WHERE " + held.changedSince("r") + " ORDER BY 1").Scan(&communes).Error
		} else if err = tx.Exec("DELETE FROM rollup_packs").Error; err == nil {
			err = tx.Raw("SELECT DISTINCT commune_id FROM petition_rollups ORDER BY 1").Scan(&communes).Error
		}
		if err != nil || (ok && len(communes) == 0) {
			return err
		}
		for start := 0; start < len(communes); start += 100 {
			if err := s.packCommunes(ctx, communes[start:min(start+100, len(communes))]); err != nil {
				return err
			}
		}
		packed = len(communes)
		if !ok {
			// The first reports' plans need to know how few cells change after a snapshot.
			if err := tx.Exec("ANALYZE petition_rollups, rollup_packs").Error; err != nil {
				return err
			}
		}
		return tx.Exec(`INSERT INTO rollup_pack_state (id, snap, version) VALUES (1, CAST(? AS pg_snapshot), ?)
			ON CONFLICT (id) DO UPDATE SET snap = excluded.snap, version = excluded.version`, state.Now, packVersion).Error
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if errors.Is(err, errForeignPacks) {
		return 0, s.forgetForeignPacks(ctx)
	}
	if pgCode(err) == pgSerializationFailure {
		// Another process packed after this one's snapshot was taken: its packs stand.
		return 0, nil
	}
	return packed, err
}

// forgetForeignPacks drops packs restored from another database and marks every cell as
// written now, since the transaction numbers they hold are the other database's: reports read
// the cells until the next packing, after this commits, packs them all again.
func (s *Store) forgetForeignPacks(ctx context.Context) error {
	return s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.dropPacks(ctx); err != nil {
			return err
		}
		return s.conn(ctx).Exec("UPDATE petition_rollups SET changed = DEFAULT").Error
	})
}

// dropPacks deletes the packs and their snapshot (PostgreSQL): reports read the cells until the
// next packing packs them all again.
func (s *Store) dropPacks(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	for _, t := range []string{"rollup_packs", "rollup_pack_state"} {
		if err := s.conn(ctx).Exec("DELETE FROM " + t).Error; err != nil {
			return err
		}
	}
	return nil
}

// errForeignPacks is PackRollups finding packs restored from another database.
var errForeignPacks = errors.New("rollup packs: made by another database")

// packCommunes writes the packs of some communes again, every month of theirs, from their cells.
func (s *Store) packCommunes(ctx context.Context, communes []int64) error {
	if err := s.conn(ctx).Exec("DELETE FROM rollup_packs WHERE commune_id IN ?", communes).Error; err != nil {
		return err
	}
	var rows []string
	var args []any
	var pack []byte
	var key packKey
	flush := func() {
		if len(pack) > 0 {
			rows = append(rows, "(?, ?, ?)")
			args = append(args, key.commune, key.month, pack)
		}
	}
	err := s.eachRollupRow(ctx, false, `SELECT `+rollupColumns+`, r.n FROM petition_rollups r
		WHERE r.commune_id IN ? AND r.n <> 0 ORDER BY r.commune_id, r.month`, []any{communes}, func(r *rollupRowScan) error {
		if k := (packKey{r.commune, r.month}); k != key {
			flush()
			key, pack = k, nil
		}
		var err error
		pack, err = packOf(pack, r)
		return err
	})
	if err != nil {
		return err
	}
	flush()
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		if err := s.conn(ctx).Exec("INSERT INTO rollup_packs (commune_id, month, cells) VALUES "+strings.Join(rows[start:end], ", "),
			args[start*3:end*3]...).Error; err != nil {
			return fmt.Errorf("rollup packs: %w", err)
		}
	}
	return nil
}
