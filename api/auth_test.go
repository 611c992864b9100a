package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"

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

// TestGuessesAreCountedBeforeTheCheck sends 100 wrong passwords for one account at once: only
// the first few are checked, the rest answer 429 with Retry-After. The owner, signing in from
// elsewhere, still gets in; from the guesser's address the right password waits too.
func TestGuessesAreCountedBeforeTheCheck(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		guesser := e.from("203.0.113.7")
		codes := make(chan response, 100)
		var wg sync.WaitGroup
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- guesser.do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": "wrong-password"})
			}()
		}
		wg.Wait()
		close(codes)
		count := map[int]int{}
		for r := range codes {
			count[r.Code]++
			if r.Code == http.StatusTooManyRequests {
				retry, err := strconv.Atoi(r.Header().Get("Retry-After"))
				if err != nil || retry < 1 || retry > int(models.LoginWindow.Seconds()) {
					t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
				}
			}
		}
		if count[http.StatusUnauthorized] != models.LoginMaxFailures || count[http.StatusTooManyRequests] != 100-models.LoginMaxFailures {
			t.Fatalf("100 parallel guesses answered %v, want %d checked and the rest refused", count, models.LoginMaxFailures)
		}
		right := map[string]string{"username": "chair.a", "password": dbtest.Password}
		expect(t, guesser.do("POST", "/api/v1/auth/login", right), http.StatusTooManyRequests)
		expect(t, e.from("198.51.100.20").do("POST", "/api/v1/auth/login", right), http.StatusOK)
		expect(t, e.anon().do("POST", "/api/v1/auth/login", right), http.StatusOK)
	})
}

// TestOneAddressCannotSprayAccounts tries many accounts from one address: past the address's
// limit it waits, other addresses do not; successful sign-ins, as from a busy office behind
// one router, never use the limit up.
func TestOneAddressCannotSprayAccounts(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		office := e.from("203.0.113.50")
		right := map[string]string{"username": "secretary.a", "password": dbtest.Password}
		for i := 0; i <= models.LoginMaxPerAddress; i++ {
			expect(t, office.do("POST", "/api/v1/auth/login", right), http.StatusOK)
		}
		// Known accounts (an unknown one costs a full-cost dummy hash), each below its own limit.
		var names []string
		if err := e.store.Gorm().Raw("SELECT username FROM users ORDER BY id").Scan(&names).Error; err != nil || len(names)*(models.LoginMaxFailures-1) < models.LoginMaxPerAddress {
			t.Fatalf("%d users to spray: %v", len(names), err)
		}
		sprayer := e.from("203.0.113.66")
		for i := 0; i < models.LoginMaxPerAddress; i++ {
			body := map[string]string{"username": names[i%len(names)], "password": "Mật-khẩu-đoán"}
			expect(t, sprayer.do("POST", "/api/v1/auth/login", body), http.StatusUnauthorized)
		}
		r := sprayer.do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": dbtest.Password})
		expect(t, r, http.StatusTooManyRequests)
		if r.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		expect(t, office.do("POST", "/api/v1/auth/login", right), http.StatusOK)
	})
}

// TestPasswordRules refuses new passwords that are short, the username, or common, however
// they arrive (a new user, an admin's reset, one's own change), and names the field.
func TestPasswordRules(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.as(e.world.Admin)
		chair := e.as(e.world.ChairA)
		for _, pw := range []string{"short-pw1", "nguyen.van.a", "NGUYEN.VAN.A", "1234567890", "Password123", "MATKHAU123"} {
			r := admin.do("POST", "/api/v1/users", map[string]any{"username": "nguyen.van.a", "password": pw, "role": "secretary", "unit_id": e.world.CommuneA.ID})
			expect(t, r, http.StatusUnprocessableEntity)
			if f := fieldErrors(t, r); f["password"] == "" {
				t.Errorf("%q: fields %v", pw, f)
			}
			own := strings.ReplaceAll(strings.ReplaceAll(pw, "nguyen.van.a", "chair.a"), "NGUYEN.VAN.A", "CHAIR.A")
			r = chair.do("POST", "/api/v1/auth/password", map[string]any{"current_password": dbtest.Password, "new_password": own})
			expect(t, r, http.StatusUnprocessableEntity)
			if f := fieldErrors(t, r); f["new_password"] == "" {
				t.Errorf("change to %q: fields %v", own, f)
			}
		}
		r := admin.do("POST", "/api/v1/users", map[string]any{"username": "nguyen.van.a", "password": "Cau-Tan-Hoa-2026", "role": "secretary", "unit_id": e.world.CommuneA.ID})
		expect(t, r, http.StatusCreated)
		id := int64(r.m(t)["id"].(float64))
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"password": "qwertyuiop", "version": 1})
		expect(t, r, http.StatusUnprocessableEntity)
	})
}

// TestWeakPasswordMustBeChanged signs in a user whose password predates the rules: they get
// in, /auth/me asks for a new password until they choose a good one.
func TestWeakPasswordMustBeChanged(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		const old = "12345678"
		hash, err := e.store.HashPassword(old)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.Gorm().Exec("UPDATE users SET password_hash = ? WHERE id = ?", hash, e.world.ChairA.ID).Error; err != nil {
			t.Fatal(err)
		}
		c := e.anon()
		r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": old})
		expect(t, r, http.StatusOK)
		if r.m(t)["password_change_required"] != true {
			t.Fatalf("weak password not flagged: %s", r.Body)
		}
		signed := e.as(e.world.SecretaryA)
		if me := signed.do("GET", "/api/v1/auth/me", nil).m(t); me["password_change_required"] != false {
			t.Fatalf("good password flagged: %v", me)
		}
		for _, ck := range r.Result().Cookies() {
			if ck.Name == SessionCookie {
				c.cookie = ck
			}
		}
		c.csrf = r.m(t)["csrf_token"].(string)
		if me := c.do("GET", "/api/v1/auth/me", nil).m(t); me["password_change_required"] != true {
			t.Fatalf("me forgets the weak password: %v", me)
		}
		expect(t, c.do("POST", "/api/v1/auth/password", map[string]any{"current_password": old, "new_password": dbtest.Password}), http.StatusNoContent)
		if me := c.do("GET", "/api/v1/auth/me", nil).m(t); me["password_change_required"] != false {
			t.Fatalf("still asked after the change: %v", me)
		}
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
