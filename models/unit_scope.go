package models

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// unitScope is what the units under some paths hold now, by commune: the communes their
// hamlets ever belonged to (hamlet_communes), less the hamlets of those communes that lie
// elsewhere (a split). It is never changed once made: caches share it.
type unitScope struct {
	communes, outside []int64
}

// sql is the condition on a record's commune_id and hamlet_id keeping the records of the scope.
func (sc *unitScope) sql(alias string) (string, []any) {
	var cond string
	var args []any
	switch len(sc.communes) {
	case 0:
		return "1 = 0", nil
	case 1:
		cond, args = alias+".commune_id = ?", []any{sc.communes[0]}
	default:
		cond, args = alias+".commune_id IN ?", []any{sc.communes}
	}
	if c, a := sc.outsideSQL(alias); c != "" {
		cond += " AND " + c
		args = append(args, a...)
	}
	return "(" + cond + ")", args
}

// outsideSQL is the condition leaving out the hamlets that lie elsewhere; "" when there are none.
func (sc *unitScope) outsideSQL(alias string) (string, []any) {
	if len(sc.outside) == 0 {
		return "", nil
	}
	return alias + ".hamlet_id NOT IN ?", []any{sc.outside}
}

// hamletsUnderSQL is the condition on a record's commune_id and hamlet_id keeping the records
// whose hamlet lies under one of paths: what those units hold now, a merged or split commune's
// records following their hamlets. It means exactly "hamlet_id IN (the hamlets under paths)",
// but names the communes those hamlets ever belonged to (hamlet_communes, which holds every
// petition's hamlet and commune), so the database reads the records through their
// (commune_id, …) indexes and stops after a page; the hamlets to leave out are named only when
// one of those communes also had hamlets elsewhere (a split).
func (s *Store) hamletsUnderSQL(ctx context.Context, alias string, paths []string) (string, []any, error) {
	r, err := s.scopes(ctx)
	if err != nil {
		return "", nil, err
	}
	sc, err := r.held(paths)
	if err != nil {
		return "", nil, err
	}
	cond, args := sc.sql(alias)
	return cond, args, nil
}

// scopeReader resolves units and what they hold for one request: from the store's cache while
// the units and hamlet_communes have not changed (unit_scope_version, bumped by their triggers
// in the transaction that changes them, whichever process makes it), from the database
// otherwise. The version is read once, when the reader is made.
type scopeReader struct {
	s       *Store
	ctx     context.Context
	version int64
	// refVersion is reference_version's counter, read with version (reference.go).
	refVersion int64
	// keep tells whether what is read may be cached: not inside a transaction, which may have
	// changed the units itself and may still roll back.
	keep bool
}

// scopeReaderKey carries a request's scopeReader in its context (withScopes).
type scopeReaderKey struct{}

// withScopes starts a scopeReader outside the transaction a read is about to open for itself
// (with no writes), so that what it resolves is cached all the same.
func (s *Store) withScopes(ctx context.Context) (context.Context, error) {
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, scopeReaderKey{}, r), nil
}

// ReadingWith returns ctx for a request signed in with sess that writes nothing: its scope
// reader starts from the versions Authenticate read with the session, so resolving units and
// reference data costs the request no round trip of its own. Not for a request that writes: one
// that changed units would resolve them at the versions from before its own change.
func (s *Store) ReadingWith(ctx context.Context, sess *Session) context.Context {
	if _, inTx := txOf(ctx); sess == nil || !sess.versions.read || inTx {
		return ctx
	}
	return context.WithValue(ctx, scopeReaderKey{}, &scopeReader{s: s, ctx: ctx, version: sess.versions.units,
		refVersion: sess.versions.reference, keep: true})
}

// keptScopes starts a scopeReader at the version of the units the process keeps, without a
// round trip: for a read that checks that version in its own statement and starts again when
// it moved (PublicPetitions). False when nothing is kept, or inside a transaction.
func (s *Store) keptScopes(ctx context.Context) (*scopeReader, bool) {
	if _, inTx := txOf(ctx); inTx {
		return nil, false
	}
	version := s.scopeCache.keptVersion()
	return &scopeReader{s: s, ctx: ctx, version: version, keep: true}, version > 0
}

