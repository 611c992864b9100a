package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// flatten turns figures into "path → value" so that every figure is compared, including any
// added later without an expectation.
func flatten(t *testing.T, f models.Figures) map[string]string {
	t.Helper()
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(prefix+"."+k, c)
			}
		case []any: // by_topic, as "GT:3 NS:2"
			var parts []string
			for _, item := range x {
				m := item.(map[string]any)
				parts = append(parts, fmt.Sprintf("%s:%v", m["code"], m["count"]))
			}
			out[prefix] = strings.Join(parts, " ")
		case float64:
			out[prefix] = strconv.FormatFloat(x, 'f', -1, 64)
		case nil:
			out[prefix] = "null"
		default:
			out[prefix] = fmt.Sprint(x)
		}
	}
	for k, v := range tree {
		walk(k, v)
	}
	return out
}

// expectFigures compares every figure with the hand-computed expectation.
func expectFigures(t *testing.T, scope string, got models.Figures, want map[string]string) {
	t.Helper()
	flat := flatten(t, got)
	var keys []string
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, ok := want[k]
		if !ok {
			t.Errorf("%s: figure %s = %s has no expectation", scope, k, flat[k])
			continue
		}
		if flat[k] != w {
			t.Errorf("%s: %s = %s, want %s", scope, k, flat[k], w)
		}
	}
	for k := range want {
		if _, ok := flat[k]; !ok {
			t.Errorf("%s: figure %s missing", scope, k)
		}
	}
}

// expected builds an expectation from compact lines "path value"; with merges on top of base.
func expected(base map[string]string, lines string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for _, line := range strings.Split(lines, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// The path has no spaces; by_topic values do.
		i := strings.IndexByte(line, ' ')
		out[line[:i]] = strings.TrimSpace(line[i+1:])
	}
	return out
}

// The expectations, computed by hand from dbtest.BuildReportData for Q1 2026 read on 10 April 2026.
//
// Commune A's quarter: dialogues A-Feb (closed, 40/5/6/20), A-Mar15 (held 26 days ago: minutes
// overdue, 30/2/4/15), A-Mar20→28 (planned, postponed once), A-Jan1 00:30 (cancelled); the
// dialogues of 5 April and 31 December 23:00 fall outside. Petitions A1 A2 A3 A4 A5 A6 A9 A10
// A11 (A6 at 23:30 on 31 March is in, A7 at 00:30 on 1 April and A8 on 31 December are out).
//
//	first answers (days): A1 9.0, A2 0.0833 (2 h), A3 16.0, A9 5.0 (first answer 20 Jan, not
//	the second of 5 Feb) → median (5+9)/2 = 7
//	on time: A1 (10 Jan ≤ 20 Jan), A2 (no due date), A9 (20 Jan ≤ 30 Jan; its second answer was
//	late but the first counts); A3 late (26 Feb > 20 Feb) → 3 of 4
//	closure (days): A1 11, A2 2, A9 22, A10 1 → median 6.5
//	overdue open (late, no published answer by the due date): A4 (due 10 Mar); A3 (due 20 Feb) was
//	answered on 26 Feb and waits for closure, so it is awaiting closure, not late; A5 due 1 May,
//	A11 due 30 Apr
//	satisfaction: A1 not satisfied, A9 very satisfied, A2 and A10 unknown → 1 of 2
var wantA = expected(nil, `
	dialogues.total 4
	dialogues.planned 1
	dialogues.held 1
	dialogues.closed 1
	dialogues.cancelled 1
	dialogues.took_place 2
	dialogues.postponed 1
	dialogues.minutes_overdue 1
	attendance.dialogues 2
	attendance.residents 70
	attendance.businesses 7
	attendance.officials 10
	attendance.women 35
	attendance.total 87
	petitions.total 9
	petitions.matters 9
	petitions.by_topic GT:3 ANTT:2 NS:2 MT:1 DIEN:1
	petitions.by_kind.phan_anh 4
	petitions.by_kind.kien_nghi 3
	petitions.by_kind.khieu_nai 1
	petitions.by_kind.to_cao 1
	petitions.by_channel.dialogue 1
	petitions.by_channel.reception 4
	petitions.by_channel.letter 2
	petitions.by_channel.phone 1
	petitions.by_channel.online 1
	petitions.by_state.received 1
	petitions.by_state.assigned 2
	petitions.by_state.in_progress 1
	petitions.by_state.referred 0
	petitions.by_state.answered 1
	petitions.by_state.resolved 2
	petitions.by_state.closed 2
	petitions.by_state.reopened 0
	petitions.by_state_type.open 5
	petitions.by_state_type.fixed 2
	petitions.by_state_type.closed 2
	petitions.open 5
	petitions.overdue_open 1
	petitions.awaiting_closure 1
	petitions.answered_on_the_spot 1
	petitions.answered_in_writing 4
	petitions.resolved 2
	petitions.closed 2
	petitions.on_time.on_time 3
	petitions.on_time.answered 4
	petitions.on_time.rate 0.75
	petitions.median_days_to_first_answer 7
	petitions.median_days_to_closure 6.5
	petitions.satisfaction.very_satisfied 1
	petitions.satisfaction.satisfied 0
	petitions.satisfaction.not_satisfied 1
	petitions.satisfaction.unknown 2
	petitions.satisfied.satisfied 1
	petitions.satisfied.rated 2
	petitions.satisfied.rate 0.5
`)

