package calendar

import "testing"

// TestTetFallsOnThePublishedDays checks the lunar calendar against the published first days of
// Tết Nguyên đán in Vietnam, 2000 to 2029. In 2007 Vietnam's calendar (UTC+7) and China's
// (UTC+8) disagreed by a day.
func TestTetFallsOnThePublishedDays(t *testing.T) {
	published := map[int]Date{
		2000: "2000-02-05", 2001: "2001-01-24", 2002: "2002-02-12", 2003: "2003-02-01", 2004: "2004-01-22",
		2005: "2005-02-09", 2006: "2006-01-29", 2007: "2007-02-17", 2008: "2008-02-07", 2009: "2009-01-26",
		2010: "2010-02-14", 2011: "2011-02-03", 2012: "2012-01-23", 2013: "2013-02-10", 2014: "2014-01-31",
		2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28", 2018: "2018-02-16", 2019: "2019-02-05",
		2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
		2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
	}
	for year, want := range published {
		if got := Tet(year); got != want {
			t.Errorf("Tết %d: %s, published %s", year, got, want)
		}
	}
}

// TestHungKingsDayFallsOnThePublishedDays checks the 10th day of the 3rd lunar month (Giỗ Tổ
// Hùng Vương) against the days the holiday was observed.
func TestHungKingsDayFallsOnThePublishedDays(t *testing.T) {
	published := map[int]Date{
		2019: "2019-04-14", 2020: "2020-04-02", 2021: "2021-04-21", 2022: "2022-04-10",
		2023: "2023-04-29", 2024: "2024-04-18", 2025: "2025-04-07", 2026: "2026-04-26",
	}
	for year, want := range published {
		if got, ok := LunarDate(year, 3, 10, false); !ok || got != want {
			t.Errorf("Giỗ Tổ %d: %s, published %s", year, got, want)
		}
	}
}

func TestLeapMonths(t *testing.T) {
	// 2023 had a leap 2nd month (tháng 2 nhuận), which began on 22 March 2023; 2025 a leap 6th
	// month, which began on 25 July 2025.
	if d, ok := LunarDate(2023, 2, 1, true); !ok || d != "2023-03-22" {
		t.Errorf("leap 2nd month of 2023: %s %v", d, ok)
	}
	if d, ok := LunarDate(2025, 6, 1, true); !ok || d != "2025-07-25" {
		t.Errorf("leap 6th month of 2025: %s %v", d, ok)
	}
	if _, ok := LunarDate(2024, 5, 1, true); ok {
		t.Error("2024 has no leap month")
	}
	if _, ok := LunarDate(2023, 5, 1, true); ok {
		t.Error("2023's leap month is the 2nd")
	}
	// Every year of the product has its Tết between 21 January and 20 February.
	for y := MinYear; y <= MaxYear; y++ {
		if d := Tet(y); d < DateFor(y, 1, 21) || d > DateFor(y, 2, 20) {
			t.Errorf("Tết %d on %s", y, d)
		}
	}
}
