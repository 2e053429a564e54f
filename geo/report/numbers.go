package report

import (
	"regexp"
	"strconv"
	"strings"
)

var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
	"dozen": 12, "a dozen": 12,
}

// numberRE matches a count: figures, or number words ("twenty-two",
// "a dozen"); vague words ("several", "dozens") on purpose do not match.
const numberRE = `(?:\d[\d,]*|(?:a |an )?(?:hundred|dozen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|an|a)`

// parseNumber reads a count matched by numberRE.
func parseNumber(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(strings.ReplaceAll(s, ",", "")); err == nil {
		return n, true
	}
	if n, ok := numberWords[s]; ok {
		return n, true
	}
	if tens, unit, ok := strings.Cut(strings.ReplaceAll(s, "-", " "), " "); ok {
		t, ok1 := numberWords[tens]
		u, ok2 := numberWords[unit]
		if ok1 && ok2 && t >= 20 && u < 10 {
			return t + u, true
		}
	}
	return 0, false
}

// people are the nouns a casualty count counts.
const people = `(?:people|persons|civilians?|soldiers?|officers?|colonel|captain|lieutenant|general|sergeant|policem[ae]n|police officers?|guards?|guardsmen|members|militants?|terrorists?|jihadists?|gunmen|fighters|insurgents|attackers?|individuals|men|women|children|tourists|migrants|residents|protesters|demonstrators|troops|personnel|agents|suspects?|others?)`

var (
	// "killed over 50 suspected militants", "wounded two soldiers"
	casualtyAfterRE = regexp.MustCompile(`(?i)\b(killed|killing|kills|wounded|wounding|injured|injuring|left)\s+((?:over|more than|at least|nearly|almost|about|around|some|up to|an estimated)\s+)?(` + numberRE + `)\s+((?:[a-z-]+\s+){0,3}?)` + people + `\b(?:\s+(dead|wounded|injured))?`)
	// "a civilian and an army colonel ... were seriously wounded", "two militants were killed"
	casualtyBeforeRE = regexp.MustCompile(`(?i)\b(?:were|was|have been|has been|had been|are|is)\s+(?:\w+ly\s+)?(killed|wounded|injured|shot dead|dead)\b`)
	countTermRE      = regexp.MustCompile(`(?i)\b((?:over|more than|at least|nearly|almost|about|around|some|up to)\s+)?(` + numberRE + `)\s+(?:[A-Za-z-]+\s+){0,3}?` + people + `\b`)
	bareCountRE      = regexp.MustCompile(`(?i)\b((?:over|more than|at least|nearly|almost|about|around|some|up to)\s+)?(\d[\d,]*|` + numberRE[3:len(numberRE)-1] + `)\s*$`)
	joinRE           = regexp.MustCompile(`^(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+)`)
	vagueRE          = regexp.MustCompile(`(?i)\b(several|many|dozens|scores|hundreds|a number of|some)\s+(?:[a-z-]+\s+){0,2}?` + people + `\b`)
	unconfirmedRE    = regexp.MustCompile(`(?i)\b(unconfirmed|could not be (?:independently )?(?:confirmed|verified)|denied|reportedly|unverified)\b`)
)

// casualty is a count of the dead or the wounded in a sentence.
type casualty struct {
	field string // "fatalities" or "injuries"
	n     *int   // nil: a vague count ("several"), which stays unknown
	span  Span
	note  string // "over 50" → 50, with the words as said
}

// casualties finds the counts of dead and wounded in sentence s of text.
func casualties(text string, s Span) []casualty {
	sent := text[s.Start:s.End]
	var out []casualty
	for _, m := range casualtyAfterRE.FindAllStringSubmatchIndex(sent, -1) {
		verb := strings.ToLower(sent[m[2]:m[3]])
		field := "fatalities"
		if strings.HasPrefix(verb, "wound") || strings.HasPrefix(verb, "injur") {
			field = "injuries"
		}
		if verb == "left" {
			if m[10] < 0 {
				continue
			}
			if tail := strings.ToLower(sent[m[10]:m[11]]); tail != "dead" {
				field = "injuries"
			}
		}
		n, ok := parseNumber(sent[m[6]:m[7]])
		if !ok {
			continue
		}
		c := casualty{field: field, n: &n, span: Span{s.Start + m[0], s.Start + m[1]}}
		if m[4] >= 0 {
			c.note = strings.TrimSpace(sent[m[4]:m[7]])
		}
		// "killing a civilian and five presumed terrorists": the terms
		// joined to the first count add up.
		end := m[1]
		for {
			rest := sent[end:]
			j := joinRE.FindStringIndex(rest)
			if j == nil {
				break
			}
			t := countTermRE.FindStringSubmatchIndex(rest[j[1]:])
			if t == nil || t[0] != 0 {
				break
			}
			more, ok := parseNumber(rest[j[1]+t[4] : j[1]+t[5]])
			if !ok {
				break
			}
			n += more
			end += j[1] + t[1]
		}
		c.span.End = s.Start + end
		out = append(out, c)
	}
	prev := 0
	for _, m := range casualtyBeforeRE.FindAllStringSubmatchIndex(sent, -1) {
		verb := strings.ToLower(sent[m[2]:m[3]])
		field := "fatalities"
		if verb == "wounded" || verb == "injured" {
			field = "injuries"
		}
		// The subject: the clause before the verb, from its last stop word
		// or the count before ("14 soldiers were killed and about 20 were wounded").
		from := max(strings.LastIndexAny(sent[:m[0]], ";:")+1, prev)
		prev = m[1]
		if i := lastIndexFold(sent[:m[0]], "that "); i >= from {
			from = i + len("that ")
		}
		subject := sent[from:m[0]]
		total := 0
		var hedge []string
		var sides []string
		for _, t := range countTermRE.FindAllStringSubmatch(subject, -1) {
			n, ok := parseNumber(t[2])
			if !ok {
				continue
			}
			total += n
			sides = append(sides, strings.TrimSpace(t[0]))
			if t[1] != "" {
				hedge = append(hedge, strings.TrimSpace(t[0]))
			}
		}
		if total == 0 {
			// A count whose noun is understood: "and about 20 were wounded".
			if t := bareCountRE.FindStringSubmatch(subject); t != nil {
				if n, ok := parseNumber(t[2]); ok {
					total = n
					if t[1] != "" {
						hedge = append(hedge, strings.TrimSpace(t[1]+t[2]))
					}
				}
			}
		}
		c := casualty{field: field, span: Span{s.Start + from, s.Start + m[1]}}
		switch {
		case total > 0:
			c.n = &total
		case vagueRE.MatchString(subject):
			// "several people were killed": unknown, not zero
		default:
			continue
		}
		if len(hedge) > 0 {
			c.note = strings.Join(hedge, ", ")
		}
		if len(sides) > 1 { // by side, as the report gives them
			c.note = strings.TrimPrefix(c.note+"; by side: "+strings.Join(sides, ", "), "; ")
		}
		out = append(out, c)
	}
	return out
}

func lastIndexFold(s, sub string) int {
	return strings.LastIndex(strings.ToLower(s), sub)
}
