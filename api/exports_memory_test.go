package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"
)

// EnvExportRows sets how many petitions the export memory test writes; the default keeps the
// suite quick, docs/PERFORMANCE.md records a run with 100000.
const EnvExportRows = "PAPI_EXPORT_ROWS"

// exportMemoryLimit is what an export may add to the heap, whatever its size.
const exportMemoryLimit = 30 << 20

// countingWriter is a response that keeps nothing but its headers, its size, its line count,
// and optionally a copy on disk, so the test measures the export and not a buffered reply.
type countingWriter struct {
	header http.Header
	status int
	bytes  int64
	lines  int
	head   []byte
	file   io.Writer
	// first is when the first byte of the body came.
	first time.Time
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(s int)   { w.status = s }
func (w *countingWriter) Flush()              {}
func (w *countingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	if w.first.IsZero() && len(p) > 0 {
		w.first = time.Now()
	}
	w.bytes += int64(len(p))
	w.lines += bytes.Count(p, []byte("\n"))
	if len(w.head) < 4096 {
		w.head = append(w.head, p[:min(len(p), 4096-len(w.head))]...)
	}
	if w.file != nil {
		return w.file.Write(p)
	}
	return len(p), nil
}

// heapPeak samples the heap in use until stopped and returns its peak above the starting point.
func heapPeak() (stop func() uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, peak := m.HeapInuse, m.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
		return peak - base
	}
}

// insertPetitions adds n petitions to commune A quickly, in multi-row inserts.
func insertPetitions(t *testing.T, e *testEnv, n int) {
	t.Helper()
	db := e.store.Gorm()
	var topicID int64
	db.Raw("SELECT id FROM topics WHERE code = 'GT'").Scan(&topicID)
	start := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)
	const batch = 500
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < n; i += batch {
			var sb strings.Builder
			args := []any{}
			sb.WriteString(`INSERT INTO petitions (reference, commune_id, hamlet_id, channel, kind, topic_id, content,
				petitioner_name, petitioner_phone, petitioner_address, received_at, state, state_type, due_on, created_by, created_at, updated_at) VALUES `)
			for j := i; j < min(i+batch, n); j++ {
				if j > i {
					sb.WriteString(",")
				}
				sb.WriteString("(?,?,?,'reception','kien_nghi',?,?,?,?,?,?,'assigned','open',?,?,?,?)")
				at := start.Add(time.Duration(j) * time.Minute)
				args = append(args, fmt.Sprintf("TANTHOI-BULK-%07d", j), e.world.CommuneA.ID, e.world.HamletA1.ID, topicID,
					"Đường liên ấp xuống cấp, nhiều ổ gà, đề nghị sửa chữa trước mùa mưa số "+strconv.Itoa(j),
					"Nguyễn Văn Số "+strconv.Itoa(j), "0909 000 000", "Ấp Tân Hòa, xã Tân Thới", at,
					calendar.DateOf(at).AddDays(30), e.world.SecretaryA.ID, at, at)
			}
			if err := tx.Exec(sb.String(), args...).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportMemoryStaysFlat streams a large export in both formats and checks that the heap
// never grows by more than exportMemoryLimit.
func TestExportMemoryStaysFlat(t *testing.T) {
	rows := 10000
	if v := os.Getenv(EnvExportRows); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q", EnvExportRows, v)
		}
		rows = n
	}
	each(t, func(t *testing.T, e *testEnv) {
		began := time.Now()
		insertPetitions(t, e, rows)
		t.Logf("%d petitions inserted in %s", rows, time.Since(began).Round(time.Millisecond))
		chair := e.as(e.world.ChairA)

		for _, format := range []string{"csv", "xlsx"} {
			w := &countingWriter{header: http.Header{}}
			path := filepath.Join(t.TempDir(), "export."+format)
			if format == "xlsx" {
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				w.file = f
			}
			req := httptest.NewRequest("GET", "/api/v1/petitions/export?personal=true&format="+format, nil)
			req.AddCookie(chair.cookie)
			stop := heapPeak()
			began := time.Now()
			e.h.ServeHTTP(w, req)
			took := time.Since(began)
			peak := stop()
			if w.status != 200 {
				t.Fatalf("%s: status %d: %s", format, w.status, w.head)
			}
			t.Logf("%s: %d rows, %.1f MB written in %s (first byte after %s), heap peak +%.1f MB", format, rows, float64(w.bytes)/(1<<20),
				took.Round(time.Millisecond), w.first.Sub(began).Round(time.Millisecond), float64(peak)/(1<<20))
			if peak > exportMemoryLimit {
				t.Errorf("%s export of %d rows grew the heap by %d MB", format, rows, peak>>20)
			}
			switch format {
			case "csv":
				if w.lines != rows+1 || !bytes.HasPrefix(w.head, []byte("\xEF\xBB\xBFMã ý kiến,")) {
					t.Fatalf("csv: %d lines, starts %q", w.lines, w.head[:40])
				}
			case "xlsx":
				f, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				it, err := f.Rows("Ý kiến")
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for it.Next() {
					n++
				}
				it.Close()
				f.Close()
				if n != rows+1 {
					t.Fatalf("xlsx: %d rows", n)
				}
			}
		}
	})
}
