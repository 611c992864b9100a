package models

import (
	"cmp"
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// petitionSearchText is what `q` searches: the reference, the content and the answers, folded
// (lower case, no diacritics, đ → d) so "nuoc sach" finds "Nước sạch". PostgreSQL indexes it
// with trigrams.
func petitionSearchText(p *Petition) string {
	return Fold(strings.Join([]string{p.Reference, p.Content, p.OnsiteAnswer, p.Answer}, " "))
}

// PetitionFilter selects petitions in a list. Every field is text as the user gave it; the
// store validates them all at once, naming each bad one.
type PetitionFilter struct {
	UnitID     string
	CommuneID  string
	HamletID   string
	DialogueID string
	// Topic is a topic id or code.
	Topic string
	// Kind and State take one value or a comma-separated list.
	Kind      string
	State     string
	StateType string
	// Overdue is "true" or "false".
	Overdue string
	// DueSoon is "true" for open petitions not yet late whose due date falls within the warning
	// window (the due_soon rule: 3 working days by default, admins adjust it).
	DueSoon string
	// From and To bound the day received (Asia/Ho_Chi_Minh), both inclusive: YYYY-MM-DD.
	From string
	To   string
	// Q searches reference, content and answers, ignoring case and diacritics.
	Q string
	// Sort is -received_at (default: newest first), received_at or due_on (soonest first, none last).
	Sort string
	// Assignee is "me" (the officer the actor holds) or an assignee's id (assignees.go).
	Assignee string
	Page     Page
}

// PetitionSorts lists the orders a petition list may take.
func PetitionSorts() []string { return []string{"-received_at", "received_at", "due_on"} }

// searchWindows are how many of the newest petitions in scope a search reads before it turns to
// the trigram index (PostgreSQL).
var searchWindows = []int{5000}

// searchPool is how many matches a search takes from the trigram index, in no order, to learn
// whether the matches are few (then sorting them gives the page) or many (then walking the list's
// index finds a page soon).
var searchPool = 500

// referencePattern is a whole petition reference, folded: tanthoi-2026-0042.
var referencePattern = regexp.MustCompile(`^[a-z0-9]+-[0-9]{4}-[0-9]{1,7}$`)

// petitionCursor is the keyset position after the last item of a page.
type petitionCursor struct {
	Sort string     `json:"s"`
	At   *time.Time `json:"t,omitempty"`
	Due  *Date      `json:"d,omitempty"`
	ID   int64      `json:"i"`
}

// idPattern is an id as people and paths give it: plain decimal, no sign, no leading zero.
var idPattern = regexp.MustCompile(`^[1-9][0-9]{0,18}$`)

// ParseID reads a record id given as text: plain decimal, so "+1" or "01" is no id.
func ParseID(raw string) (int64, bool) {
	if !idPattern.MatchString(raw) {
		return 0, false
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, err == nil
}

// parseID reads an optional id filter; false when it is absent or bad, a bad one named in v.
func parseID(v *ValidationError, field, raw string) (int64, bool) {
	if raw == "" {
		return 0, false
	}
	id, ok := ParseID(raw)
	if !ok {
		v.Add(field, Msg("Mã số không hợp lệ.", "Not a valid id."))
	}
	return id, ok
}

// parseFlag reads a yes/no filter: true or 1, false or 0; set is false when raw is empty.
func parseFlag(v *ValidationError, field, raw string) (value, set bool) {
	switch raw {
	case "":
		return false, false
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	v.Add(field, Msg(field+" phải là true hoặc false.", field+" must be true or false."))
	return false, false
}

// likePattern escapes a word for LIKE and wraps it in wildcards.
func likePattern(word string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(word) + "%"
}

// inScope limits q to the petitions the actor may see: those whose hamlet lies in the actor's
// subtree (a merged or split commune's petitions follow their hamlets to the successor), or of
// the actor's hamlet for a hamlet-level user. It also tells whether the actor sees whole
// communes, which the petitioner rules ask, and returns the scope it applied (nil for the
// whole country or a hamlet).
func (s *Store) inScope(r *scopeReader, actor Actor, q *gorm.DB) (*gorm.DB, bool, *unitScope, error) {
	if actor.UnitPath == "/" && len(actor.Communes) == 0 {
		return q, true, nil, nil
	}
	u, err := r.unit(actor.UnitID)
	if err != nil {
		return nil, false, nil, err
	}
	if u.Level == LevelHamlet {
		return q.Where("petitions.hamlet_id = ?", u.ID), false, nil, nil
	}
	sc, err := r.held(actor.scopePaths())
	if err != nil {
		return nil, false, nil, err
	}
	cond, args := sc.sql("petitions")
	return q.Where(cond, args...), true, sc, nil
}

// Petitions lists the petitions the actor may see that match the filter, one keyset page at a
// time: the cursor holds the sort key of the last item, so new petitions never shift a page.
func (s *Store) Petitions(ctx context.Context, actor Actor, f PetitionFilter) (items []Petition, next string, err error) {
	if s.dialect == Postgres && searchesWords(f.Q) {
		// A search of a few communes is one statement whose plan does not depend on the words
		// (listPage). A wider one runs in steps that switch planner methods off, in a transaction
		// of its own, each planned with its own words: a prepared statement soon runs on a
		// generic plan, which cannot tell a common word (walk the received_at index and stop
		// after a page) from a rare one (use the trigram index).
		if ctx, err = s.withScopes(ctx); err != nil {
			return nil, "", err
		}
		items, next, err = s.petitions(ctx, actor, f)
		if !errors.Is(err, errWideSearch) {
			return items, next, err
		}
		err = s.WithTx(ctx, func(ctx context.Context) error {
			items, next, err = s.petitions(ctx, actor, f)
			return err
		})
		return items, next, err
	}
	return s.petitions(ctx, actor, f)
}

// errWideSearch tells Petitions that a search reaches beyond a few communes, so its steps need
// the transaction that carries their planner settings.
var errWideSearch = errors.New("a wide search runs in a transaction")

// searchesWords tells whether a list's q asks for words in the text, not for a whole reference
// (looked up in its unique index, so any plan does).
func searchesWords(q string) bool {
	folded := Fold(q)
	return strings.TrimSpace(folded) != "" && !referencePattern.MatchString(folded)
}

// petitionQuery is a petition list's query: the filters, the word search kept apart so the
// list can apply it in windows, and the checked sort.
type petitionQuery struct {
	q      *gorm.DB
	search func(*gorm.DB) *gorm.DB
	// scan is search as a filter of the rows read through another index (listPage).
	scan func(*gorm.DB) *gorm.DB
	// searching tells whether there are words to search for.
	searching bool
	sort      string
	// seesCommunes tells whether the actor works at a commune or above (not at a hamlet).
	seesCommunes bool
	// split is a scope q is limited to that names a few communes, so that a page can be read
	// commune by commune (listByCommune); nil when there is none.
	split *unitScope
}

// few tells whether the query is limited to a scope of at most maxSplit communes, whose rows a
// search may read in one statement (listPage) however rare its words.
func (pq *petitionQuery) few() bool {
	return pq.split != nil && len(pq.split.communes) <= maxSplit
}

// filterPetitions builds the query of the petitions the actor may see that match the filter.
// Bad filters are added to v. The list and the exports share it, so both take exactly the
// same filters.
func (s *Store) filterPetitions(ctx context.Context, actor Actor, f PetitionFilter, v *ValidationError) (*petitionQuery, error) {
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, err
	}
	q := s.conn(ctx).Model(&Petition{})
	q, seesCommunes, split, err := s.inScope(r, actor, q)
	if err != nil {
		return nil, err
	}
	if id, ok := parseID(v, "unit_id", f.UnitID); ok {
		u, err := r.unitFor(actor, id)
		switch {
		case err != nil:
			v.Add("unit_id", Msg("Không tìm thấy đơn vị.", "Unknown unit."))
		case u.Level == LevelHamlet:
			q = q.Where("petitions.hamlet_id = ?", u.ID)
		case !u.Live():
			// An ended unit: the records made in it, wherever its hamlets went.
			q = q.Where("petitions.commune_id IN (SELECT id FROM units WHERE level = 'commune' AND path LIKE ?)", u.Path+"%")
		default:
			sc, err := r.held([]string{u.Path})
			if err != nil {
				return nil, err
			}
			cond, args := sc.sql("petitions")
			q = q.Where(cond, args...)
			if split == nil || len(sc.communes) < len(split.communes) {
				split = sc
			}
		}
	}
	if id, ok := parseID(v, "commune_id", f.CommuneID); ok {
		q = q.Where("petitions.commune_id = ?", id)
	}
	if id, ok := parseID(v, "hamlet_id", f.HamletID); ok {
		q = q.Where("petitions.hamlet_id = ?", id)
	}
	q = assigneeFilter(q, actor, v, f.Assignee)
	if id, ok := parseID(v, "dialogue_id", f.DialogueID); ok {
		q = q.Where("petitions.dialogue_id = ?", id)
	}
	if t := strings.TrimSpace(f.Topic); t != "" {
		if id, err := strconv.ParseInt(t, 10, 64); err == nil {
			q = q.Where("petitions.topic_id = ?", id)
		} else if topic, err := s.TopicByCode(ctx, t); err == nil {
			q = q.Where("petitions.topic_id = ?", topic.ID)
		} else {
			v.Add("topic", Msg("Lĩnh vực không tồn tại.", "Unknown topic."))
		}
	}
	if kinds := SplitList(f.Kind); len(kinds) > 0 {
		for _, k := range kinds {
			if !PetitionKind(k).Valid() {
				v.Add("kind", Msg("Loại ý kiến không hợp lệ.", "Unknown kind."))
			}
		}
		q = q.Where("petitions.kind IN ?", kinds)
	}
	if states := SplitList(f.State); len(states) > 0 {
		for _, st := range states {
			if !PetitionState(st).Valid() {
				v.Add("status", Msg("Trạng thái không hợp lệ.", "Unknown state."))
			}
		}
		q = q.Where("petitions.state IN ?", states)
	}
	if f.StateType != "" {
		if !StateType(f.StateType).Valid() {
			v.Add("state_type", Msg("Loại trạng thái phải là open, fixed hoặc closed.", "The state type must be open, fixed or closed."))
		}
		q = q.Where("petitions.state_type = ?", f.StateType)
	}
	today := s.today()
	switch overdue, set := parseFlag(v, "overdue", f.Overdue); {
	case set && overdue:
		cond, args := lateSQL("petitions", today)
		q = q.Where(cond, args...)
	case set:
		cond, args := notLateSQL("petitions", today)
		q = q.Where(cond, args...)
	}
	if soon, set := parseFlag(v, "due_soon", f.DueSoon); set && soon {
		until, err := s.dueSoonUntil(ctx, today)
		if err != nil {
			return nil, err
		}
		q = q.Where(awaitsAnswerSQL("petitions")+" AND petitions.due_on >= ? AND petitions.due_on <= ?", today, until)
	}
	if f.From != "" {
		if d, ok := dateField(v, "from", f.From); ok {
			q = q.Where("petitions.received_at >= ?", d.Start())
		}
	}
	if f.To != "" {
		if d, ok := dateField(v, "to", f.To); ok {
			q = q.Where("petitions.received_at < ?", d.End())
		}
	}
	var patterns, words []string
	folded := Fold(f.Q)
	if referencePattern.MatchString(folded) {
		// A whole reference is looked up in its unique index.
		q = q.Where("petitions.reference = ?", strings.ToUpper(folded))
	} else if words = strings.Fields(folded); len(words) > 0 {
		if len(words) > 10 {
			words = words[:10]
		}
		for _, w := range words {
			patterns = append(patterns, likePattern(w))
		}
	}
	search := func(db *gorm.DB) *gorm.DB {
		for _, p := range patterns {
			db = db.Where(`petitions.search_text LIKE ? ESCAPE '\'`, p)
		}
		return db
	}
	// The same condition as search, in a form the trigram index does not serve (PostgreSQL): a
	// plan of it cannot depend on the words, so a prepared statement keeps one.
	scan := search
	if s.dialect == Postgres {
		scan = func(db *gorm.DB) *gorm.DB {
			for _, w := range words {
				db = db.Where("strpos(petitions.search_text, ?) > 0", w)
			}
			return db
		}
	}
	sort := f.Sort
	if sort == "" {
		sort = "-received_at"
	}
	valid := false
	for _, k := range PetitionSorts() {
		valid = valid || k == sort
	}
	if !valid {
		v.Add("sort", Msg("Thứ tự phải là -received_at, received_at hoặc due_on.", "sort must be -received_at, received_at or due_on."))
	}
	return &petitionQuery{q: q, search: search, scan: scan, searching: len(patterns) > 0, sort: sort, seesCommunes: seesCommunes, split: split}, nil
}

// petitionOrder is the ORDER BY of a petition sort, the id breaking ties.
func petitionOrder(sort string) string {
	switch sort {
	case "received_at":
		return "petitions.received_at, petitions.id"
	case "due_on":
		return "petitions.due_on ASC NULLS LAST, petitions.id ASC"
	}
	return "petitions.received_at DESC, petitions.id DESC"
}

func (s *Store) petitions(ctx context.Context, actor Actor, f PetitionFilter) ([]Petition, string, error) {
	v := &ValidationError{}
	pq, err := s.filterPetitions(ctx, actor, f, v)
	if err != nil {
		return nil, "", err
	}
	q, search, sort := pq.q, pq.search, pq.sort
	today := s.today()
	var after petitionCursor
	if err := f.Page.decode(&after); err != nil {
		return nil, "", err
	}
	if f.Page.Cursor != "" && (after.Sort != sort || (sort != "due_on" && after.At == nil)) {
		v.Add("cursor", Msg("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."))
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if f.Page.Cursor != "" {
		switch sort {
		case "-received_at":
			q = q.Where("(petitions.received_at, petitions.id) < (?, ?)", *after.At, after.ID)
		case "received_at":
			q = q.Where("(petitions.received_at, petitions.id) > (?, ?)", *after.At, after.ID)
		case "due_on":
			if after.Due != nil {
				q = q.Where("(petitions.due_on > ? OR (petitions.due_on = ? AND petitions.id > ?) OR petitions.due_on IS NULL)", *after.Due, *after.Due, after.ID)
			} else {
				q = q.Where("petitions.due_on IS NULL AND petitions.id > ?", after.ID)
			}
		}
	}
	orderBy := petitionOrder(sort)
	// Sessions, so that each query below builds on the filters without changing them.
	q = q.Session(&gorm.Session{})
	ordered := q.Order(orderBy).Session(&gorm.Session{})
	limit := f.Page.limit()
	var items []Petition
	done := false
	if pq.searching && s.dialect == Postgres && pq.few() {
		if items, err = s.listPage(ctx, pq, ordered, orderBy, limit+1); err != nil {
			return nil, "", err
		}
		done = true
	} else if pq.searching && s.dialect == Postgres {
		if _, inTx := txOf(ctx); !inTx {
			return nil, "", errWideSearch
		}
		if err := s.conn(ctx).Exec("SET LOCAL plan_cache_mode = force_custom_plan").Error; err != nil {
			return nil, "", err
		}
		// Most searches are for words many petitions share: the newest rows in scope hold a full
		// page, found by walking the list's own index. Only when they do not is the trigram index
		// asked for every match, which is then usually a short list.
		for _, window := range searchWindows {
			recent := ordered.Limit(window)
			if items, err = findPetitions(s.conn(ctx).Table("(?) AS petitions", recent).Scopes(search).Order(orderBy).Limit(limit+1), limit+1); err != nil {
				return nil, "", err
			}
			if len(items) > limit {
				done = true
				break
			}
			var inScope int64
			ids := q.Select("petitions.id").Limit(window)
			if err := s.conn(ctx).Table("(?) AS petitions", ids).Count(&inScope).Error; err != nil {
				return nil, "", err
			}
			if inScope < int64(window) {
				done = true // the window held every petition in scope: nothing more to find
				break
			}
		}
	}
	if !done && pq.searching && s.dialect == Postgres && sort != "due_on" {
		items, done, err = s.searchOlder(ctx, q, ordered, search, sort, limit)
		if err != nil {
			return nil, "", err
		}
	}
	if !done {
		if items, err = s.listPage(ctx, pq, ordered, orderBy, limit+1); err != nil {
			return nil, "", err
		}
	}
	items, more := trimPage(items, limit)
	for i := range items {
		items[i].finish(actor, pq.seesCommunes, today)
	}
	next := ""
	if more {
		last := items[len(items)-1]
		pos := petitionCursor{Sort: sort, ID: last.ID}
		if sort == "due_on" {
			pos.Due = last.DueOn
		} else {
			at := last.ReceivedAt.UTC()
			pos.At = &at
		}
		next = encodeCursor(pos)
	}
	return items, next, nil
}

// maxSplit is the most communes a list reads one by one (listPage): a district's or a merged
// commune's few, not a province's hundreds (each commune's branch reads up to a page of rows,
// which are then sorted; a province's page comes from its keys first).
var maxSplit = 16

// listPage reads up to n petitions of ordered (pq's filters, ordered and after the cursor). A
// scope of a few communes (a district, a commune merged from several, its predecessors' records
// following their hamlets) is read commune by commune, each branch an index scan on
// (commune_id, the sort key) that stops after n rows: the same rows in the same order as the one
// query, without reading and sorting every commune's rows. On PostgreSQL one lateral branch runs
// for each commune and the at most n rows of each are sorted; on SQLite a union of the branches.
//
// A search of a few communes (petitionQuery.few) reads the same way, each branch walking its
// commune's rows newest first with the words as a filter (pq.scan) and stopping after n
// matches: whatever the words, its cost is bounded by those communes' own petitions, not the
// table, and its plan does not depend on the words, so it needs neither a transaction nor
// planner settings.
func (s *Store) listPage(ctx context.Context, pq *petitionQuery, ordered *gorm.DB, orderBy string, n int) ([]Petition, error) {
	search := pq.search
	if pq.few() {
		search = pq.scan
	}
	switch {
	case pq.split == nil || len(pq.split.communes) < 2 || (pq.searching && !pq.few()):
		return findPetitions(ordered.Scopes(search).Limit(n), n)
	case len(pq.split.communes) > maxSplit:
		// Many communes (a province): the page's keys first, which an index may give alone (the
		// late petitions' index for the overdue list), then only the page's rows.
		keys := ordered.Select("petitions.id").Limit(n)
		return findPetitions(s.conn(ctx).Model(&Petition{}).Where("petitions.id IN (?)", keys).Order(orderBy), n)
	}
	if s.dialect == Postgres {
		// One branch, run for each commune (a lateral subquery): GORM builds it once, where a
		// union of a branch per commune cost it a quarter of a district list's time.
		branch := selectList(ordered).Where("petitions.commune_id = c.id").Scopes(search).Limit(n)
		return findPetitions(s.conn(ctx).Table("(VALUES "+idRows(pq.split.communes)+") AS c(id) CROSS JOIN LATERAL (?) AS petitions", branch).
			Order(orderBy).Limit(n), n)
	}
	parts := make([]string, len(pq.split.communes))
	branches := make([]any, len(pq.split.communes))
	for i, c := range pq.split.communes {
		parts[i] = "SELECT * FROM (?) AS b" + strconv.Itoa(i)
		branches[i] = selectList(ordered).Where("petitions.commune_id = ?", c).Scopes(search).Limit(n)
	}
	union := s.conn(ctx).Raw(strings.Join(parts, " UNION ALL "), branches...)
	return findPetitions(s.conn(ctx).Table("(?) AS petitions", union).Order(orderBy).Limit(n), n)
}

// idRows writes IDs as the rows of a VALUES list, "(12),(15)": numbers from the database, written
// into the statement as LIMIT is (literalLimit), so its plan is kept and no list is expanded.
func idRows(ids []int64) string {
	b := make([]byte, 0, len(ids)*8)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		b = strconv.AppendInt(b, id, 10)
		b = append(b, ')')
	}
	return string(b)
}

// searchOlder finds a search's page when the newest rows in scope did not hold it (PostgreSQL,
// inside the search's transaction). It takes up to searchPool matches from the trigram index: fewer
// means that is all of them, sorted here; a full pool means the words are common enough that
// walking the received_at index with the trigram index switched off reaches a page quickly, where
// the trigram index would fetch every match only to keep a page of them.
func (s *Store) searchOlder(ctx context.Context, unordered, ordered *gorm.DB, search func(*gorm.DB) *gorm.DB, sort string, limit int) ([]Petition, bool, error) {
	var pool []Petition
	err := s.withSettings(ctx, "enable_seqscan", func() (err error) {
		pool, err = findPetitions(unordered.Scopes(search).Limit(searchPool), limit+1)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if len(pool) < searchPool {
		slices.SortFunc(pool, func(a, b Petition) int {
			c := a.ReceivedAt.Compare(b.ReceivedAt)
			if c == 0 {
				c = cmp.Compare(a.ID, b.ID)
			}
			if sort == "-received_at" {
				c = -c
			}
			return c
		})
		if len(pool) > limit+1 {
			pool = pool[:limit+1]
		}
		return pool, true, nil
	}
	var items []Petition
	err = s.withSettings(ctx, "enable_bitmapscan", func() (err error) {
		items, err = findPetitions(ordered.Scopes(search).Limit(limit+1), limit+1)
		return err
	})
	return items, err == nil, err
}

// withSettings runs fn with a planner method switched off for the rest of the transaction's
// statements, then switches it back on.
func (s *Store) withSettings(ctx context.Context, setting string, fn func() error) error {
	if err := s.conn(ctx).Exec("SET LOCAL " + setting + " = off").Error; err != nil {
		return err
	}
	ferr := fn()
	if err := s.conn(ctx).Exec("SET LOCAL " + setting + " = on").Error; err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}
