package api

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/papi-dialogue/papi/models"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestLoginMeLogout(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		c := e.as(e.world.ChairA)
		if c.cookie == nil || !c.cookie.HttpOnly || c.cookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax", c.cookie)
		}
		r := c.do("GET", "/api/v1/auth/me", nil)
		expect(t, r, 200)
		me := r.m(t)
		if me["username"] != "chair.a" || me["role"] != "commune_chair" || me["csrf_token"] != c.csrf || me["password_hash"] != nil {
			t.Fatalf("me = %v", me)
		}
		expect(t, c.do("POST", "/api/v1/auth/logout", nil), 204)
		expect(t, c.do("GET", "/api/v1/auth/me", nil), 401)
	})
}

func TestUnsafeRequestsNeedTheCSRFToken(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		c := e.as(e.world.Admin)
		body := map[string]any{"code": "XX", "name_vi": "Thử", "name_en": "Try", "response_days": 10, "papi_dimension": "participation"}
		good := c.csrf
		c.csrf = ""
		expect(t, c.do("POST", "/api/v1/topics", body), 403)
		c.csrf = "wrong"
		expect(t, c.do("POST", "/api/v1/topics", body), 403)
		c.csrf = good
		expect(t, c.do("POST", "/api/v1/topics", body), 201)
	})
}

func TestLoginFailuresAreGenericAndThrottled(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		a := e.anon()
		known := a.do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": "wrong-password"})
		unknown := a.do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "wrong-password"})
		expect(t, known, 401)
		expect(t, unknown, 401)
		if known.Body.String() != unknown.Body.String() {
			t.Fatalf("replies differ: %s vs %s", known.Body, unknown.Body)
		}
		for i := 0; i < 4; i++ {
			expect(t, a.do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": "wrong-password"}), 401)
		}
		// Five failures: even the right password is refused for a while, and so is an unknown name.
		expect(t, a.do("POST", "/api/v1/auth/login", map[string]string{"username": "CHAIR.A", "password": dbtest.Password}), 429)
		for i := 0; i < 4; i++ {
			a.do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"})
		}
		expect(t, a.do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"}), 429)
		// Others are not affected.
		e.as(e.world.ChairB)
	})
}

func TestBadInputGetsFieldErrorsInTheRequestedLanguage(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		a := e.anon()
		expect(t, a.do("POST", "/api/v1/auth/login", `{"username": "x"`), 400)
		r := a.do("POST", "/api/v1/auth/login", `{}`)
		expect(t, r, 422)
		f := fieldErrors(t, r)
		if !strings.Contains(f["username"], "Không được để trống") || f["password"] == "" {
			t.Fatalf("fields %v", f)
		}
		a.lang = "en-US,en;q=0.9"
		r = a.do("POST", "/api/v1/auth/login", `{"username": 5, "password": "x"}`)
		expect(t, r, 422)
		if f := fieldErrors(t, r); !strings.Contains(f["username"], "Wrong type") {
			t.Fatalf("fields %v", f)
		}
	})
}

func TestSessionsExpireAndLiveInTheDatabase(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			url := dbtest.NewDatabase(t, d)
			open := func() *models.Store {
				s, err := models.Open(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				s.BcryptCost = bcrypt.MinCost
				t.Cleanup(func() { s.Close() })
				return s
			}
			// Two processes over one database.
			e := newTestEnv(t, open())
			second := open()
			other := New(second, Config{}, e.srv.log).Handler()
			c := e.as(e.world.SecretaryA)
			e.h = other
			expect(t, c.do("GET", "/api/v1/auth/me", nil), 200)
			second.Now = func() time.Time { return time.Now().Add(13 * time.Hour) }
			expect(t, c.do("GET", "/api/v1/auth/me", nil), 401)
		})
	}
}
