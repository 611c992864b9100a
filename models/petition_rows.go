package models

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// petitionListColumns are the columns a petition list reads: every column its items send or
// their rules (finish) ask, and not the search text nor the petitioner's former details, which
// no list shows.
const petitionListColumns = `petitions.id, petitions.reference, petitions.commune_id, petitions.hamlet_id,
	petitions.dialogue_id, petitions.channel, petitions.kind, petitions.topic_id, petitions.content,
	petitions.anonymous, petitions.onsite_answer, petitions.received_at, petitions.state, petitions.state_type,
	petitions.responsible_unit_id, petitions.responsible_name, petitions.assignee_id, petitions.due_on,
	petitions.due_rule, petitions.due_rule_text, petitions.accepted_at, petitions.complexity, petitions.extensions,
	petitions.answer_draft, petitions.answer, petitions.answered_at, petitions.first_answered_at,
	petitions.accept_due_on, petitions.answered_by, petitions.resolved_at, petitions.closed_at,
	petitions.close_reason, petitions.duplicate_of, petitions.main_id, petitions.satisfaction, petitions.private,
	petitions.version, petitions.created_by, petitions.created_at, petitions.updated_at,
	petitions.petitioner_name, petitions.petitioner_phone, petitions.petitioner_address,
	petitions.petitioner_id_number, petitions.incoming_number, petitions.incoming_date, petitions.corrected_at,
	petitions.contact_consent, petitions.contact_channel, petitions.contact_address, petitions.opt_out_token,
	petitions.opted_out_at`

// listFields are the destinations of petitionListColumns in p, in their order, appended to
// into.
func (p *Petition) listFields(into []any) []any {
	return append(into, &p.ID, &p.Reference, &p.CommuneID, &p.HamletID,
		&p.DialogueID, &p.Channel, &p.Kind, &p.TopicID, &p.Content,
		&p.Anonymous, &p.OnsiteAnswer, &p.ReceivedAt, &p.State, &p.StateType,
		&p.ResponsibleUnitID, &p.ResponsibleName, &p.AssigneeID, &p.DueOn,
		&p.DueRule, &p.DueRuleText, &p.AcceptedAt, &p.Complexity, &p.Extensions,
		&p.AnswerDraft, &p.Answer, &p.AnsweredAt, &p.FirstAnsweredAt,
		&p.AcceptDueOn, &p.AnsweredBy, &p.ResolvedAt, &p.ClosedAt,
		&p.CloseReason, &p.DuplicateOf, &p.MainID, &p.Satisfaction, &p.Private,
		&p.Version, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt,
		&p.PetitionerName, &p.PetitionerPhone, &p.PetitionerAddress,
		&p.PetitionerIDNumber, &p.IncomingNumber, &p.IncomingDate, &p.CorrectedAt,
		&p.ContactConsent, &p.ContactChannel, &p.ContactAddress, &p.OptOutToken,
		&p.OptedOutAt)
}

// findPetitions reads the petitions of q for a list: the list's columns, scanned straight into
// their fields (GORM's reflection over every column of every row was most of a page's time).
// rows is the room given at once, a page's rows.
func findPetitions(q *gorm.DB, rows int) ([]Petition, error) {
	return findAppend(make([]Petition, 0, rows), selectList(q), (*Petition).listFields)
}

// selectList selects petitionListColumns as they are written. GORM's Select first looks a
// select up as the name of one of the model's fields, converting the whole list to a column
// name for every statement (3 % of a petition list's time); a select clause given as an
// expression is written as it stands.
func selectList(q *gorm.DB) *gorm.DB {
	return q.Clauses(clause.Select{Expression: clause.Expr{SQL: petitionListColumns}})
}

// findInto runs q and scans its rows straight into the fields of new Ts (scanInto), without
// GORM's reflection. On PostgreSQL outside a transaction the rows come through pgx itself
// (findThroughPgx).
func findInto[T any](q *gorm.DB, fields func(*T, []any) []any) ([]T, error) {
	return findAppend(nil, q, fields)
}

// findAppend is findInto appending the Ts to out.
func findAppend[T any](out []T, q *gorm.DB, fields func(*T, []any) []any) ([]T, error) {
	if db, ok := pgxPool(q); ok {
		return findThroughPgx(out, q, db, fields)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInto(out, rows, fields)
}

// pgxPool returns the pool q runs on when its rows may be read through pgx: on PostgreSQL,
// outside a transaction (only database/sql holds one).
func pgxPool(q *gorm.DB) (*sql.DB, bool) {
	db, ok := q.Statement.ConnPool.(*sql.DB)
	return db, ok && q.Dialector.Name() == "postgres"
}

// findThroughPgx is findInto on a pgx connection of the pool: GORM writes the statement (its
// callbacks run as for any query, without sending it), pgx runs it and scans each row into the
// fields in its own binary format. database/sql would first make a value of every column of
// every row, then convert it again into the field: a list's rows cost a third less this way.
func findThroughPgx[T any](out []T, q *gorm.DB, db *sql.DB, fields func(*T, []any) []any) ([]T, error) {
	text, vars, err := writeStatement(q)
	if err != nil {
		return nil, err
	}
	return queryThroughPgx(q.Statement.Context, out, db, text, vars, fields)
}

// writeStatement has GORM write the statement of q, with its values, without sending it (its
// query callbacks run as for any read).
func writeStatement(q *gorm.DB) (string, []any, error) {
	stmt := q.Session(&gorm.Session{DryRun: true}).Find(&[]map[string]any{})
	return stmt.Statement.SQL.String(), stmt.Statement.Vars, stmt.Error
}

// queryThroughPgx runs the statement text with vars on a pgx connection of the pool and reads
// each row into the fields of a new T appended to out (scanRow).
func queryThroughPgx[T any](ctx context.Context, out []T, db *sql.DB, text string, vars []any, fields func(*T, []any) []any) ([]T, error) {
	err := withPgxOf(ctx, db, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, text, vars...)
		if err != nil {
			return err
		}
		defer rows.Close()
		m := c.TypeMap()
		var dest []any
		for rows.Next() {
			var zero T
			out = append(out, zero)
			dest = fields(&out[len(out)-1], dest[:0])
			if err := scanRow(m, rows.FieldDescriptions(), rows.RawValues(), dest); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	noteUnavailable(ctx, err)
	return out, err
}

// scanInto scans each row straight into the fields of a new T that fields names, in the
// columns' order (GORM's reflection over every column of every row costs more than a page's
// SQL on the hot lists). fields appends them to the list it is given: the last row's, so that
// a page of rows makes one list, not one a row.
func scanInto[T any](out []T, rows *sql.Rows, fields func(*T, []any) []any) ([]T, error) {
	var dest []any
	for rows.Next() {
		var zero T
		out = append(out, zero)
		dest = fields(&out[len(out)-1], dest[:0])
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
