package notify_test

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/papi-dialogue/papi/notify"
)

type mimeDecoder struct{ mime.WordDecoder }

func (d *mimeDecoder) decode(s string) (string, error) { return d.DecodeHeader(s) }

func decodeQP(t *testing.T, s string) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func counter(t *testing.T, sn *notify.Sender, i int, ch string) prometheus.Collector {
	t.Helper()
	return sn.Collectors()[i].(*prometheus.CounterVec).WithLabelValues(ch)
}

func sentCounter(t *testing.T, sn *notify.Sender, ch string) prometheus.Collector {
	return counter(t, sn, 0, ch)
}

func retriedCounter(t *testing.T, sn *notify.Sender, ch string) prometheus.Collector {
	return counter(t, sn, 1, ch)
}

func failedCounter(t *testing.T, sn *notify.Sender, ch string) prometheus.Collector {
	return counter(t, sn, 2, ch)
}
