package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/template"

	"github.com/papi-dialogue/papi/models"
)

// DefaultSMSBody is the request body of Vietnamese brand-name SMS gateways (eSMS's
// SendMultipleMessage_V4_post_json shape): credentials, the number, the text, the brand name,
// whether the text needs Unicode (Vietnamese letters: "1") or goes as 7-bit GSM (an official's
// plain SMS: "0"), and the request id by which the gateway drops a repeated request.
const DefaultSMSBody = `{"ApiKey":{{json .Username}},"SecretKey":{{json .Password}},"Phone":{{json .To}},` +
	`"Content":{{json .Text}},"Brandname":{{json .Brand}},"SmsType":"2","IsUnicode":{{json .Unicode}},"RequestId":{{json .Key}}}`

// SMSConfig is an HTTP SMS gateway.
type SMSConfig struct {
	URL      string
	Username string
	Password string
	Brand    string
	// Body is a text/template of the request body over To, Text, Key, Brand, Username,
	// Password and Unicode ("1", or "0" for a text in GSM letters); the json function quotes a value.
	Body string
	// ContentType of the body; application/json by default.
	ContentType string
}

// SMS sends text messages through an HTTP gateway.
type SMS struct {
	cfg    SMSConfig
	body   *template.Template
	client *http.Client
}

// NewSMS returns the SMS channel of cfg; the body template must parse.
func NewSMS(cfg SMSConfig, client *http.Client) (*SMS, error) {
	if cfg.Body == "" {
		cfg.Body = DefaultSMSBody
	}
	if cfg.ContentType == "" {
		cfg.ContentType = "application/json"
	}
	t, err := template.New("sms").Funcs(template.FuncMap{"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	}}).Option("missingkey=error").Parse(cfg.Body)
	if err != nil {
		return nil, fmt.Errorf("PAPI_SMS_BODY: %w", err)
	}
	return &SMS{cfg: cfg, body: t, client: client}, nil
}

type smsFields struct {
	To, Text, Key, Brand, Username, Password, Unicode string
}

// Send posts one message. A 5xx or 429 answer is retried; another 4xx is not. A JSON answer
// carrying CodeResult (eSMS) must say 100, the gateway's "accepted".
func (s *SMS) Send(ctx context.Context, m *models.Notification) error {
	var body bytes.Buffer
	if err := s.body.Execute(&body, smsFields{To: m.Recipient, Text: m.Body, Key: m.IdempotencyKey, Brand: s.cfg.Brand,
		Username: s.cfg.Username, Password: s.cfg.Password, Unicode: unicodeFlag(m.Body)}); err != nil {
		return Permanent(fmt.Errorf("sms body: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.URL, &body)
	if err != nil {
		return Permanent(err)
	}
	req.Header.Set("Content-Type", s.cfg.ContentType)
	req.Header.Set("Idempotency-Key", m.IdempotencyKey)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("sms gateway: HTTP %d", resp.StatusCode)
	case resp.StatusCode >= 400:
		return Permanent(fmt.Errorf("sms gateway: HTTP %d: %s", resp.StatusCode, firstLine(raw)))
	case resp.StatusCode >= 300:
		return fmt.Errorf("sms gateway: HTTP %d", resp.StatusCode)
	}
	var answer struct {
		CodeResult   json.RawMessage `json:"CodeResult"`
		ErrorMessage string          `json:"ErrorMessage"`
	}
	if json.Unmarshal(raw, &answer) == nil && len(answer.CodeResult) > 0 {
		if code := strings.Trim(string(answer.CodeResult), `"`); code != "100" {
			return fmt.Errorf("sms gateway: code %s: %s", code, answer.ErrorMessage)
		}
	}
	return nil
}

// firstLine returns the start of a reply, for an error message.
func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// unicodeFlag is "0" for a text in GSM letters only, which the gateway sends 160 to a segment,
// and "1" for one with Vietnamese letters.
func unicodeFlag(text string) string {
	if models.IsGSM7(text) {
		return "0"
	}
	return "1"
}
