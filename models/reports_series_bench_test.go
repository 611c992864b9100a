package models_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// BenchmarkReportSeries reads a year month by month, as the dashboard's chart over time does.
func BenchmarkReportSeries(b *testing.B) {
	w := openBench(b)
	ctx := context.Background()
	year := strconv.Itoa(time.Now().In(calendar.Zone).Year() - 1)
	for _, c := range []struct {
		name  string
		actor models.Actor
	}{{"district, last year by month", w.district}, {"province, last year by month", w.province}} {
		b.Run(c.name, func(b *testing.B) {
			var sr *models.Series
			for i := 0; i < b.N; i++ {
				var err error
				if sr, err = w.s.SeriesReport(ctx, c.actor, models.SeriesInput{Period: models.PeriodInput{Period: "year", Year: year}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(sr.Months)), "months")
		})
	}
}
