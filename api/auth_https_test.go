package api

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// With Secure cookies, a sign-in the browser could never carry on from (plain HTTP) is refused
// with the reason, before the password is even checked; one over HTTPS, or through a trusted
// proxy that terminated HTTPS, or to localhost, goes through.
func TestSignInOverPlainHTTPWithSecureCookiesSaysWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		proxy := netip.MustParsePrefix("10.0.0.2/32")
		cases := []struct {
			name    string
			secure  bool
			remote  string
			host    string
			proto   string
			tls     bool
			want    int
			wantMsg string
		}{
			{"plain http", true, "192.0.2.1:4000", "papi.example", "", false, http.StatusForbidden, "PAPI_COOKIE_SECURE"},
			{"forwarded proto from a stranger", true, "192.0.2.1:4000", "papi.example", "https", false, http.StatusForbidden, "https://"},
			{"trusted proxy says http", true, "10.0.0.2:4000", "papi.example", "http", false, http.StatusForbidden, "plain HTTP"},
			{"trusted proxy says https", true, "10.0.0.2:4000", "papi.example", "https", false, http.StatusOK, ""},
			{"direct TLS", true, "192.0.2.1:4000", "papi.example", "", true, http.StatusOK, ""},
			{"localhost", true, "127.0.0.1:4000", "localhost:8080", "", false, http.StatusOK, ""},
			{"cookies not secure", false, "192.0.2.1:4000", "192.168.1.10:8080", "", false, http.StatusOK, ""},
		}
		for _, c := range cases {
			srv := New(s, Config{CookieSecure: c.secure, TrustedProxies: []netip.Prefix{proxy}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login",
				strings.NewReader(`{"username":"`+w.ChairA.Username+`","password":"`+dbtest.Password+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "en")
			req.RemoteAddr, req.Host = c.remote, c.host
			if c.proto != "" {
				req.Header.Set("X-Forwarded-Proto", c.proto)
			}
			if c.tls {
				req.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Errorf("%s: %d %s", c.name, rec.Code, rec.Body)
				continue
			}
			cookies := rec.Result().Cookies()
			if c.want != http.StatusOK {
				var body errorBody
				_ = json.Unmarshal(rec.Body.Bytes(), &body)
				if body.Error.Code != "https_required" || !strings.Contains(body.Error.Message, c.wantMsg) || len(cookies) != 0 {
					t.Errorf("%s: %s, cookies %v", c.name, rec.Body, cookies)
				}
				continue
			}
			if len(cookies) != 1 || cookies[0].Secure != c.secure {
				t.Errorf("%s: cookies %v", c.name, cookies)
			}
		}
	})
}
