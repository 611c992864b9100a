package models_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// The report benchmarks read the synthetic data set of docs/PERFORMANCE.md as a commune chair,
// a district official and a province admin, through the functions the API calls.

func benchSummary(b *testing.B, w *benchWorld, a models.Actor, in models.SummaryInput) {
	b.Helper()
	ctx := context.Background()
	var sum *models.Summary
	for i := 0; i < b.N; i++ {
		var err error
		if sum, err = w.s.SummaryReport(ctx, a, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sum.Figures.Petitions.Total), "petitions")
	b.ReportMetric(float64(len(sum.Communes)), "communes")
}

func BenchmarkReportSummary(b *testing.B) {
	w := openBench(b)
	year := strconv.Itoa(time.Now().In(calendar.Zone).Year())
	last := strconv.Itoa(time.Now().In(calendar.Zone).Year() - 1)
	thisYear := models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: year}}
	lastYear := models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: last}, Sort: "-overdue_open"}
	fiveYears := models.SummaryInput{Period: models.PeriodInput{From: fmt.Sprintf("%d-01-01", time.Now().Year()-4), To: time.Now().Format(time.DateOnly)}}
	cases := []struct {
		name  string
		actor models.Actor
		in    models.SummaryInput
	}{
		{"commune, this year", w.chair, thisYear},
		{"district, this year", w.district, thisYear},
		{"district, last year, by overdue", w.district, lastYear},
		{"district, q1 of last year", w.district, models.SummaryInput{Period: models.PeriodInput{Period: "q1", Year: last}}},
		{"province, this year", w.province, thisYear},
		{"province, last year, by overdue", w.province, lastYear},
		{"province, five years", w.province, fiveYears},
	}
	for _, source := range []string{"rollups", "petitions"} {
		// The same figures counted from the petitions themselves, to compare.
		models.CountFromPetitions(w.s, source == "petitions")
		for _, c := range cases {
			b.Run(source+"/"+c.name, func(b *testing.B) { benchSummary(b, w, c.actor, c.in) })
		}
	}
	models.CountFromPetitions(w.s, false)
}

// BenchmarkReportSummaryCountry is the summary of every live province at once, the whole
// country's year: a monitoring official following a set of units (every province) asks for the
// summary of that set, and its league table holds every commune. No role is bound to the whole
// country, so the actor is made here from the province admin's, with the provinces as its set.
func BenchmarkReportSummaryCountry(b *testing.B) {
	w := openBench(b)
	var provinces []string
	if err := w.s.Gorm().Raw(`SELECT path FROM units WHERE level = 'province' AND valid_to IS NULL ORDER BY path`).
		Scan(&provinces).Error; err != nil || len(provinces) == 0 {
		b.Fatalf("no provinces: %v", err)
	}
	country := w.province
	country.Role = models.RoleDistrictOfficial
	country.Communes = provinces
	year := strconv.Itoa(time.Now().In(calendar.Zone).Year())
	for _, c := range []struct {
		name string
		in   models.SummaryInput
	}{
		{"this year", models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: year}}},
	} {
		b.Run(c.name, func(b *testing.B) { benchSummary(b, w, country, c.in) })
	}
}

func BenchmarkReportOverdue(b *testing.B) {
	w := openBench(b)
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		actor models.Actor
	}{{"district", w.district}, {"province", w.province}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := w.s.OverduePetitions(ctx, c.actor, models.OverdueInput{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPublicBoard(b *testing.B) {
	w := openBench(b)
	ctx := context.Background()
	b.Run("commune list, first page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := w.s.PublicPetitions(ctx, w.commune.ID, models.PublicFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("commune summary, this year", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := w.s.PublicCommuneSummary(ctx, w.commune.ID, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open311 requests, 90 days, everywhere", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			from := w.s.Now().Add(-90 * 24 * time.Hour)
			if _, err := w.s.SearchPublicPetitions(ctx, models.PublicSearch{From: &from, Limit: 1000}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