// Commune B's quarter: dialogues B-Feb14 (closed, 50/0/5/30) and B-Mar31 (held on 8 April:
// within 72 hours, not overdue); B-Apr1 00:30 falls outside. Petitions B1 B2 B3 B4.
//
//	first answers: B1 11.0 (06:00 on 16 Jan, a day late in Vietnam though 15 Jan in UTC),
//	B3 1.5 (answered after the quarter, still counted: received in it), B4 2.0 → median 2
//	on time: B3, B4 (no due date); B1 late → 2 of 3
//	closure: B1 12.0 (B4 was reopened) → 12
//	overdue open: B2 (referred, due 1 Mar); awaiting closure: B3 (answered 2 April)
var wantB = expected(nil, `
	dialogues.total 2
	dialogues.planned 0
	dialogues.held 1
	dialogues.closed 1
	dialogues.cancelled 0
	dialogues.took_place 2
	dialogues.postponed 0
	dialogues.minutes_overdue 0
	attendance.dialogues 1
	attendance.residents 50
	attendance.businesses 0
	attendance.officials 5
	attendance.women 30
	attendance.total 55
	petitions.total 4
	petitions.matters 4
	petitions.by_topic TL:2 NS:1 MT:1
	petitions.by_kind.phan_anh 0
	petitions.by_kind.kien_nghi 4
	petitions.by_kind.khieu_nai 0
	petitions.by_kind.to_cao 0
	petitions.by_channel.dialogue 1
	petitions.by_channel.reception 2
	petitions.by_channel.letter 0
	petitions.by_channel.phone 1
	petitions.by_channel.online 0
	petitions.by_state.received 0
	petitions.by_state.assigned 0
	petitions.by_state.in_progress 0
	petitions.by_state.referred 1
	petitions.by_state.answered 1
	petitions.by_state.resolved 1
	petitions.by_state.closed 0
	petitions.by_state.reopened 1
	petitions.by_state_type.open 3
	petitions.by_state_type.fixed 1
	petitions.by_state_type.closed 0
	petitions.open 3
	petitions.overdue_open 1
	petitions.awaiting_closure 1
	petitions.answered_on_the_spot 1
	petitions.answered_in_writing 3
	petitions.resolved 1
	petitions.closed 0
	petitions.on_time.on_time 2
	petitions.on_time.answered 3
	petitions.on_time.rate 0.6667
	petitions.median_days_to_first_answer 2
	petitions.median_days_to_closure 12
	petitions.satisfaction.very_satisfied 0
	petitions.satisfaction.satisfied 1
	petitions.satisfaction.not_satisfied 0
	petitions.satisfaction.unknown 0
	petitions.satisfied.satisfied 1
	petitions.satisfied.rated 1
	petitions.satisfied.rate 1
`)

