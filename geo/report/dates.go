package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

const (
	monthRE   = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`
	weekdayRE = `(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`
)

var (
	// "Saturday, February 7", "February 19, 2016", "March 2nd"
	monthDayRE = regexp.MustCompile(`\b(?:` + weekdayRE + `,?\s+(?:the\s+)?)?` + monthRE + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	// "19 February 2016", "Saturday 6 February"
	dayMonthRE = regexp.MustCompile(`\b(?:` + weekdayRE + `,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRE + `\b(?:,?\s+(\d{4})\b)?`)
	// "March 2015", "earlier in February", "in November", "late January"
	monthOnlyRE = regexp.MustCompile(`\b(?:(earlier|early|later|late|mid|in|during|since|last|this|from)(?:\s+in)?[\s-]+)?` + monthRE + `\b(?:\s+(\d{4})\b)?`)
	// "last week", "this afternoon", "yesterday", "on Tuesday"
	relativeRE = regexp.MustCompile(`(?i)\b(last week|this week|earlier this week|last month|earlier this month|this month|yesterday|today|this (?:morning|afternoon|evening)|tonight|last night|(?:on |last )?` + weekdayRE + `(?: (?:morning|afternoon|evening|night))?)\b`)
	// "a day after the airstrike", "five days before the attack"
	anchoredRE = regexp.MustCompile(`(?i)\b(` + numberRE + `|a few|several)\s+(days?|weeks?)\s+(after|before|following|prior to)\s+(?:the|this|that)\s+((?:[A-Za-z.-]+\s+){0,3}?[a-z]+)\b`)
)

// dateMention is a date expression in a sentence, resolved against the
// publication date where it needs one.
type dateMention struct {
	span      Span
	date      time.Time // the event date (for week precision, the last day)
	precision int       // geo.TimeDay, TimeWeek or TimeMonth
	note      string    // how it was read
	problem   string    // why it could not be resolved ("needs the publication date")
	disagree  string    // a weekday that contradicts its date
	// anchor is set for "a day after the airstrike": the event word, and
	// the offset in days from that event's date.
	anchor string
	offset int
}

var months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

func monthOf(s string) time.Month {
	return months[strings.ToLower(s[:3])]
}

var weekdays = map[string]time.Weekday{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}

// dates finds the date expressions in sentence s, the most specific where
// they overlap, resolved against published (zero: unknown).
func dates(text string, s Span, published time.Time) []dateMention {
	sent := text[s.Start:s.End]
	var out []dateMention
	taken := func(a, b int) bool {
		for _, d := range out {
			if a < d.span.End-s.Start && b > d.span.Start-s.Start {
				return true
			}
		}
		return false
	}
	add := func(a, b int, d dateMention) {
		if taken(a, b) {
			return
		}
		d.span = Span{s.Start + a, s.Start + b}
		out = append(out, d)
	}
	year := func(y string, m time.Month, day int) (int, string) {
		if y != "" {
			var n int
			fmt.Sscan(y, &n)
			return n, ""
		}
		if published.IsZero() {
			return 0, "the report gives no year and no publication date: give the publication date"
		}
		// The latest such date on or before publication.
		n := published.Year()
		if time.Date(n, m, max(day, 1), 0, 0, 0, 0, time.UTC).After(published) {
			n--
		}
		return n, ""
	}
	for _, m := range anchoredRE.FindAllStringSubmatchIndex(sent, -1) {
		n, ok := parseNumber(sent[m[2]:m[3]])
		if !ok {
			n = 3 // "a few", "several" days: the anchor's week
		}
		if strings.HasPrefix(strings.ToLower(sent[m[4]:m[5]]), "week") {
			n *= 7
		}
		dir := strings.ToLower(sent[m[6]:m[7]])
		if dir == "before" || dir == "prior to" {
			n = -n
		}
		words := strings.Fields(sent[m[8]:m[9]])
		add(m[0], m[1], dateMention{precision: geo.TimeDay, anchor: words[len(words)-1], offset: n, note: sent[m[0]:m[1]]})
	}
	for _, re := range []*regexp.Regexp{monthDayRE, dayMonthRE} {
		for _, m := range re.FindAllStringSubmatchIndex(sent, -1) {
			g := func(i int) string {
				if m[2*i] < 0 {
					return ""
				}
				return sent[m[2*i]:m[2*i+1]]
			}
			var mon time.Month
			var day int
			if re == monthDayRE {
				mon = monthOf(g(2))
				fmt.Sscan(g(3), &day)
			} else {
				fmt.Sscan(g(2), &day)
				mon = monthOf(g(3))
			}
			if day < 1 || day > 31 {
				continue
			}
			y, problem := year(g(4), mon, day)
			d := dateMention{precision: geo.TimeDay, note: sent[m[0]:m[1]], problem: problem}
			if problem == "" {
				d.date = time.Date(y, mon, day, 0, 0, 0, 0, time.UTC)
				if d.date.Day() != day {
					continue // February 31
				}
				if wd := g(1); wd != "" && weekdays[strings.ToLower(wd)] != d.date.Weekday() {
					want := weekdays[strings.ToLower(wd)]
					near := d.date
					for near.Weekday() != want {
						near = near.AddDate(0, 0, -1)
					}
					d.disagree = fmt.Sprintf("The report says %q, but %s was a %s; the %s before it was %s.",
						sent[m[0]:m[1]], d.date.Format("2 January 2006"), d.date.Weekday(), wd, near.Format("2 January"))
					// The event is on one of the two days: the week ending on the later.
					d.precision = geo.TimeWeek
				}
			}
			add(m[0], m[1], d)
		}
	}
	for _, m := range monthOnlyRE.FindAllStringSubmatchIndex(sent, -1) {
		lead := ""
		if m[2] >= 0 {
			lead = strings.ToLower(sent[m[2]:m[3]])
		}
		word := sent[m[4]:m[5]]
		if m[6] < 0 && lead == "" && (word == "May" || len(strings.TrimSuffix(word, ".")) <= 4) {
			continue // "May" alone is a verb more often than a month
		}
		mon := monthOf(word)
		yearText := ""
		if m[6] >= 0 {
			yearText = sent[m[6]:m[7]]
		}
		y, problem := year(yearText, mon, 1)
		d := dateMention{precision: geo.TimeMonth, note: sent[m[0]:m[1]], problem: problem}
		if problem == "" {
			d.date = time.Date(y, mon, 1, 0, 0, 0, 0, time.UTC)
		}
		add(m[0], m[1], d)
	}
	for _, m := range relativeRE.FindAllStringSubmatchIndex(sent, -1) {
		phrase := strings.ToLower(sent[m[2]:m[3]])
		d := dateMention{note: sent[m[0]:m[1]]}
		if published.IsZero() {
			d.problem = fmt.Sprintf("%q needs the publication date: give it", sent[m[0]:m[1]])
			add(m[0], m[1], d)
			continue
		}
		switch {
		case phrase == "last week":
			// The calendar week (Monday to Sunday) before the publication's.
			d.date = published.AddDate(0, 0, -(int(published.Weekday())+6)%7-1)
			d.precision = geo.TimeWeek
		case strings.Contains(phrase, "this week"):
			d.date, d.precision = published, geo.TimeWeek
		case phrase == "last month":
			d.date, d.precision = time.Date(published.Year(), published.Month()-1, 1, 0, 0, 0, 0, time.UTC), geo.TimeMonth
		case strings.Contains(phrase, "this month"):
			d.date, d.precision = time.Date(published.Year(), published.Month(), 1, 0, 0, 0, 0, time.UTC), geo.TimeMonth
		case phrase == "yesterday" || phrase == "last night":
			d.date, d.precision = published.AddDate(0, 0, -1), geo.TimeDay
		case phrase == "today" || phrase == "tonight" || strings.HasPrefix(phrase, "this "):
			d.date, d.precision = published, geo.TimeDay
		case m[4] >= 0:
			// A weekday: the latest on or before publication ("last" one before).
			want := weekdays[strings.ToLower(sent[m[4]:m[5]])]
			day := published
			if strings.HasPrefix(phrase, "last ") {
				day = day.AddDate(0, 0, -1)
			}
			for day.Weekday() != want {
				day = day.AddDate(0, 0, -1)
			}
			d.date, d.precision = day, geo.TimeDay
		default:
			continue
		}
		add(m[0], m[1], d)
	}
	return out
}
