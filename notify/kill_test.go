package notify_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// The outbox's guarantee, which this test holds the real binary to: a committed message is
// delivered even if `papi` dies, once its claim has run out (PAPI_NOTIFY_LEASE). A sender
// delivers one message at a time, so a kill can catch at most one message between the
// receiver accepting it and the outbox recording it: that one message goes twice, both times
// with the same idempotency key (the e-mail's Message-ID and X-Idempotency-Key), and nothing
// else goes twice. Messages claimed but not yet attempted go once.

// papiBinary builds cmd/papi once for the package's tests, into papiBinDir.
var papiBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "papi-bin-")
	if err != nil {
		return "", err
	}
	papiBinDir = dir
	bin := filepath.Join(dir, "papi")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/papi-dialogue/papi/cmd/papi").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// papiBinDir holds the binary papiBinary built, removed when the package's tests end.
var papiBinDir string

// removePapiBinary removes what papiBinary built.
func removePapiBinary() {
	if papiBinDir != "" {
		_ = os.RemoveAll(papiBinDir)
	}
}

// syncBuffer is a process's log, written by os/exec and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveProcess starts `papi serve` with env and waits until it answers /readyz.
func serveProcess(t *testing.T, bin string, env []string, addr string, log *syncBuffer) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("papi serve did not become ready:\n%s", log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFor polls cond until it holds, or fails the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool, log *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; papi's log:\n%s", what, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestPapiKilledMidSendingAndRestarted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the papi binary")
	}
	bin, err := papiBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { killAndRestart(t, bin, d) })
	}
}

func killAndRestart(t *testing.T, bin string, d models.Dialect) {
	url := dbtest.NewDatabase(t, d)
	s, err := models.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := newFixture(t, s)
	const before, after, heldAt = 10, 3, 4
	for i := 0; i < before; i++ {
		f.petition(t, "email", fmt.Sprintf("cu.tri.%02d@example.vn", i))
	}

	// The mail server holds back its answer to the heldAt-th message: the sender waits for it
	// when the test kills the process.
	serverTLS, clientTLS := selfSigned(t)
	mb := startMailbox(t, "127.0.0.1:0", serverTLS, clientTLS)
	held, release := make(chan struct{}), make(chan struct{})
	mb.mu.Lock()
	mb.onData = func(n int) {
		if n == heldAt {
			close(held)
			<-release
		}
	}
	mb.mu.Unlock()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	certFile := filepath.Join(t.TempDir(), "smtp-ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: serverTLS.Certificates[0].Certificate[0]})
	if err := os.WriteFile(certFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(mb.addr)
	addr := freeAddr(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "SSL_CERT_FILE=" + certFile,
		"PAPI_ADDR=" + addr, "PAPI_METRICS_ADDR=off", "PAPI_LOG_LEVEL=info", "PAPI_PUBLIC_URL=https://papi.example.gov.vn",
		"PAPI_SMTP_HOST=" + host, "PAPI_SMTP_PORT=" + port, "PAPI_SMTP_USERNAME=" + smtpUser, "PAPI_SMTP_PASSWORD=" + smtpPassword,
		"PAPI_SMTP_FROM=UBND xã Tân Thới <noreply@tanthoi.gov.vn>", "PAPI_SMTP_TLS=starttls", "PAPI_NOTIFY_LEASE=8s"}
	if d == models.Postgres {
		env = append(env, "PAPI_DATABASE_URL="+url)
	} else {
		env = append(env, "PAPI_DATA_DIR="+filepath.Dir(url))
	}

	log := &syncBuffer{}
	first := serveProcess(t, bin, env, addr, log)
	select {
	case <-held:
	case <-time.After(90 * time.Second):
		t.Fatalf("the first process did not reach message %d; its log:\n%s", heldAt, log)
	}
	// kill -9 while the server holds the answer: the message arrived, its outcome is unrecorded.
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	close(release)
	st := f.status(t)
	if st[models.NotificationSent] != heldAt-1 || st[models.NotificationSending] != before-heldAt+1 {
		t.Fatalf("after the kill: outbox %v, want %d sent and the rest claimed", st, heldAt-1)
	}
	inFlight := mb.all()[heldAt-1].Msg.Header.Get("X-Idempotency-Key")
	// Petitions logged while no process runs: their messages wait in the outbox.
	for i := 0; i < after; i++ {
		f.petition(t, "email", fmt.Sprintf("cu.tri.sau.%02d@example.vn", i))
	}

	second := serveProcess(t, bin, env, addr, log)
	waitFor(t, "every message sent", func() bool { return f.status(t)[models.NotificationSent] == before+after }, log)
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("papi serve ended with %v:\n%s", err, log)
	}

	got := mb.all()
	copies, ids := map[string]int{}, map[string]string{}
	var keys []string
	for _, m := range got {
		k := m.Msg.Header.Get("X-Idempotency-Key")
		if copies[k] == 0 {
			keys = append(keys, k)
		}
		copies[k]++
		if id, seen := ids[k]; seen && id != m.Msg.Header.Get("Message-ID") {
			t.Errorf("message %s went with two Message-IDs: %s and %s", k, id, m.Msg.Header.Get("Message-ID"))
		}
		ids[k] = m.Msg.Header.Get("Message-ID")
	}
	var want []string
	if err := s.Gorm().Table("notifications").Order("id").Pluck("idempotency_key", &want).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(slices.Sorted(slices.Values(keys)), slices.Sorted(slices.Values(want))) {
		t.Fatalf("delivered %v, outbox holds %v", keys, want)
	}
	for k, n := range copies {
		if (k == inFlight && n != 2) || (k != inFlight && n != 1) {
			t.Errorf("message %s arrived %d times (the one in flight at the kill: %s)", k, n, inFlight)
		}
	}
	if len(got) != before+after+1 {
		t.Errorf("%d e-mails arrived for %d messages; want exactly one copy", len(got), before+after)
	}
	if strings.Contains(log.String(), "@example.vn") {
		t.Errorf("a recipient in papi's log:\n%s", log)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
