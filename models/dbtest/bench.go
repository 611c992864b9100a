package dbtest

import (
	"context"
	"os"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// EnvBenchURL names a PostgreSQL database loaded with `papi seed --synthetic` for the
// benchmarks (docs/PERFORMANCE.md).
const EnvBenchURL = "PAPI_BENCH_DATABASE_URL"

// OpenBench opens and migrates the benchmarks' database, or skips the benchmark when none is set.
func OpenBench(b *testing.B) *models.Store {
	b.Helper()
	url := os.Getenv(EnvBenchURL)
	if url == "" {
		b.Skip(EnvBenchURL + " not set (see docs/PERFORMANCE.md)")
	}
	ctx := context.Background()
	s, err := models.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}
