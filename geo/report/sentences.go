package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = set("mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "sgt", "st", "no", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "vs", "etc", "km", "pres", "gov", "rep", "sen", "jr", "sr")

// sentences splits body into sentences: at a full stop, ! or ? followed by
// a space and a capital letter (not after an abbreviation or an initial,
// so "U.S. airstrike" and "Gen. Haftar" stay whole), and at blank lines.
// The second result gives each sentence's paragraph.
func sentences(text string, body Span) ([]Span, []int) {
	var out []Span
	var paras []int
	para := 0
	start := body.Start
	emit := func(end int) {
		s := trimSpan(text, Span{start, end})
		if s.End > s.Start && strings.IndexFunc(text[s.Start:s.End], unicode.IsLetter) >= 0 {
			out = append(out, s)
			paras = append(paras, para)
		}
	}
	for i := body.Start; i < body.End; {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' && blankLineAt(text, i+size, body.End):
			emit(i)
			start = i + size
			para++
		case r == '.' || r == '!' || r == '?':
			end := i + size
			for end < body.End && strings.ContainsRune("\"'”’)", rune(text[end])) {
				end++
			}
			if endsSentence(text, i, end, body.End) {
				emit(end)
				start = end
				i = end
				continue
			}
		}
		i += size
	}
	emit(body.End)
	return out, paras
}

func blankLineAt(text string, i, end int) bool {
	for ; i < end; i++ {
		switch {
		case text[i] == '\n':
			return true
		case text[i] == ' ' || text[i] == '\t' || text[i] == 0xC2 || text[i] == 0xA0: // NBSP too
		default:
			return false
		}
	}
	return true
}

// endsSentence: the stop at dot (its quotes running to after) ends a
// sentence when whitespace and a capital, digit or quote follow, and the
// word before is not an abbreviation or a single letter.
func endsSentence(text string, dot, after, end int) bool {
	j := after
	for j < end {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == '\n' || !unicode.IsSpace(r) {
			break
		}
		j += size
	}
	if j == after && j < end {
		return false // "U.S" or "3.5": no space after
	}
	if j >= end || text[j] == '\n' {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[j:])
	if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune("\"“‘'(", next) {
		return false
	}
	if text[dot] != '.' {
		return true
	}
	w := dot
	for w > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:w])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		w -= size
	}
	word := strings.ToLower(strings.TrimLeft(text[w:dot], "."))
	if strings.Contains(word, ".") || utf8.RuneCountInString(word) == 1 {
		return false // U.S. / U.K. / initials
	}
	return !abbreviations[word]
}