// scopes starts a scopeReader (one round trip, for the version), or returns the request's.
func (s *Store) scopes(ctx context.Context) (*scopeReader, error) {
	if r, ok := ctx.Value(scopeReaderKey{}).(*scopeReader); ok {
		return r, nil
	}
	version, refVersion, err := s.versions(ctx)
	if err != nil {
		return nil, err
	}
	_, inTx := txOf(ctx)
	return &scopeReader{s: s, ctx: ctx, version: version, refVersion: refVersion, keep: !inTx}, nil
}

// held returns what the units under paths hold.
func (r *scopeReader) held(paths []string) (*unitScope, error) {
	return kept(r.s.scopeCache, "scope:"+strings.Join(paths, "|"), r.version, r.keep, func() (*unitScope, error) {
		return r.s.lookupScope(r.ctx, paths)
	})
}

// unit returns a unit by id (ErrNotFound when there is none); the caller owns the copy.
func (r *scopeReader) unit(id int64) (*Unit, error) {
	u, err := kept(r.s.scopeCache, "unit:"+strconv.FormatInt(id, 10), r.version, r.keep, func() (*Unit, error) {
		return r.s.unitByID(r.ctx, id)
	})
	if err != nil {
		return nil, err
	}
	c := *u
	return &c, nil
}

// unitFor is Store.Unit through the reader: a unit by id that the actor may see, ErrNotFound
// for one they may not.
func (r *scopeReader) unitFor(actor Actor, id int64) (*Unit, error) {
	u, err := r.unit(id)
	if err != nil {
		return nil, err
	}
	if !actor.SeesUnit(u) {
		return nil, ErrNotFound
	}
	return u, nil
}

// versions reads, in one statement, the counters the unit triggers and the reference triggers
// bump.
func (s *Store) versions(ctx context.Context) (units, reference int64, err error) {
	found, err := findFixed(ctx, s, "versions", nil, func(q *gorm.DB) *gorm.DB {
		return q.Raw(`SELECT u.n, r.n FROM unit_scope_version u CROSS JOIN reference_version r WHERE u.id = 1 AND r.id = 1`)
	}, func(v *[2]int64, into []any) []any { return append(into, &v[0], &v[1]) })
	if err != nil {
		return 0, 0, err
	}
	if len(found) == 0 {
		return 0, 0, sql.ErrNoRows
	}
	return found[0][0], found[0][1], nil
}

// lookupScope reads what the units under paths hold from the database.
func (s *Store) lookupScope(ctx context.Context, paths []string) (*unitScope, error) {
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
	rows, err := s.conn(ctx).Raw(q, append(underArgs, innerArgs...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc := &unitScope{}
	for rows.Next() {
		var commune, hamlet int64
		var inside bool
		if err := rows.Scan(&commune, &hamlet, &inside); err != nil {
			return nil, err
		}
		sc.communes = append(sc.communes, commune)
		if !inside {
			sc.outside = append(sc.outside, hamlet)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(sc.communes)
	sc.communes = slices.Compact(sc.communes)
	slices.Sort(sc.outside)
	sc.outside = slices.Compact(sc.outside)
	return sc, nil
}

// kept returns the entry of key that c keeps at version, or else what load reads, kept in turn
// when keep says it may be: the one way the scope and reference caches are filled.
func kept[T any](c *scopeCache, key string, version int64, keep bool, load func() (T, error)) (T, error) {
	if v, ok := c.get(key, version); ok {
		return v.(T), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	if keep {
		c.put(key, version, v)
	}
	return v, nil
}

// scopeCacheSize bounds the entries kept; past it the cache starts again (the scopes of a
// country are a few thousand units and monitors' sets).
const scopeCacheSize = 20000

// scopeCache keeps resolved scopes and units for one version of the units. Entries are never
// changed once kept.
type scopeCache struct {
	mu      sync.Mutex
	version int64
	entries map[string]any
}

// get returns the entry of key if it was kept at version.
func (c *scopeCache) get(key string, version int64) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	v, ok := c.entries[key]
	return v, ok
}

// keptVersion is the version of the units the entries were read at (0: none yet).
func (c *scopeCache) keptVersion() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// put keeps an entry read at version; a newer version drops every entry of the older one, and
// an entry of an older version than the cache's is not kept.
func (c *scopeCache) put(key string, version int64, v any) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || c.entries == nil || len(c.entries) >= scopeCacheSize {
		c.version, c.entries = version, map[string]any{}
	}
	c.entries[key] = v
}
