package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/papi-dialogue/papi/models"
)

// SMTPConfig is an e-mail server: STARTTLS is required unless TLS is "none" (a relay on the
// same host) or "implicit" (port 465).
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (the default), "implicit" or "none".
	TLS string
	// TLSConfig overrides the TLS settings; tests trust their own certificate with it.
	TLSConfig *tls.Config
}

// Email sends messages through an SMTP server.
type Email struct {
	cfg SMTPConfig
}

// NewEmail returns the e-mail channel of cfg.
func NewEmail(cfg SMTPConfig) *Email { return &Email{cfg: cfg} }

func (e *Email) addr() string { return net.JoinHostPort(e.cfg.Host, strconv.Itoa(e.cfg.Port)) }

func (e *Email) tlsConfig() *tls.Config {
	if e.cfg.TLSConfig != nil {
		return e.cfg.TLSConfig
	}
	return &tls.Config{ServerName: e.cfg.Host, MinVersion: tls.VersionTLS12}
}

// dial opens an authenticated session with the server, over TLS unless configured otherwise.
func (e *Email) dial(ctx context.Context) (*smtp.Client, error) {
	d := net.Dialer{Timeout: 15 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", e.addr())
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	var c *smtp.Client
	switch e.cfg.TLS {
	case "none":
		c = smtp.NewClient(conn)
	case "implicit":
		c = smtp.NewClient(tls.Client(conn, e.tlsConfig()))
	default:
		if c, err = smtp.NewClientStartTLS(conn, e.tlsConfig()); err != nil {
			conn.Close()
			return nil, fmt.Errorf("starttls: %w", err)
		}
	}
	if e.cfg.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", e.cfg.Username, e.cfg.Password)); err != nil {
			c.Close()
			return nil, Permanent(fmt.Errorf("smtp auth: %w", err))
		}
	}
	return c, nil
}

// Check connects and signs in, so a wrong setting shows at start.
func (e *Email) Check(ctx context.Context) error {
	c, err := e.dial(ctx)
	if err != nil {
		return err
	}
	return c.Quit()
}

// Send delivers one message. Its Message-ID comes from the idempotency key, so a copy sent
// after a crash carries the same id and mail systems drop it.
func (e *Email) Send(ctx context.Context, m *models.Notification) error {
	from, err := mail.ParseAddress(e.cfg.From)
	if err != nil {
		return Permanent(fmt.Errorf("from address: %w", err))
	}
	msg, err := e.compose(from, m)
	if err != nil {
		return Permanent(err)
	}
	c, err := e.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(from.Address, []string{m.Recipient}, bytes.NewReader(msg)); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code >= 500 {
			return Permanent(err)
		}
		return err
	}
	return c.Quit()
}

// compose writes the message: UTF-8 text, quoted-printable, subject encoded for the header.
func (e *Email) compose(from *mail.Address, m *models.Notification) ([]byte, error) {
	domain := "papi.local"
	if at := bytes.LastIndexByte([]byte(from.Address), '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	var b bytes.Buffer
	h := textproto.MIMEHeader{}
	h.Set("From", from.String())
	h.Set("To", m.Recipient)
	h.Set("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h.Set("Date", time.Now().UTC().Format(time.RFC1123Z))
	h.Set("Message-ID", "<"+m.IdempotencyKey+"@"+domain+">")
	h.Set("X-Idempotency-Key", m.IdempotencyKey)
	h.Set("MIME-Version", "1.0")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-ID", "X-Idempotency-Key", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"} {
		fmt.Fprintf(&b, "%s: %s\r\n", k, h.Get(k))
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write(bytes.ReplaceAll([]byte(m.Body), []byte("\n"), []byte("\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
