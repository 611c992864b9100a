package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// ZaloConfig is a Zalo Official Account allowed to send template messages (ZNS).
type ZaloConfig struct {
	// APIURL is the template message endpoint (https://business.openapi.zalo.me/message/template).
	APIURL string
	// OAuthURL renews the access token (https://oauth.zaloapp.com/v4/oa/access_token).
	OAuthURL  string
	AppID     string
	SecretKey string
	// RefreshToken is the first refresh token; renewed ones are kept in the database.
	RefreshToken string
}

// TokenStore keeps a channel's renewed tokens where every process sees them, and renews them
// once when several senders find them expired together.
type TokenStore interface {
	ChannelAccessToken(ctx context.Context, channel, firstRefresh, rejected string,
		renew func(ctx context.Context, refresh string) (*models.ChannelToken, error)) (*models.ChannelToken, error)
}

// Zalo sends template messages of a Zalo Official Account, renewing its access token.
type Zalo struct {
	cfg    ZaloConfig
	tokens TokenStore
	client *http.Client
	now    func() time.Time
}

// NewZalo returns the Zalo channel of cfg.
func NewZalo(cfg ZaloConfig, tokens TokenStore, client *http.Client) *Zalo {
	return &Zalo{cfg: cfg, tokens: tokens, client: client, now: time.Now}
}

// zaloInvalidToken is Zalo's error for an access token that expired or was revoked.
const zaloInvalidToken = -124

// Send posts one template message; the idempotency key goes as tracking_id. An expired token is
// renewed once and the message sent again.
func (z *Zalo) Send(ctx context.Context, m *models.Notification) error {
	if m.TemplateID == "" {
		return Permanent(errors.New("zalo: no approved template id for this message"))
	}
	rejected := ""
	for attempt := 0; ; attempt++ {
		tok, err := z.accessToken(ctx, rejected)
		if err != nil {
			return err
		}
		code, msg, err := z.post(ctx, tok, m)
		switch {
		case err != nil:
			return err
		case code == 0:
			return nil
		case code == zaloInvalidToken && attempt == 0:
			rejected = tok
			continue
		}
		return fmt.Errorf("zalo: error %d: %s", code, msg)
	}
}

func (z *Zalo) post(ctx context.Context, token string, m *models.Notification) (int, string, error) {
	body, err := json.Marshal(map[string]any{"phone": m.Recipient, "template_id": m.TemplateID,
		"template_data": m.TemplateParams(), "tracking_id": m.IdempotencyKey})
	if err != nil {
		return 0, "", Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, z.cfg.APIURL, bytes.NewReader(body))
	if err != nil {
		return 0, "", Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", token)
	resp, err := z.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return 0, "", fmt.Errorf("zalo: HTTP %d", resp.StatusCode)
	}
	var answer struct {
		Error   int    `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return 0, "", fmt.Errorf("zalo: unreadable answer: %s", firstLine(raw))
	}
	return answer.Error, answer.Message, nil
}

// accessToken returns a token that has not expired and is not the one Zalo just refused,
// renewed when needed; the store makes sure concurrent senders renew it once.
func (z *Zalo) accessToken(ctx context.Context, rejected string) (string, error) {
	t, err := z.tokens.ChannelAccessToken(ctx, "zalo", z.cfg.RefreshToken, rejected, z.renew)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// renew trades the refresh token for a new pair (Zalo's refresh tokens are good once).
func (z *Zalo) renew(ctx context.Context, refresh string) (*models.ChannelToken, error) {
	form := url.Values{"refresh_token": {refresh}, "app_id": {z.cfg.AppID}, "grant_type": {"refresh_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, z.cfg.OAuthURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, Permanent(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", z.cfg.SecretKey)
	resp, err := z.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var answer struct {
		AccessToken  string          `json:"access_token"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		Error        int             `json:"error"`
		ErrorName    string          `json:"error_name"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &answer) != nil || answer.AccessToken == "" {
		return nil, fmt.Errorf("zalo token renewal: HTTP %d, error %d %s", resp.StatusCode, answer.Error, answer.ErrorName)
	}
	secs, _ := strconv.Atoi(strings.Trim(string(answer.ExpiresIn), `"`))
	if secs <= 0 {
		secs = 3600
	}
	return &models.ChannelToken{Channel: "zalo", AccessToken: answer.AccessToken, RefreshToken: answer.RefreshToken,
		ExpiresAt: z.now().Add(time.Duration(secs) * time.Second).UTC()}, nil
}
