package calendar

import (
	"math"
	"time"
)

// The Vietnamese lunar calendar (âm lịch), by Hồ Ngọc Đức's astronomical method: new moons and
// the sun's longitude from Jean Meeus' "Astronomical Algorithms" formulas, days counted at
// UTC+7. The Chinese calendar uses UTC+8 and so differs from Vietnam's in some years (Tết 2007
// fell on 17 February in Vietnam, 18 February in China); no Go library computes Vietnam's, so
// the method is carried here. It is exact for the product's years (tested against the published
// dates of Tết and Giỗ Tổ Hùng Vương).

// vietnamOffset is the zone of the Vietnamese lunar calendar, in hours.
const vietnamOffset = 7.0

// julianDay returns the Julian day number of a Gregorian date.
func julianDay(d Date) int {
	t := d.time()
	day, month, year := t.Day(), int(t.Month()), t.Year()
	a := (14 - month) / 12
	y := year + 4800 - a
	m := month + 12*a - 3
	return day + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// dateOfJulianDay returns the Gregorian date of a Julian day number.
func dateOfJulianDay(jd int) Date {
	a := jd + 32044
	b := (4*a + 3) / 146097
	c := a - (b*146097)/4
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	day := e - (153*m+2)/5 + 1
	month := m + 3 - 12*(m/10)
	year := b*100 + d - 4800 + m/10
	return DateFor(year, time.Month(month), day)
}

// newMoon returns the Julian day (with its fraction, in UTC) of the k-th new moon after the one
// of 1 January 1900.
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 -= 0.0004 * math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the sun's longitude, in radians in [0, 2π), at a Julian day (UTC).
func sunLongitude(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - math.Pi*2*math.Floor(l/(math.Pi*2))
}

// sunSector returns which of the twelve 30° sectors the sun is in at the start of a day in
// Vietnam: 0 from the spring equinox, 9 from the winter solstice.
func sunSector(day int) int {
	return int(math.Floor(sunLongitude(float64(day)-0.5-vietnamOffset/24) / math.Pi * 6))
}

// newMoonDay returns the day (Julian day number in Vietnam) of the k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + vietnamOffset/24))
}

// month11 returns the first day of the 11th lunar month of a year: the month of the winter solstice.
func month11(year int) int {
	off := julianDay(DateFor(year, 12, 31)) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns which month after the 11th one (a11) is the leap month of a year of
// thirteen months: the first month in which the sun enters no new sector.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// LunarDate returns the Gregorian day of a day of the Vietnamese lunar calendar: day and month
// (1 to 12) of the lunar year that begins in the Gregorian year, in the leap month when leap is
// set. ok is false for a leap month the year does not have.
func LunarDate(year, month, day int, leap bool) (Date, bool) {
	var a11, b11 int
	if month < 11 {
		a11, b11 = month11(year-1), month11(year)
	} else {
		a11, b11 = month11(year), month11(year+1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return "", false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return "", false
	}
	return dateOfJulianDay(newMoonDay(k+off) + day - 1), true
}

// Tet returns the first day of the lunar year that begins in a Gregorian year (Tết Nguyên đán).
func Tet(year int) Date {
	d, _ := LunarDate(year, 1, 1, false)
	return d
}