// The district is A + B. Its medians are of all the values, not of the communes' medians:
//
//	first answers 0.0833 1.5 2 5 9 11 16 → 5; closure 1 2 11 12 22 → 11
//	on time 5 of 7 = 0.7143; satisfied 2 of 3 = 0.6667
var wantDistrict = expected(nil, `
	dialogues.total 6
	dialogues.planned 1
	dialogues.held 2
	dialogues.closed 2
	dialogues.cancelled 1
	dialogues.took_place 4
	dialogues.postponed 1
	dialogues.minutes_overdue 1
	attendance.dialogues 3
	attendance.residents 120
	attendance.businesses 7
	attendance.officials 15
	attendance.women 65
	attendance.total 142
	petitions.total 13
	petitions.matters 13
	petitions.by_topic GT:3 NS:3 ANTT:2 TL:2 MT:2 DIEN:1
	petitions.by_kind.phan_anh 4
	petitions.by_kind.kien_nghi 7
	petitions.by_kind.khieu_nai 1
	petitions.by_kind.to_cao 1
	petitions.by_channel.dialogue 2
	petitions.by_channel.reception 6
	petitions.by_channel.letter 2
	petitions.by_channel.phone 2
	petitions.by_channel.online 1
	petitions.by_state.received 1
	petitions.by_state.assigned 2
	petitions.by_state.in_progress 1
	petitions.by_state.referred 1
	petitions.by_state.answered 2
	petitions.by_state.resolved 3
	petitions.by_state.closed 2
	petitions.by_state.reopened 1
	petitions.by_state_type.open 8
	petitions.by_state_type.fixed 3
	petitions.by_state_type.closed 2
	petitions.open 8
	petitions.overdue_open 2
	petitions.awaiting_closure 2
	petitions.answered_on_the_spot 2
	petitions.answered_in_writing 7
	petitions.resolved 3
	petitions.closed 2
	petitions.on_time.on_time 5
	petitions.on_time.answered 7
	petitions.on_time.rate 0.7143
	petitions.median_days_to_first_answer 5
	petitions.median_days_to_closure 11
	petitions.satisfaction.very_satisfied 1
	petitions.satisfaction.satisfied 1
	petitions.satisfaction.not_satisfied 1
	petitions.satisfaction.unknown 2
	petitions.satisfied.satisfied 2
	petitions.satisfied.rated 3
	petitions.satisfied.rate 0.6667
`)

// The province adds the other district's commune: one planned dialogue and petition O1
// (received at the desk on 2 February, KHAC, never acknowledged: its reception deadline, ten
// working days across Tết, ended on 23 February, so it is overdue). The other province's F1
// never counts.
var wantProvince = expected(wantDistrict, `
	dialogues.total 7
	dialogues.planned 2
	petitions.total 14
	petitions.matters 14
	petitions.by_topic GT:3 NS:3 ANTT:2 TL:2 MT:2 DIEN:1 KHAC:1
	petitions.by_kind.kien_nghi 8
	petitions.by_channel.reception 7
	petitions.by_state.received 2
	petitions.by_state_type.open 9
	petitions.open 9
	petitions.overdue_open 3
`)

// wantOther is the other district's commune alone.
var wantOther = expected(nil, `
	dialogues.total 1
	dialogues.planned 1
	dialogues.held 0
	dialogues.closed 0
	dialogues.cancelled 0
	dialogues.took_place 0
	dialogues.postponed 0
	dialogues.minutes_overdue 0
	attendance.dialogues 0
	attendance.residents 0
	attendance.businesses 0
	attendance.officials 0
	attendance.women 0
	attendance.total 0
	petitions.total 1
	petitions.matters 1
	petitions.by_topic KHAC:1
	petitions.by_kind.phan_anh 0
	petitions.by_kind.kien_nghi 1
	petitions.by_kind.khieu_nai 0
	petitions.by_kind.to_cao 0
	petitions.by_channel.dialogue 0
	petitions.by_channel.reception 1
	petitions.by_channel.letter 0
	petitions.by_channel.phone 0
	petitions.by_channel.online 0
	petitions.by_state.received 1
	petitions.by_state.assigned 0
	petitions.by_state.in_progress 0
	petitions.by_state.referred 0
	petitions.by_state.answered 0
	petitions.by_state.resolved 0
	petitions.by_state.closed 0
	petitions.by_state.reopened 0
	petitions.by_state_type.open 1
	petitions.by_state_type.fixed 0
	petitions.by_state_type.closed 0
	petitions.open 1
	petitions.overdue_open 1
	petitions.awaiting_closure 0
	petitions.answered_on_the_spot 0
	petitions.answered_in_writing 0
	petitions.resolved 0
	petitions.closed 0
	petitions.on_time.on_time 0
	petitions.on_time.answered 0
	petitions.on_time.rate null
	petitions.median_days_to_first_answer null
	petitions.median_days_to_closure null
	petitions.satisfaction.very_satisfied 0
	petitions.satisfaction.satisfied 0
	petitions.satisfaction.not_satisfied 0
	petitions.satisfaction.unknown 0
	petitions.satisfied.satisfied 0
	petitions.satisfied.rated 0
	petitions.satisfied.rate null
`)

