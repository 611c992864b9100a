// Package notify delivers the messages of the outbox: the channels (SMTP e-mail, an HTTP SMS
// gateway, Zalo OA template messages), their configuration from the environment, and the sender
// loop of `papi serve`. What a message says and who may get one is decided in models.
package notify

import (
	"context"
	"errors"
	"strings"

	"github.com/papi-dialogue/papi/models"
)

// Channel delivers one message. A returned error wrapped by Permanent is not retried.
type Channel interface {
	Send(ctx context.Context, m *models.Notification) error
}

// Channels are the configured channels by name; a channel that is not configured is absent.
type Channels map[models.NotifyChannel]Channel

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks an error that retrying cannot fix, such as a recipient the gateway refuses.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent tells whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// scrub removes the recipient from an error text, which receivers often echo ("550 <ba@…>:
// unknown user"), so logs and the admins' list never carry a whole contact.
func scrub(text string, m *models.Notification) string {
	if m.Recipient == "" {
		return text
	}
	return strings.ReplaceAll(text, m.Recipient, models.MaskContact(m.Recipient))
}
