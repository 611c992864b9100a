package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestOwnContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		str := func(s string) *string { return &s }
		for email, ok := range map[string]bool{"thu.ky@tanthoi.gov.vn": true, "": true, "  a.b@x.vn ": true,
			"thu.ky": false, "a@b": false, "Ba <a@b.vn>": false, "a b@x.vn": false, "a@@x.vn": false} {
			_, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Email: str(email)})
			var v *models.ValidationError
			if ok != (err == nil) || (!ok && (!errors.As(err, &v) || v.Fields["email"].VI == "")) {
				t.Errorf("%q: %v", email, err)
			}
		}
		u, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Email: str("thu.ky@tanthoi.gov.vn")})
		if err != nil || u.Email != "thu.ky@tanthoi.gov.vn" {
			t.Fatalf("%+v %v", u, err)
		}
		old := u.Version - 1
		if _, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Email: str("x@y.vn"), Version: &old}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		// Who reads a user's address.
		for _, c := range []struct {
			reader models.Actor
			sees   bool
		}{{pw.secretary, true}, {pw.admin, true}, {pw.district, true}, {pw.chair, false}, {pw.inspect, false}} {
			got, err := s.User(ctx, c.reader, pw.w.SecretaryA.ID)
			if err != nil || (got.Email != "") != c.sees {
				t.Errorf("%s reads %q (%v), sees %v", c.reader.Role, got.Email, err, c.sees)
			}
		}
	})
}
