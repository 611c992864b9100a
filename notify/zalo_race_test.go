package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/notify"
)

// TestZaloTokenRenewedOnceByConcurrentSenders starts two senders, each with its own database
// connection pool as two processes have, on one database whose stored Zalo token has expired,
// then on one whose token Zalo has revoked. Both need a new token at the same moment; Zalo's
// refresh tokens are good once, so exactly one renewal must happen and both senders deliver
// with the token it brought.
func TestZaloTokenRenewedOnceByConcurrentSenders(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		for _, stored := range []string{"expired", "revoked"} {
			t.Run(fmt.Sprintf("%s/%s", d, stored), func(t *testing.T) {
				url := dbtest.NewDatabase(t, d)
				open := func() *models.Store {
					s, err := models.Open(context.Background(), url)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { s.Close() })
					return s
				}
				a, b := open(), open()
				f := newFixture(t, a)
				b.Now = a.Now
				z := startZalo(t)
				z.renewDelay = 200 * time.Millisecond
				ctx := context.Background()
				expires := f.clock.Add(time.Hour)
				if stored == "expired" {
					expires = f.clock.Add(-time.Minute)
				}
				if err := a.SaveChannelToken(ctx, &models.ChannelToken{Channel: "zalo", AccessToken: "old-token",
					RefreshToken: "refresh-1", ExpiresAt: expires}); err != nil {
					t.Fatal(err)
				}
				zero := 0
				if _, err := a.UpdateNotificationTemplate(ctx, f.w.Actor(t, a, f.w.Admin), models.NoticeReceived, models.NotifyZalo,
					models.TemplateInput{Body: "UBND {commune} đã tiếp nhận ý kiến {reference}.", ZaloTemplateID: "231456", Version: &zero}); err != nil {
					t.Fatal(err)
				}
				const n = 6
				for i := 0; i < n; i++ {
					f.petition(t, "zalo", "")
				}
				var wg sync.WaitGroup
				start := make(chan struct{})
				for _, s := range []*models.Store{a, b} {
					zalo := notify.NewZalo(notify.ZaloConfig{APIURL: z.srv.URL + "/message/template", OAuthURL: z.srv.URL + "/v4/oa/access_token",
						AppID: "app-1", SecretKey: "zalo-secret", RefreshToken: "refresh-1"}, s, http.DefaultClient)
					sn := f.sender(notify.Channels{models.NotifyZalo: zalo})
					sn.Store, sn.Batch = s, n/2
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						if _, err := sn.RunOnce(ctx); err != nil {
							t.Error(err)
						}
					}()
				}
				close(start)
				wg.Wait()
				z.mu.Lock()
				renewals, refused, delivered := z.renewals, z.refused, len(z.messages)
				z.mu.Unlock()
				if renewals != 1 || refused != 0 || delivered != n {
					t.Fatalf("%d renewals, %d refused, %d of %d messages delivered; outbox %v", renewals, refused, delivered, n, f.status(t))
				}
				tok, err := b.LoadChannelToken(ctx, "zalo")
				if err != nil || tok.AccessToken != "access-x" || tok.RefreshToken != z.refresh {
					t.Fatalf("stored tokens %+v %v, Zalo's refresh token %s", tok, err, z.refresh)
				}
			})
		}
	}
}
