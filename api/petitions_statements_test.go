package api

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestPetitionWriteStatementsThroughAPI counts what a create and an assignment send for one
// request, the session's read included, as the speed table counts them on PostgreSQL
// (docs/PERFORMANCE.md): a create with its idempotency key 3, the assignment 5. The create
// answers with the petition it wrote, as a read of it would.
func TestPetitionWriteStatementsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		want := func(postgres, sqlite int) int {
			if e.store.Dialect() == models.Postgres {
				return postgres
			}
			return sqlite
		}
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		c := dbtest.CountStatements(t, e.store)
		var r response
		// the session; the place, the deadline rule and the key in one read; the counter, the
		// petition, its event, the rollups and the key in one statement (SQLite: five)
		n := c.Count(func() { r = sec.do("POST", "/api/v1/petitions", e.petitionBody(nil), "Idempotency-Key", "count-1") })
		expect(t, r, http.StatusCreated)
		if n != want(3, 7) {
			t.Errorf("a create sent %d statements, want %d", n, want(3, 7))
		}
		created := r.m(t)
		if read := sec.do("GET", petitionPath(created, ""), nil).m(t); !reflect.DeepEqual(created, read) {
			t.Errorf("the create answered\n%v\na read gives\n%v", created, read)
		}
		// a replay: the session, the read that finds the key, the petition
		n = c.Count(func() { r = sec.do("POST", "/api/v1/petitions", e.petitionBody(nil), "Idempotency-Key", "count-1") })
		expect(t, r, http.StatusOK)
		if n != 3 || r.m(t)["id"] != created["id"] {
			t.Errorf("a replay sent %d statements, want 3, and answered %v", n, r.m(t)["id"])
		}
		// the session; the petition with the unit and the rule; the update with its event
		// (SQLite: two); the rollups; the officials' notifications
		n = c.Count(func() {
			r = chair.do("POST", petitionPath(created, "/transitions"), map[string]any{"to": "assigned",
				"responsible_unit_id": e.world.CommuneA.ID, "version": created["version"]})
		})
		expect(t, r, http.StatusOK)
		if n != want(5, 6) {
			t.Errorf("an assignment sent %d statements, want %d", n, want(5, 6))
		}
	})
}

// TestReadStatementsThroughAPI: a signed-in read resolves its units at the versions read with
// its session, so a commune's list sends the session's statement and the list's, no third for
// the versions; and a commune an admin moves away is out of its old district's very next list.
func TestReadStatementsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		chair, official, admin := e.as(w.ChairA), e.as(w.DistrictOfficial), e.as(w.Admin)
		expect(t, e.as(w.SecretaryA).do("POST", "/api/v1/petitions", e.petitionBody(nil)), http.StatusCreated)
		list := func(c *client) []any {
			t.Helper()
			r := c.do("GET", "/api/v1/petitions", nil)
			expect(t, r, http.StatusOK)
			return r.m(t)["items"].([]any)
		}
		if n := len(list(chair)); n != 1 { // the units are read once, then kept while their versions hold
			t.Fatalf("the commune lists %d petitions, want 1", n)
		}
		c := dbtest.CountStatements(t, e.store)
		if n := c.Count(func() { list(chair) }); n != 2 {
			t.Errorf("a commune's list sent %d statements, want 2", n)
		}
		if n := len(list(official)); n != 1 {
			t.Fatalf("the district lists %d petitions, want 1", n)
		}
		unit := admin.do("GET", fmt.Sprintf("/api/v1/units/%d", w.CommuneA.ID), nil).m(t)
		expect(t, admin.do("PATCH", fmt.Sprintf("/api/v1/units/%d", w.CommuneA.ID),
			map[string]any{"parent_id": w.OtherDistrict.ID, "version": unit["version"]}), http.StatusOK)
		if items := list(official); len(items) != 0 {
			t.Errorf("after its commune moved away the district still lists %v", items)
		}
	})
}