func q1() models.SummaryInput {
	return models.SummaryInput{Period: models.PeriodInput{Period: "q1", Year: "2026"}}
}

func TestSummaryFiguresAreExact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		ctx := context.Background()

		// A commune's own report, read by its chair: no league table.
		sum, err := s.SummaryReport(ctx, rw.ChairA, q1())
		if err != nil {
			t.Fatal(err)
		}
		if sum.Unit.ID != rw.W.CommuneA.ID || sum.Period.From != "2026-01-01" || sum.Period.To != "2026-03-31" ||
			sum.AsOf != "2026-04-10" || len(sum.Communes) != 0 {
			t.Fatalf("commune report header %+v", sum)
		}
		expectFigures(t, "commune A", sum.Figures, wantA)

		// The district: its figures and the league of its two communes, by Vietnamese name.
		sum, err = s.SummaryReport(ctx, rw.District, q1())
		if err != nil {
			t.Fatal(err)
		}
		expectFigures(t, "district", sum.Figures, wantDistrict)
		if len(sum.Communes) != 2 || sum.Communes[0].Commune.Name != "Tân Phú" || sum.Communes[1].Commune.Name != "Tân Thới" {
			t.Fatalf("league %+v", sum.Communes)
		}
		expectFigures(t, "district league B", sum.Communes[0].Figures, wantB)
		expectFigures(t, "district league A", sum.Communes[1].Figures, wantA)

		// The province, read by its admin: Tân Tây sorts between Tân Phú and Tân Thới in Vietnamese.
		sum, err = s.SummaryReport(ctx, rw.Admin, q1())
		if err != nil {
			t.Fatal(err)
		}
		expectFigures(t, "province", sum.Figures, wantProvince)
		var names []string
		for _, c := range sum.Communes {
			names = append(names, c.Commune.Name)
		}
		if strings.Join(names, ",") != "Tân Phú,Tân Tây,Tân Thới" {
			t.Fatalf("province league %v", names)
		}
		expectFigures(t, "province league other", sum.Communes[1].Figures, wantOther)

		// The admin may ask for a commune below: the same figures as its chair sees.
		in := q1()
		in.UnitID = fmt.Sprint(rw.W.CommuneB.ID)
		sum, err = s.SummaryReport(ctx, rw.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		expectFigures(t, "commune B via admin", sum.Figures, wantB)
	})
}

func TestSummaryPeriodsAndLeagueOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		ctx := context.Background()
		get := func(a models.Actor, in models.SummaryInput) *models.Summary {
			t.Helper()
			sum, err := s.SummaryReport(ctx, a, in)
			if err != nil {
				t.Fatal(err)
			}
			return sum
		}
		// April 2026 holds A7, and B3's answer does not move B3 there.
		apr := get(rw.District, models.SummaryInput{Period: models.PeriodInput{Period: "month", Month: "4", Year: "2026"}})
		if apr.Figures.Petitions.Total != 1 || apr.Figures.Dialogues.Total != 2 {
			t.Fatalf("April: %d petitions, %d dialogues", apr.Figures.Petitions.Total, apr.Figures.Dialogues.Total)
		}
		// A custom range of the last day of March holds A6 and B3 (and the B dialogue of 20:00).
		day := get(rw.District, models.SummaryInput{Period: models.PeriodInput{From: "2026-03-31", To: "2026-03-31"}})
		if day.Figures.Petitions.Total != 2 || day.Figures.Dialogues.Total != 1 {
			t.Fatalf("31 March: %d petitions, %d dialogues", day.Figures.Petitions.Total, day.Figures.Dialogues.Total)
		}
		// The year 2025 holds A8 and the dialogue of 31 December 23:00.
		y := get(rw.District, models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2025"}})
		if y.Figures.Petitions.Total != 1 || y.Figures.Dialogues.Total != 1 || y.Figures.Attendance.Total != 117 {
			t.Fatalf("2025: %+v", y.Figures)
		}
		// 6m and 9m of 2026 both hold the quarter and April: 13 + A7.
		for _, p := range []string{"6m", "9m", "year"} {
			if n := get(rw.District, models.SummaryInput{Period: models.PeriodInput{Period: p, Year: "2026"}}).Figures.Petitions.Total; n != 14 {
				t.Fatalf("%s: %d petitions", p, n)
			}
		}

		order := func(sort string) string {
			in := q1()
			in.Sort = sort
			var names []string
			for _, c := range get(rw.Admin, in).Communes {
				names = append(names, c.Commune.Name)
			}
			return strings.Join(names, ",")
		}
		for sortKey, want := range map[string]string{
			"-name":      "Tân Thới,Tân Tây,Tân Phú",
			"-petitions": "Tân Thới,Tân Phú,Tân Tây",
			"petitions":  "Tân Tây,Tân Phú,Tân Thới",
			// One late petition each (A4, B2, O1): ties go by name.
			"-overdue_open": "Tân Phú,Tân Tây,Tân Thới",
			// No answer yet in Tân Tây: no rate, last either way.
			"on_time_rate":                "Tân Phú,Tân Thới,Tân Tây",
			"-on_time_rate":               "Tân Thới,Tân Phú,Tân Tây",
			"median_days_to_first_answer": "Tân Phú,Tân Thới,Tân Tây",
			"-attendance":                 "Tân Thới,Tân Phú,Tân Tây",
		} {
			if got := order(sortKey); got != want {
				t.Errorf("sort %s: %s, want %s", sortKey, got, want)
			}
		}
	})
}

func TestSummaryScopeAndValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		ctx := context.Background()
		chairA := w.Actor(t, s, w.ChairA)
		district := w.Actor(t, s, w.DistrictOfficial)
		fieldOf := func(err error) string {
			var verr *models.ValidationError
			if !errors.As(err, &verr) {
				return fmt.Sprintf("not a validation error: %v", err)
			}
			var fields []string
			for f := range verr.Fields {
				fields = append(fields, f)
			}
			sort.Strings(fields)
			return strings.Join(fields, ",")
		}
		cases := []struct {
			actor models.Actor
			in    models.SummaryInput
			field string
		}{
			{chairA, models.SummaryInput{UnitID: fmt.Sprint(w.CommuneB.ID)}, "unit_id"},
			{district, models.SummaryInput{UnitID: fmt.Sprint(w.OtherCommune.ID)}, "unit_id"},
			{district, models.SummaryInput{UnitID: fmt.Sprint(w.HamletA1.ID)}, "unit_id"},
			{district, models.SummaryInput{UnitID: "abc"}, "unit_id"},
			{district, models.SummaryInput{Period: models.PeriodInput{Period: "week"}}, "period"},
			{district, models.SummaryInput{Sort: "colour"}, "sort"},
			{district, models.SummaryInput{UnitID: "0", Period: models.PeriodInput{Period: "month", Month: "13"}, Sort: "x"}, "month,sort,unit_id"},
		}
		for _, c := range cases {
			_, err := s.SummaryReport(ctx, c.actor, c.in)
			if got := fieldOf(err); got != c.field {
				t.Errorf("%+v: fields %s, want %s", c.in, got, c.field)
			}
		}
		// An empty district reports zeros and nulls, never an error.
		sum, err := s.SummaryReport(ctx, district, models.SummaryInput{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Figures.Petitions.Total != 0 || sum.Figures.Petitions.OnTime.Rate != nil || len(sum.Communes) != 2 ||
			sum.Figures.Petitions.ByTopic == nil || sum.Figures.Petitions.ByKind["to_cao"] != 0 {
			t.Fatalf("empty report %+v", sum)
		}
	})
}

func TestOverduePetitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		ctx := context.Background()
		list := func(a models.Actor, unit string, p models.Page) ([]models.OverduePetition, string) {
			t.Helper()
			items, next, err := s.OverduePetitions(ctx, a, models.OverdueInput{UnitID: unit, Page: p})
			if err != nil {
				t.Fatal(err)
			}
			return items, next
		}
		// Longest overdue first, whatever the period: A8 (due 10 Jan), B2 (1 Mar), A4 (10 Mar); A3
		// (due 20 Feb) has its answer published: awaiting closure, not late.
		items, next := list(rw.District, "", models.Page{})
		var got []string
		for _, it := range items {
			got = append(got, fmt.Sprintf("%s:%d:%s:%s", it.Reference, it.DaysOverdue, it.Commune.Name, it.Responsible.Name))
		}
		want := []string{
			rw.Refs["A8"] + ":90:Tân Thới:Ban giao thông",
			rw.Refs["B2"] + ":40:Tân Phú:Phòng Nông nghiệp huyện",
			rw.Refs["A4"] + ":31:Tân Thới:Ấp Tân Hòa",
		}
		if strings.Join(got, " ") != strings.Join(want, " ") || next != "" {
			t.Fatalf("overdue\n got %v\nwant %v", got, want)
		}
		if items[2].Responsible.UnitID == nil || *items[2].Responsible.UnitID != rw.W.HamletA1.ID || items[0].Topic.Code != "GT" {
			t.Fatalf("A4 line %+v", items[2])
		}
		// Pages of two, and commune B alone.
		first, next := list(rw.District, "", models.Page{Limit: 2})
		second, last := list(rw.District, "", models.Page{Limit: 2, Cursor: next})
		if len(first) != 2 || len(second) != 1 || last != "" || first[1].Reference != rw.Refs["B2"] || second[0].Reference != rw.Refs["A4"] {
			t.Fatalf("pages %v %v", first, second)
		}
		onlyB, _ := list(rw.District, fmt.Sprint(rw.W.CommuneB.ID), models.Page{})
		if len(onlyB) != 1 || onlyB[0].Reference != rw.Refs["B2"] {
			t.Fatalf("commune B %v", onlyB)
		}
		// Commune A's chair cannot look at B.
		if _, _, err := s.OverduePetitions(ctx, rw.ChairA, models.OverdueInput{UnitID: fmt.Sprint(rw.W.CommuneB.ID)}); err == nil {
			t.Fatal("chair A read commune B's overdue list")
		}
		// Moving the clock forward makes A11 (due 30 April) and A5 (due 1 May) overdue too.
		s.Now = func() time.Time { return dbtest.VN(t, "2026-05-02 08:00") }
		items, _ = list(rw.ChairA, "", models.Page{})
		if len(items) != 4 || items[2].Reference != rw.Refs["A11"] || items[3].Reference != rw.Refs["A5"] {
			t.Fatalf("in May %d items", len(items))
		}
	})
}

// TestReportUnitFollowsItsChanges: a report's unit comes from the scope cache, which must not
// outlive a change of the units: a renamed commune is named anew in the next summary (the
// first two fill the cache) and series, and a commune moved out of the official's district is
// refused by the summary and the overdue list.
func TestReportUnitFollowsItsChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		ctx := context.Background()
		admin := w.Actor(t, s, w.Admin)
		district := w.Actor(t, s, w.DistrictOfficial)
		in := models.SummaryInput{UnitID: fmt.Sprint(w.CommuneA.ID)}
		for _, want := range []string{w.CommuneA.Name, w.CommuneA.Name} {
			sum, err := s.SummaryReport(ctx, district, in)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Unit.Name != want {
				t.Fatalf("summary names %q, want %q", sum.Unit.Name, want)
			}
		}
		renamed := "Xã Đổi Tên"
		if _, err := s.UpdateUnit(ctx, admin, w.CommuneA.ID, models.UnitPatch{Name: &renamed}); err != nil {
			t.Fatal(err)
		}
		sum, err := s.SummaryReport(ctx, district, in)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Unit.Name != renamed {
			t.Fatalf("after the rename the summary names %q, want %q", sum.Unit.Name, renamed)
		}
		series, err := s.SeriesReport(ctx, district, models.SeriesInput{UnitID: in.UnitID})
		if err != nil {
			t.Fatal(err)
		}
		if series.Unit.Name != renamed {
			t.Fatalf("after the rename the series names %q, want %q", series.Unit.Name, renamed)
		}
		// Moved under another district: outside this official's, an unknown unit for them.
		other := w.OtherCommune.ParentID
		if _, err := s.UpdateUnit(ctx, admin, w.CommuneA.ID, models.UnitPatch{ParentID: other}); err != nil {
			t.Fatal(err)
		}
		var verr *models.ValidationError
		if _, err := s.SummaryReport(ctx, district, in); !errors.As(err, &verr) || verr.Fields["unit_id"].VI == "" {
			t.Fatalf("a commune moved out of the district: %v, want a unit_id error", err)
		}
		if _, _, err := s.OverduePetitions(ctx, district, models.OverdueInput{UnitID: in.UnitID}); !errors.As(err, &verr) {
			t.Fatalf("overdue list of a commune moved out of the district: %v, want a unit_id error", err)
		}
	})
}
