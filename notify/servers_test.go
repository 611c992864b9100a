package notify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server in the test process: STARTTLS, AUTH PLAIN, and every message it
// accepted.
type mailbox struct {
	mu       sync.Mutex
	messages []received
	server   *smtp.Server
	addr     string
	client   *tls.Config
	// onData, when set, runs after the nth message was accepted and before the server answers
	// the client, so a test can hold the answer back.
	onData func(n int)
}

// received is one accepted message.
type received struct {
	From, To string
	Msg      *mail.Message
	Body     string
}

const smtpUser, smtpPassword = "ubnd.tanthoi", "mat-khau-smtp"

// selfSigned returns a server certificate for 127.0.0.1 and a client config that trusts it.
func selfSigned(t testing.TB) (*tls.Config, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// startMailbox listens on addr ("127.0.0.1:0" for any port) until the test ends.
func startMailbox(t testing.TB, addr string, serverTLS, clientTLS *tls.Config) *mailbox {
	t.Helper()
	if serverTLS == nil {
		serverTLS, clientTLS = selfSigned(t)
	}
	mb := &mailbox{client: clientTLS}
	mb.server = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{mb: mb}, nil }))
	mb.server.Domain = "localhost"
	mb.server.TLSConfig = serverTLS
	mb.server.ReadTimeout, mb.server.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go mb.server.Serve(ln)
	t.Cleanup(func() { mb.server.Close() })
	return mb
}

func (mb *mailbox) all() []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]received(nil), mb.messages...)
}

type session struct {
	mb       *mailbox
	authed   bool
	from, to string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != smtpUser || pass != smtpPassword {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.messages = append(s.mb.messages, received{From: s.from, To: s.to, Msg: m, Body: string(body)})
	n, hook := len(s.mb.messages), s.mb.onData
	s.mb.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// gateway is an HTTP SMS gateway of the eSMS shape: a JSON POST carrying ApiKey, SecretKey,
// Phone, Content, Brandname and RequestId, answered {"CodeResult":"100","SMSID":…}. It answers
// 500 to the first failFirst requests.
type gateway struct {
	mu        sync.Mutex
	requests  []map[string]string
	failFirst int
	srv       *httptest.Server
}

func startGateway(t testing.TB, failFirst int) *gateway {
	g := &gateway{failFirst: failFirst}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		g.requests = append(g.requests, body)
		fail := len(g.requests) <= g.failFirst
		g.mu.Unlock()
		if fail {
			http.Error(w, "gateway busy", http.StatusInternalServerError)
			return
		}
		if body["ApiKey"] != "key" || body["SecretKey"] != "secret" {
			_ = json.NewEncoder(w).Encode(map[string]string{"CodeResult": "101", "ErrorMessage": "Sai ApiKey hoặc SecretKey"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"CodeResult": "100", "SMSID": "sms-" + body["RequestId"]})
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) all() []map[string]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]string(nil), g.requests...)
}

// zaloServer follows Zalo's shapes: POST /v4/oa/access_token (form, secret_key header) renews
// tokens; POST /message/template (access_token header) takes phone, template_id, template_data
// and tracking_id and answers {"error":0,…}, or -124 for a token it did not hand out.
type zaloServer struct {
	mu       sync.Mutex
	valid    map[string]bool
	refresh  string
	renewals int
	refused  int // renewals refused for a refresh token already used
	messages []map[string]any
	srv      *httptest.Server
	// renewDelay is how long a renewal takes, so that concurrent senders overlap.
	renewDelay time.Duration
}

func startZalo(t testing.TB) *zaloServer {
	z := &zaloServer{valid: map[string]bool{}, refresh: "refresh-1"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v4/oa/access_token", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(z.renewDelay)
		z.mu.Lock()
		defer z.mu.Unlock()
		if r.Header.Get("secret_key") != "zalo-secret" || r.FormValue("app_id") != "app-1" ||
			r.FormValue("grant_type") != "refresh_token" || r.FormValue("refresh_token") != z.refresh {
			z.refused++
			_ = json.NewEncoder(w).Encode(map[string]any{"error": -14014, "error_name": "Invalid refresh token"})
			return
		}
		z.renewals++
		tok := "access-" + strings.Repeat("x", z.renewals)
		z.valid[tok] = true
		z.refresh = "refresh-" + strings.Repeat("y", z.renewals+1)
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "refresh_token": z.refresh, "expires_in": "90000"})
	})
	mux.HandleFunc("POST /message/template", func(w http.ResponseWriter, r *http.Request) {
		z.mu.Lock()
		defer z.mu.Unlock()
		if !z.valid[r.Header.Get("access_token")] {
			_ = json.NewEncoder(w).Encode(map[string]any{"error": -124, "message": "Access token is invalid"})
			return
		}
		var body map[string]any
		if json.NewDecoder(r.Body).Decode(&body) != nil {
			_ = json.NewEncoder(w).Encode(map[string]any{"error": -100, "message": "bad body"})
			return
		}
		z.messages = append(z.messages, body)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": 0, "message": "Success", "data": map[string]any{"msg_id": "m1"}})
	})
	z.srv = httptest.NewServer(mux)
	t.Cleanup(z.srv.Close)
	return z
}
