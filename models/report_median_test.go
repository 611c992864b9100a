package models

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// medianOfEach is the median as figures once counted it: one value per petition, sorted.
func medianOfEach(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	sort.Float64s(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}

// The median read from counted hours is the median of every petition's value, for odd and
// even counts, few and many distinct hours.
func TestHourCountsMedianIsEveryValuesMedian(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	odd, even := 0, 0
	for round := range 2000 {
		var h hourCounts
		var each []float64
		spread := []int{1, 3, 30, 2000, 50000}[round%5]
		entries := r.IntN(40)
		if round%7 == 0 {
			entries = r.IntN(5000) // past the selection's cut to sorting
		}
		for range entries {
			hours, n := r.IntN(spread), r.IntN(5)
			h.add(hours, n)
			for range n {
				each = append(each, float64(hours)/24)
			}
		}
		if len(each)%2 == 0 {
			even++
		} else {
			odd++
		}
		got, want := h.medianDays(), medianOfEach(each)
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Fatalf("round %d, %d values: median %v, want %v", round, len(each), show(got), show(want))
		}
	}
	if odd < 100 || even < 100 {
		t.Fatalf("only %d odd and %d even counts tried", odd, even)
	}
	if got := (hourCounts{}).medianDays(); got != nil {
		t.Fatalf("median of nothing is %v, want none", *got)
	}
}

func show(p *float64) any {
	if p == nil {
		return "none"
	}
	return *p
}
