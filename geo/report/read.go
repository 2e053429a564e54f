// Package report reads a news report into draft incidents: the events it
// reports, each coded in ACLED's taxonomy, dated, placed with the gazetteer
// and counted, with the sentence every field came from. It knows nothing of
// storage or HTTP; matching drafts to incidents already known is the
// caller's (see Match).
package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/borderwatch/borderwatch/geo"
	"golang.org/x/net/html"
)

// MaxBytes is the largest report read: a long feature article is 100 KB.
const MaxBytes = 2 << 20

// Meta is what is known of a report beside its text.
type Meta struct {
	Publisher string
	Title     string
	URL       string
	Published time.Time // zero: unknown, so relative dates cannot be resolved
}

// Span is bytes [Start, End) of a report's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Report is a report as read: its text, and where its parts are.
type Report struct {
	Text     string // as read: HTML stripped, line ends normalised
	Meta     Meta
	Keywords []Keyword // the seed site's first line: linked words the body lost
	Title    Span      // zero: none
	Body     Span
	// Sentences are the body's sentences, in order; Paragraphs gives the
	// paragraph of each.
	Sentences  []Span
	Paragraphs []int
}

// Keyword is one word of the keyword line, where it is in the text.
type Keyword struct {
	Text string
	Span Span
}

// Read reads raw (plain text or HTML) as a report. It refuses, with an
// error of kind geo.EInvalid that says why, what is not a report it can
// read: nothing, binary data, more than MaxBytes, or text not in English.
func Read(raw []byte, meta Meta) (*Report, error) {
	if len(raw) > MaxBytes {
		return nil, geo.Errorf(geo.EInvalid, "the report is larger than %d MB: reports of up to %d MB are read", MaxBytes>>20, MaxBytes>>20)
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 || !utf8.Valid(raw) {
		if i < 0 {
			i = invalidAt(raw)
		}
		return nil, geo.Errorf(geo.EInvalid, "the report is not UTF-8 text (binary data at byte %d)", i)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\r", "\n")
	text = strings.TrimPrefix(text, "\uFEFF")
	if looksHTML(text) {
		var title string
		text, title = stripHTML(text)
		if meta.Title == "" {
			meta.Title = title
		}
	}
	if strings.TrimSpace(text) == "" {
		return nil, geo.Errorf(geo.EInvalid, "the report is empty")
	}
	if why := notEnglish(text); why != "" {
		return nil, geo.Errorf(geo.EInvalid, "%s; Borderwatch reads reports in English", why)
	}
	r := &Report{Text: text, Meta: meta}
	r.layout()
	r.Sentences, r.Paragraphs = sentences(text, r.Body)
	return r, nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// layout finds the seed site's header: a line of comma-separated keywords,
// the title, a "Tags:" line, then the body. Plain text has none of it, or a
// title alone on its first line.
func (r *Report) layout() {
	lines := lineSpans(r.Text)
	i := 0
	next := func() (Span, bool) {
		for i < len(lines) && strings.TrimSpace(r.Text[lines[i].Start:lines[i].End]) == "" {
			i++
		}
		if i >= len(lines) {
			return Span{}, false
		}
		i++
		return lines[i-1], true
	}
	start := 0
	if l, ok := next(); ok {
		line := r.Text[l.Start:l.End]
		if isKeywordLine(line) {
			off := l.Start
			for _, k := range strings.Split(line, ",") {
				if t := strings.TrimSpace(k); t != "" {
					s := off + strings.Index(k, t)
					r.Keywords = append(r.Keywords, Keyword{Text: t, Span: Span{s, s + len(t)}})
				}
				off += len(k) + 1
			}
			start = l.End
			l, ok = next()
			line = r.Text[l.Start:l.End]
			if ok && isTitleLine(line) {
				r.Title = trimSpan(r.Text, l)
				start = l.End
			}
		} else if isTitleLine(line) && i < len(lines) && strings.TrimSpace(r.Text[lines[i].Start:lines[i].End]) == "" {
			r.Title = trimSpan(r.Text, l)
			start = l.End
		}
	}
	// A "Tags:" line (its links stripped) carries nothing.
	for j := i; j < len(lines) && j < i+3; j++ {
		if strings.HasPrefix(strings.TrimSpace(r.Text[lines[j].Start:lines[j].End]), "Tags:") {
			start = lines[j].End
		}
	}
	if r.Title != (Span{}) && r.Meta.Title == "" {
		r.Meta.Title = r.Text[r.Title.Start:r.Title.End]
	}
	r.Body = Span{start, len(r.Text)}
}

func lineSpans(text string) []Span {
	var out []Span
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			out = append(out, Span{start, i})
			start = i + 1
		}
	}
	return append(out, Span{start, len(text)})
}

func trimSpan(text string, s Span) Span {
	for s.Start < s.End && unicode.IsSpace(rune(text[s.Start])) {
		s.Start++
	}
	for s.End > s.Start && unicode.IsSpace(rune(text[s.End-1])) {
		s.End--
	}
	return s
}

// isKeywordLine: three or more short comma-separated words, no sentence.
func isKeywordLine(line string) bool {
	parts := strings.Split(line, ",")
	if len(parts) < 3 || strings.ContainsAny(line, ".!?") {
		return false
	}
	for _, p := range parts {
		if len(strings.TrimSpace(p)) > 40 {
			return false
		}
	}
	return true
}

func isTitleLine(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && len(t) < 200 && !strings.HasSuffix(t, ".") && !strings.HasPrefix(t, "Tags:")
}

func looksHTML(text string) bool {
	head := strings.ToLower(text[:min(len(text), 4096)])
	return strings.HasPrefix(strings.TrimSpace(head), "<") &&
		(strings.Contains(head, "<html") || strings.Contains(head, "<body") || strings.Contains(head, "<p") || strings.Contains(head, "<div") || strings.Contains(head, "<article"))
}

// stripHTML is the text of an HTML page: blocks on lines of their own,
// scripts, styles and navigation left out; and its <title>.
func stripHTML(page string) (text, title string) {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	skip := 0
	inTitle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(collapseBlankLines(b.String())), strings.TrimSpace(title)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "nav", "noscript", "svg", "template":
				skip++
			case "title":
				inTitle = true
			case "p", "div", "br", "h1", "h2", "h3", "h4", "li", "article", "section", "header", "footer", "tr", "blockquote":
				b.WriteString("\n\n")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "nav", "noscript", "svg", "template":
				if skip > 0 {
					skip--
				}
			case "title":
				inTitle = false
			case "p", "div", "h1", "h2", "h3", "h4", "li", "article", "section", "blockquote":
				b.WriteString("\n\n")
			}
		case html.TextToken:
			t := string(z.Text())
			if inTitle {
				title += t
			} else if skip == 0 {
				b.WriteString(strings.Join(strings.Fields(t), " "))
				if strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\n") {
					b.WriteByte(' ')
				}
			}
		}
	}
}

func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

var (
	englishWords = set("the", "and", "of", "in", "to", "a", "was", "were", "is", "are", "on", "for", "with", "by", "from", "that", "has", "have", "had", "at", "an", "after", "said", "which", "their")
	frenchWords  = set("le", "la", "les", "des", "du", "et", "dans", "une", "est", "un", "au", "aux", "sur", "par", "pour", "qui", "été", "ont")
)

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// notEnglish says why text does not read as English, or "".
func notEnglish(text string) string {
	var latin, other int
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r):
		case r < 0x250:
			latin++
		default:
			other++
		}
	}
	if latin+other == 0 {
		return "the report has no words"
	}
	if other > latin {
		return fmt.Sprintf("the report is mostly in another script (%d of %d letters are not Latin)", other, latin+other)
	}
	var words, en, fr int
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		words++
		if englishWords[w] {
			en++
		}
		if frenchWords[w] {
			fr++
		}
	}
	switch {
	case words < 8:
		return ""
	case fr > en:
		return "the report reads as French"
	case en*100 < words*6:
		return fmt.Sprintf("the report does not read as English (%d of its %d words are common English words)", en, words)
	}
	return ""
}
