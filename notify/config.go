package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// Config is the channels' configuration, from PAPI_SMTP_*, PAPI_SMS_* and PAPI_ZALO_*; a
// channel whose variables are unset is nil, and its messages are recorded as not sent.
type Config struct {
	// PublicURL is where residents open the links messages carry.
	PublicURL string
	// ReplyToken is the bearer token with which a gateway forwards residents' replies.
	ReplyToken string
	// Lease is how long a sender holds the messages it claimed; a crashed sender's messages
	// go again once it has run out.
	Lease time.Duration
	SMTP  *SMTPConfig
	SMS   *SMSConfig
	Zalo  *ZaloConfig
}

// Usage documents the variables, for `papi --help`.
const Usage = `  PAPI_PUBLIC_URL      where residents open the app, for links in messages (default http://localhost:8080)
  PAPI_SMTP_HOST       e-mail server; unset: no e-mail is sent (messages recorded as not sent)
  PAPI_SMTP_PORT       default 587
  PAPI_SMTP_USERNAME, PAPI_SMTP_PASSWORD   sign-in (AUTH PLAIN, over TLS)
  PAPI_SMTP_FROM       sender address, required with PAPI_SMTP_HOST
  PAPI_SMTP_TLS        starttls (default), implicit (port 465) or none (a relay on this host)
  PAPI_SMS_URL         HTTP SMS gateway; unset: no SMS is sent
  PAPI_SMS_USERNAME, PAPI_SMS_PASSWORD, PAPI_SMS_BRAND   gateway credentials and brand name
  PAPI_SMS_BODY        request body template (Go text/template over .To .Text .Key .Brand .Username .Password)
  PAPI_ZALO_APP_ID, PAPI_ZALO_SECRET_KEY, PAPI_ZALO_REFRESH_TOKEN   Zalo OA template messages; unset: none sent
  PAPI_ZALO_API_URL, PAPI_ZALO_OAUTH_URL   Zalo endpoints (defaults: Zalo's own)
  PAPI_NOTIFY_LEASE    how long a sender holds the messages it took before another may (default 2m, 5s–1h);
                       after a crash, its messages go again once this has passed
  PAPI_REPLY_TOKEN     bearer token with which a gateway posts residents' replies to /api/v1/public/replies/{sms,zalo}
`

// ConfigFromEnv reads and checks the channels' variables; an error names the one at fault.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{PublicURL: "http://localhost:8080", ReplyToken: getenv("PAPI_REPLY_TOKEN"), Lease: 2 * time.Minute}
	if v := getenv("PAPI_NOTIFY_LEASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 5*time.Second || d > time.Hour {
			return c, fmt.Errorf("PAPI_NOTIFY_LEASE=%q: want a duration from 5s to 1h, such as 2m", v)
		}
		c.Lease = d
	}
	if v := getenv("PAPI_PUBLIC_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("PAPI_PUBLIC_URL=%q: want an http(s) URL such as https://papi.example.gov.vn", v)
		}
		c.PublicURL = v
	}
	if host := getenv("PAPI_SMTP_HOST"); host != "" {
		s := &SMTPConfig{Host: host, Port: 587, Username: getenv("PAPI_SMTP_USERNAME"), Password: getenv("PAPI_SMTP_PASSWORD"),
			From: getenv("PAPI_SMTP_FROM"), TLS: getenv("PAPI_SMTP_TLS")}
		if v := getenv("PAPI_SMTP_PORT"); v != "" {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return c, fmt.Errorf("PAPI_SMTP_PORT=%q: want a port number", v)
			}
			s.Port = p
		}
		if _, err := mail.ParseAddress(s.From); err != nil {
			return c, fmt.Errorf("PAPI_SMTP_FROM=%q: want a sender address such as \"UBND xã <noreply@example.gov.vn>\"", s.From)
		}
		switch s.TLS {
		case "":
			s.TLS = "starttls"
		case "starttls", "implicit", "none":
		default:
			return c, fmt.Errorf("PAPI_SMTP_TLS=%q: want starttls, implicit or none", s.TLS)
		}
		c.SMTP = s
	}
	if v := getenv("PAPI_SMS_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("PAPI_SMS_URL=%q: want an http(s) URL", v)
		}
		c.SMS = &SMSConfig{URL: v, Username: getenv("PAPI_SMS_USERNAME"), Password: getenv("PAPI_SMS_PASSWORD"),
			Brand: getenv("PAPI_SMS_BRAND"), Body: getenv("PAPI_SMS_BODY"), ContentType: getenv("PAPI_SMS_CONTENT_TYPE")}
		if _, err := NewSMS(*c.SMS, nil); err != nil {
			return c, err
		}
	}
	if id := getenv("PAPI_ZALO_APP_ID"); id != "" {
		z := &ZaloConfig{AppID: id, SecretKey: getenv("PAPI_ZALO_SECRET_KEY"), RefreshToken: getenv("PAPI_ZALO_REFRESH_TOKEN"),
			APIURL: "https://business.openapi.zalo.me/message/template", OAuthURL: "https://oauth.zaloapp.com/v4/oa/access_token"}
		if v := getenv("PAPI_ZALO_API_URL"); v != "" {
			z.APIURL = v
		}
		if v := getenv("PAPI_ZALO_OAUTH_URL"); v != "" {
			z.OAuthURL = v
		}
		if z.SecretKey == "" || z.RefreshToken == "" {
			return c, fmt.Errorf("PAPI_ZALO_APP_ID is set: PAPI_ZALO_SECRET_KEY and PAPI_ZALO_REFRESH_TOKEN are needed too")
		}
		c.Zalo = z
	}
	return c, nil
}

// Build returns the configured channels. It checks the e-mail server at once and logs what it
// finds; a server that is down only delays messages, so it does not stop the start.
func (c Config) Build(ctx context.Context, tokens TokenStore, log *slog.Logger) (Channels, error) {
	out := Channels{}
	client := &http.Client{Timeout: 30 * time.Second}
	if c.SMTP != nil {
		e := NewEmail(*c.SMTP)
		checkCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := e.Check(checkCtx); err != nil {
			log.Warn("notifications: the e-mail server does not answer yet; e-mails will wait", "host", c.SMTP.Host, "error", err)
		}
		cancel()
		out[models.NotifyEmail] = e
	}
	if c.SMS != nil {
		s, err := NewSMS(*c.SMS, client)
		if err != nil {
			return nil, err
		}
		out[models.NotifySMS] = s
	}
	if c.Zalo != nil {
		out[models.NotifyZalo] = NewZalo(*c.Zalo, tokens, client)
	}
	for _, ch := range models.NotifyChannels() {
		if _, ok := out[ch]; !ok {
			log.Info("notifications: channel not configured; its messages are recorded as not sent", "channel", ch)
		}
	}
	return out, nil
}
