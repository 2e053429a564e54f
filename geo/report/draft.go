package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Evidence is where in the report one field of a draft came from.
type Evidence = geo.Evidence

// Draft is one event the report reports, as an incident to review, with
// the evidence of each field.
type Draft struct {
	// Incident is what the draft proposes: a new incident, or the known one
	// it reports again with the report merged in (see Match).
	Incident geo.Incident
	// Read is the incident as the report tells it, before any merge.
	Read     geo.Incident
	Evidence []Evidence
	// Problems say why the draft cannot be proposed as it is (a date that
	// needs the publication date); it is shown, never stored.
	Problems []string
	// Match is the incident already known that this draft reports again
	// (see Match), or 0; Known says the report adds nothing to it.
	Match int64
	Known bool
}

// event is a draft while the sentences are read.
type event struct {
	trig      *trigger
	sentences []int // indices into Report.Sentences, the first reporting it
	trigSpan  Span
	date      *dateMention
	place     *placeChoice
	actors    []actorMention
	counts    map[string]casualty
	announced bool // "announced that … had arrested": the date is the announcement's
	present   bool // "are involved in clashes": it is happening as the report is written
}

type actorMention struct {
	name, side string
	span       Span
	fromKeys   bool // filled from the keyword line into a gap of the text
}

type placeChoice struct {
	place     *gazetteer.Place
	span      Span
	qualifier string // "outside", "near", "5 km from": the event was near the place
	part      string // "Ettadhamen neighbourhood": the part of the place it was in
	near      *gazetteer.Place
	score     float64
}

// Drafts reads the events of r, placed with g.
func (r *Report) Drafts(g *gazetteer.Gazetteer) []Draft {
	keyActors, keyPlaces := r.keywordEntities(g)
	// Each sentence's place names, found once; their middle settles names
	// two places share.
	found := make([][]gazetteer.Mention, len(r.Sentences))
	for i, s := range r.Sentences {
		found[i] = g.Find(r.Text[s.Start:s.End])
	}
	middle := center(found)
	var events []*event
	lastOf := func(sub string, anchor string) *event {
		for i := len(events) - 1; i >= 0; i-- {
			e := events[i]
			if (sub != "" && e.trig.subEvent == sub) || (anchor != "" && e.trig.anchor != nil && e.trig.anchor.MatchString(anchor)) {
				return e
			}
		}
		return nil
	}
	// What the paragraph so far has said of when and where: "the town" and
	// a sentence with no date of its own follow the sentence before.
	var ctxDate *dateMention
	var ctxPlace *placeChoice
	for si, s := range r.Sentences {
		if si > 0 && r.Paragraphs[si] != r.Paragraphs[si-1] {
			ctxDate, ctxPlace = nil, nil
		}
		sent := r.Text[s.Start:s.End]
		ds := dates(r.Text, s, r.Meta.Published)
		mentions := found[si]
		cs := casualties(r.Text, s)
		var here []*event // the events this sentence reports or refers to
		var refs []*event
		for _, hit := range findTriggers(sent) {
			t := hit.trig
			if t.needs != nil && !t.needs.MatchString(sent) {
				continue
			}
			before := wordsBefore(sent, hit.start, 5)
			verb := verbTriggerRE.MatchString(sent[hit.start:hit.end])
			if hypotheticalRE.MatchString(strings.Join(before, " ")) || claimRE.MatchString(strings.Join(wordsBefore(sent, hit.start, 7), " ")) {
				continue
			}
			span := Span{s.Start + hit.start, s.Start + hit.end}
			if !verb && isReference(before) {
				if e := lastOf(t.subEvent, ""); e != nil && !slices.Contains(refs, e) {
					refs = append(refs, e)
				}
				continue
			}
			e := &event{trig: t, sentences: []int{si}, trigSpan: span, counts: map[string]casualty{}}
			e.date = nearestDate(ds, span)
			if e.date == nil && ctxDate != nil {
				e.date = ctxDate
			}
			e.place = choosePlace(r, g, s, mentions, span, keyPlaces, t, middle)
			if e.place == nil || e.place.score < 0 && ctxPlace != nil && ctxPlace.score > e.place.score {
				e.place = ctxPlace
			}
			e.actors = findActors(r.Text, s, span, keyActors, otherTriggers(sent, s, hit))
			e.announced = announcedRE.MatchString(sent[:hit.start]) && strings.Contains(strings.ToLower(sent[:hit.start]), "had")
			e.present = presentRE.MatchString(sent)
			// One event told twice is one draft: merge into an earlier one of
			// the same kind, place and date.
			if prev := sameEvent(events, e); prev != nil {
				prev.absorb(e)
				e = prev
			} else {
				events = append(events, e)
			}
			here = append(here, e)
		}
		// Dates anchored to another event: "a day after the airstrike".
		for i := range ds {
			d := &ds[i]
			if d.anchor == "" {
				continue
			}
			if a := lastOf("", d.anchor); a != nil && a.date != nil && !a.date.date.IsZero() {
				d.date = a.date.date.AddDate(0, 0, d.offset)
				d.note = fmt.Sprintf("%s (%s)", d.note, d.date.Format("2 January 2006"))
				for _, e := range here {
					if e != a && (e.date == nil || e.date.anchor != "") {
						e.date = d
					}
				}
			}
		}
		for i := range ds {
			if ds[i].anchor == "" && ds[i].problem == "" && !ds[i].date.IsZero() {
				ctxDate = &ds[i]
			}
		}
		if p := choosePlace(r, g, s, mentions, Span{s.Start, s.Start}, keyPlaces, nil, middle); p != nil && (ctxPlace == nil || p.score > 0) {
			ctxPlace = p
		}
		// Counts go to the event nearest them in the sentence; with none
		// there, to the event of the place the sentence names, else the
		// last violent one.
		targets := append(slices.Clone(here), refs...)
		if len(targets) == 0 && len(cs) > 0 {
			if e := eventAt(events, mentions); e != nil {
				targets = []*event{e}
			}
		}
		for _, c := range cs {
			if len(targets) == 0 {
				break
			}
			e := targets[0]
			best := math.MaxInt
			for _, t := range targets {
				if d := abs(t.trigSpan.Start - c.span.Start); t.trigSpan.Start >= s.Start && d < best {
					e, best = t, d
				}
			}
			if _, ok := e.counts[c.field]; !ok {
				e.counts[c.field] = c
				if !slices.Contains(e.sentences, si) {
					e.sentences = append(e.sentences, si)
				}
			}
		}
	}
	drafts := make([]Draft, 0, len(events))
	for _, e := range events {
		drafts = append(drafts, r.draft(e))
	}
	return drafts
}

type triggerHit struct {
	trig       *trigger
	start, end int
}

// findTriggers returns the triggers in sent, the first in the table
// winning where two cover the same words.
func findTriggers(sent string) []triggerHit {
	var out []triggerHit
	for i := range triggers {
		for _, m := range triggers[i].re.FindAllStringIndex(sent, -1) {
			if slices.ContainsFunc(out, func(h triggerHit) bool { return m[0] < h.end && m[1] > h.start }) {
				continue
			}
			out = append(out, triggerHit{&triggers[i], m[0], m[1]})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}.'’-]+`)

// wordsBefore returns up to n words before byte i of s, in the clause.
func wordsBefore(s string, i, n int) []string {
	clause := s[:i]
	if j := strings.LastIndexAny(clause, ";:()"); j >= 0 {
		clause = clause[j+1:]
	}
	words := wordRE.FindAllString(clause, -1)
	if len(words) > n {
		words = words[len(words)-n:]
	}
	return words
}

// doing verbs make "announce the completion" or "carried out the attack"
// an event; other words before a determiner make it a reference ("after
// the airstrike", "behind the bombing").
var doingRE = re(`announce[sd]?|announcing|launched|carried out|conducted|staged|held|began|started|released|confirmed`)

func isReference(before []string) bool {
	for i := len(before) - 1; i >= 0 && i >= len(before)-4; i-- {
		w := strings.ToLower(before[i])
		if determinerRE.MatchString(w) && len(w) == len(determinerRE.FindString(w)) {
			return i == 0 || !doingRE.MatchString(before[i-1])
		}
		if w == "a" || w == "an" || prepositions[w] {
			return false
		}
	}
	return false
}

var prepositions = set("from", "of", "in", "at", "to", "by", "with", "on", "for", "into", "after", "before")

// verbTriggerRE: a trigger that is a verb reports an event however it is
// introduced; only nouns ("the airstrike") refer back.
var verbTriggerRE = regexp.MustCompile(`(?i)(?:ed|ing out)$|^(?:released|has|have|had|was|were|been|fought|blew|shot|rounded|taken|set)\b`)

// otherTriggers are the spans of the sentence's other triggers: an actor
// just before one of them ("U.S. airstrike") is that event's.
func otherTriggers(sent string, s Span, hit triggerHit) []Span {
	var out []Span
	for _, h := range findTriggers(sent) {
		if h.trig != hit.trig {
			out = append(out, Span{s.Start + h.start, s.Start + h.end})
		}
	}
	return out
}

// nearestDate is the date expression nearest the trigger at span, one
// that no other trigger of the sentence is nearer to.
func nearestDate(ds []dateMention, span Span) *dateMention {
	var best *dateMention
	bestD := math.MaxInt
	for i := range ds {
		d := abs(ds[i].span.Start-span.Start) + abs(ds[i].span.End-span.End)
		if ds[i].span.End <= span.Start {
			d = span.Start - ds[i].span.End
		} else if ds[i].span.Start >= span.End {
			d = ds[i].span.Start - span.End
		}
		if d < bestD {
			best, bestD = &ds[i], d
		}
	}
	if best != nil && bestD > 120 {
		return nil // too far to be this event's
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// sameEvent finds an earlier event that e reports again: the same
// sub-event type, and no place or date that tells them apart.
func sameEvent(events []*event, e *event) *event {
	for _, p := range events {
		if p.trig.subEvent != e.trig.subEvent || p.trig.label != e.trig.label {
			continue
		}
		if p.place != nil && e.place != nil && p.place.place != e.place.place && orbgeo.Distance(p.place.place.Point, e.place.place.Point) > 10000 {
			continue
		}
		if p.date != nil && e.date != nil && !p.date.date.IsZero() && !e.date.date.IsZero() && !overlap(p.date, e.date) {
			continue
		}
		return p
	}
	return nil
}

func overlap(a, b *dateMention) bool {
	a0, a1 := dateRange(a)
	b0, b1 := dateRange(b)
	return !a1.Before(b0) && !b1.Before(a0)
}

func dateRange(d *dateMention) (time.Time, time.Time) {
	inc := geo.Incident{EventDate: d.date, TimePrecision: d.precision}
	return inc.DateRange()
}

// absorb takes what o adds to e: a more precise date or place, actors,
// counts, its sentences.
func (e *event) absorb(o *event) {
	e.sentences = append(e.sentences, o.sentences...)
	if e.date == nil || (o.date != nil && o.date.precision < e.date.precision) {
		e.date = o.date
	}
	if e.place == nil || (o.place != nil && (o.place.score > e.place.score || o.place.qualifier != "" && e.place.place == o.place.place)) {
		e.place = o.place
	}
	for _, a := range o.actors {
		if !slices.ContainsFunc(e.actors, func(b actorMention) bool { return b.name == a.name }) {
			e.actors = append(e.actors, a)
		}
	}
	for k, c := range o.counts {
		if _, ok := e.counts[k]; !ok {
			e.counts[k] = c
		}
	}
}

// eventAt is the event a sentence with no trigger of its own speaks of:
// the one placed at a place it names, else the last violent one.
func eventAt(events []*event, mentions []gazetteer.Mention) *event {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.place == nil {
			continue
		}
		for _, m := range mentions {
			if slices.Contains(m.Places, e.place.place) {
				return e
			}
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		if disorder(events[i].trig.eventType) == geo.DisorderPoliticalViolence {
			return events[i]
		}
	}
	return nil
}

// keywordEntities classifies the keyword line: actors and places.
func (r *Report) keywordEntities(g *gazetteer.Gazetteer) ([]actorMention, []placeChoice) {
	var as []actorMention
	var ps []placeChoice
	for _, k := range r.Keywords {
		if places := g.Lookup(k.Text); len(places) > 0 {
			ps = append(ps, placeChoice{place: best(places, nil), span: k.Span})
			continue
		}
		for _, a := range actors {
			if loc := a.re.FindStringIndex(k.Text); loc != nil && loc[0] == 0 && loc[1] == len(k.Text) {
				as = append(as, actorMention{name: a.name, side: a.side, span: k.Span, fromKeys: true})
				break
			}
		}
	}
	return as, ps
}

// best picks among places of one name: a town before a region, the one
// in the country the report is about, else the most populous.
// With center (the middle of the places the report names unambiguously),
// the one nearest the report's other places comes before the most populous.
func best(ps []*gazetteer.Place, countries map[string]int, center ...orb.Point) *gazetteer.Place {
	sorted := slices.Clone(ps)
	sort.SliceStable(sorted, func(a, b int) bool {
		pa, pb := sorted[a], sorted[b]
		if countries[pa.Country] != countries[pb.Country] {
			return countries[pa.Country] > countries[pb.Country]
		}
		if (pa.Kind == gazetteer.KindCountry) != (pb.Kind == gazetteer.KindCountry) {
			return pb.Kind == gazetteer.KindCountry
		}
		if len(center) > 0 {
			if da, db := orbgeo.Distance(pa.Point, center[0]), orbgeo.Distance(pb.Point, center[0]); math.Abs(da-db) > 5000 {
				return da < db
			}
		}
		return pa.Population > pb.Population
	})
	return sorted[0]
}

// center is the middle of the places named unambiguously, or none.
func center(found [][]gazetteer.Mention) []orb.Point {
	var sum orb.Point
	n := 0
	for _, m := range slices.Concat(found...) {
		if len(m.Places) == 1 && m.Places[0].Kind != gazetteer.KindCountry && m.Places[0].Kind != gazetteer.KindAdmin {
			sum[0] += m.Places[0].Point[0]
			sum[1] += m.Places[0].Point[1]
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []orb.Point{{sum[0] / float64(n), sum[1] / float64(n)}}
}

var (
	prepRE      = regexp.MustCompile(`(?i)^(in|at|outside|near|nearby|outskirts of|around|into|from|of|along|toward|towards|across)$`)
	placeNounRE = regexp.MustCompile(`(?i)^(town|city|village|region|area|governorate|province|district|neighbou?rhood|port|outskirts|vicinity)$`)
	kmFromRE    = regexp.MustCompile(`(?i)^,?\s*(?:about |some |around )?(\d+)\s*(?:km|kilometres|kilometers|miles)\s+(?:from|of|outside|south of|north of|east of|west of)\s*(?:the\s+)?`)
	kmBeforeRE  = regexp.MustCompile(`(?i)(\d+)\s*(?:km|kilometres|kilometers|miles)\s+(?:from|outside|south of|north of|east of|west of)\s+(?:the\s+)?$`)
	partOfRE    = regexp.MustCompile(`\b(?:the\s+)?(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)\s+(neighbou?rhood|district|suburb|quarter)\s+of\s+$`)
	gapRE       = regexp.MustCompile(`^\s*[.,;]`)
	followersRE = regexp.MustCompile(`^\s*(?:government|authorities|officials|ministry|forces|sources)\b`)
)

// choosePlace picks where the event at trig happened among the places the
// sentence names: the one in a locative phrase nearest the trigger ("in
// the town of El Amria", "outside Sabratha", "arrested in Ben Guerdane")
// before a place of origin ("from Libya") or an actor's ("the Tripoli
// government"), a town before a country.
func choosePlace(r *Report, g *gazetteer.Gazetteer, s Span, mentions []gazetteer.Mention, trig Span, keys []placeChoice, t *trigger, middle []orb.Point) *placeChoice {
	sent := r.Text[s.Start:s.End]
	countries := map[string]int{}
	for _, m := range mentions {
		for _, p := range m.Places {
			if p.Kind == gazetteer.KindCountry {
				countries[p.Country]++
			}
		}
	}
	var out *placeChoice
	for _, m := range mentions {
		p := best(m.Places, countries, middle...)
		c := placeChoice{place: p, span: Span{s.Start + m.Start, s.Start + m.End}}
		before := sent[:m.Start]
		pm := prepBefore(before)
		switch {
		case followersRE.MatchString(sent[m.End:]):
			c.score -= 10 // the Tripoli government
		case pm == nil && p.Layer() != "":
			c.score -= 2 // "secure its border": a thing named, not a place the event was at
		case pm == nil:
			c.score += 1 // a subject: "Ben Guerdane was calm"
		default:
			switch strings.ToLower(pm[1]) {
			case "in", "at":
				c.score += 3
			case "outside", "near", "nearby", "outskirts of", "around":
				c.score += 3
				c.qualifier = strings.ToLower(pm[1])
			case "of", "along":
				c.score += 2
			case "from", "into", "toward", "towards", "across":
				c.score -= 2 // where they came from or went to
			}
			if pm[2] != "" {
				c.score += 2
				if strings.HasPrefix(strings.ToLower(pm[2]), "outskirts") || strings.HasPrefix(strings.ToLower(pm[2]), "vicinity") {
					c.qualifier = "outskirts of"
				}
			}
		}
		if t != nil && t.needs != nil && t.needs.MatchString(m.Text) {
			c.score += 3 // the closed crossing, the completed barrier: the event's object
		}
		switch p.Kind {
		case gazetteer.KindCountry:
			c.score -= 3
		case gazetteer.KindAdmin:
			c.score -= 1
		}
		// Nearer the trigger is likelier the event's place.
		d := m.Start - (trig.End - s.Start)
		if m.End <= trig.Start-s.Start {
			d = trig.Start - s.Start - m.End
		}
		c.score -= math.Min(float64(abs(d))/60, 3)
		// "a village 20 km from Tataouine": near it.
		if km := kmBeforeRE.FindStringSubmatch(before); km != nil {
			c.qualifier = km[1] + " km from"
			c.score += 5 // a locative phrase, and "from" counted against it above
		}
		// "in the Ettadhamen neighbourhood of Tunis": a part of the place.
		if part := partOfRE.FindStringSubmatch(before); part != nil {
			c.part = part[1] + " " + strings.ToLower(part[2])
		}
		// "El Amria, 5 km from Ben Guerdane": near the second place.
		if km := kmFromRE.FindStringSubmatchIndex(sent[m.End:]); km != nil {
			c.qualifier = sent[m.End+km[2]:m.End+km[3]] + " km from"
			rest := sent[m.End+km[1]:]
			if next := g.Find(rest); len(next) > 0 && next[0].Start == 0 {
				c.near = best(next[0].Places, countries)
			} else if gapRE.MatchString(rest) {
				// The linked name was stripped: the keyword place nearest.
				c.near = nearestKey(p, keys)
			}
		}
		if out == nil || c.score > out.score {
			cc := c
			out = &cc
		}
	}
	return out
}

// prepBefore finds the locative phrase just before a place name ("in the
// town of", "outside", "5 km from"): the nearest preposition within four
// words, and the place noun between ("town"). Nil: none.
func prepBefore(before string) []string {
	if strings.ContainsAny(strings.TrimRight(before, " "), ",;:") && strings.LastIndexAny(before, ",;:") >= len(strings.TrimRight(before, " "))-1 {
		return nil // "Sabratha, Libya": a country after a comma qualifies the place before
	}
	words := wordRE.FindAllString(before, -1)
	noun := ""
	for i := len(words) - 1; i >= 0 && i >= len(words)-5; i-- {
		w := strings.ToLower(strings.Trim(words[i], ".'’"))
		if w == "of" && i > 0 && strings.EqualFold(words[i-1], "outskirts") {
			return []string{"", "outskirts of", "outskirts"}
		}
		if prepRE.MatchString(w) {
			if w == "of" && i > 0 && placeNounRE.MatchString(words[i-1]) {
				noun = words[i-1]
				// "in the town of": the preposition before the noun.
				for k := i - 2; k >= 0 && k >= i-4; k-- {
					if prepRE.MatchString(strings.ToLower(words[k])) {
						return []string{"", strings.ToLower(words[k]), noun}
					}
				}
				return []string{"", "of", noun}
			}
			return []string{"", w, noun}
		}
		if placeNounRE.MatchString(w) {
			noun = w
		}
	}
	return nil
}

func nearestKey(p *gazetteer.Place, keys []placeChoice) *gazetteer.Place {
	var out *gazetteer.Place
	bestKm := 50.0
	for _, k := range keys {
		if k.place == p || k.place.Kind == gazetteer.KindCountry {
			continue
		}
		if km := orbgeo.Distance(p.Point, k.place.Point) / 1000; km <= bestKm {
			out, bestKm = k.place, km
		}
	}
	return out
}

// findActors names the actors of the sentence, in order; a gap where the
// site stripped a linked name ("The Tunisian army and  are involved") takes
// an actor of the keyword line the text does not name.
func findActors(text string, s Span, trig Span, keys []actorMention, others []Span) []actorMention {
	sent := text[s.Start:s.End]
	var out []actorMention
	var taken [][2]int
	for _, a := range actors {
		for _, m := range a.re.FindAllStringIndex(sent, -1) {
			if slices.ContainsFunc(taken, func(t [2]int) bool { return m[0] < t[1] && m[1] > t[0] }) {
				continue
			}
			if slices.ContainsFunc(others, func(o Span) bool { g := o.Start - (s.Start + m[1]); return g >= 0 && g <= 2 }) {
				continue // "a U.S. airstrike" in a sentence about a confession
			}
			if hypotheticalRE.MatchString(sent[m[1]:min(len(sent), m[1]+40)]) {
				continue // "U.S. military advisers are expected to join them"
			}
			taken = append(taken, [2]int{m[0], m[1]})
			if slices.ContainsFunc(out, func(b actorMention) bool { return b.name == a.name }) {
				continue
			}
			out = append(out, actorMention{name: a.name, side: a.side, span: Span{s.Start + m[0], s.Start + m[1]}})
		}
	}
	// Nearest the trigger first: its subject or object before the others.
	dist := func(sp Span) int {
		switch {
		case sp.End <= trig.Start:
			return trig.Start - sp.End
		case sp.Start >= trig.End:
			return sp.Start - trig.End
		}
		return 0 // named in the trigger itself ("attacked an army barracks")
	}
	sort.SliceStable(out, func(a, b int) bool { return abs(dist(out[a].span)) < abs(dist(out[b].span)) })
	// Far from the trigger, in a long sentence, is another event's actor.
	if len(out) > 1 {
		out = slices.DeleteFunc(out, func(a actorMention) bool { return abs(dist(a.span)) > 100 })
	}
	if loc := actorGapRE.FindStringIndex(sent); loc != nil {
		for _, k := range keys {
			if k.side == sideState && !slices.ContainsFunc(out, func(b actorMention) bool { return b.name == k.name }) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// joined: a and b are named together, "a and b" or "a, b".
func joined(text string, a, b Span) bool {
	if b.Start < a.Start {
		a, b = b, a
	}
	if a.End > b.Start || b.Start-a.End > 12 {
		return false
	}
	between := strings.TrimSpace(strings.ToLower(text[a.End:b.Start]))
	return between == "and" || between == "and the" || between == "," || between == "with" || between == "and its"
}

// actorGapRE is "X and  are": a name missing between "and" and a verb.
var actorGapRE = regexp.MustCompile(`\band\s+(?:are|were|is|was|have|has|had)\b`)

// draft turns an event into a draft incident with its evidence.
func (r *Report) draft(e *event) Draft {
	var d Draft
	inc := &d.Incident
	first := r.Sentences[e.sentences[0]]
	quote := func(sp Span) string {
		for _, si := range e.sentences {
			s := r.Sentences[si]
			if sp.Start >= s.Start && sp.End <= s.End {
				return r.Text[s.Start:s.End]
			}
		}
		return r.Text[sp.Start:sp.End]
	}
	ev := func(field string, sp Span, note string) {
		d.Evidence = append(d.Evidence, Evidence{Field: field, Start: sp.Start, End: sp.End, Quote: quote(sp), Note: note})
	}
	inc.EventType, inc.SubEventType, inc.DisorderType = e.trig.eventType, e.trig.subEvent, disorder(e.trig.eventType)
	if inc.EventType == "Protests" {
		for _, si := range e.sentences {
			s := r.Sentences[si]
			if loc := interventionRE.FindStringIndex(r.Text[s.Start:s.End]); loc != nil {
				inc.SubEventType = "Protest with intervention"
				ev("sub_event_type", Span{s.Start + loc[0], s.Start + loc[1]}, "the protest was met with force: protest with intervention")
				break
			}
		}
	}
	ev("event_type", e.trigSpan, fmt.Sprintf("%q: %s, %s", r.Text[e.trigSpan.Start:e.trigSpan.End], inc.EventType, inc.SubEventType))

	// When.
	switch {
	case e.date != nil && e.date.problem != "":
		d.Problems = append(d.Problems, "event_date: "+e.date.problem)
		ev("event_date", e.date.span, e.date.problem)
	case e.date != nil && !e.date.date.IsZero():
		inc.EventDate, inc.TimePrecision = e.date.date, e.date.precision
		note := "as the report dates it"
		if e.announced {
			// "announced that … had arrested": on or before the announcement.
			inc.TimePrecision = max(inc.TimePrecision, geo.TimeWeek)
			note = "the date of the announcement; the event was on or before it"
		}
		if e.date.disagree != "" {
			inc.Disagreements = append(inc.Disagreements, geo.Disagreement{Field: "event_date", Note: e.date.disagree})
			note = "the weekday and the date disagree: either day, so a week"
		}
		ev("event_date", e.date.span, note+" ("+e.date.note+")")
	case !r.Meta.Published.IsZero() && e.present:
		inc.EventDate, inc.TimePrecision = r.Meta.Published, geo.TimeDay
		ev("event_date", e.trigSpan, "no date given; told in the present tense, so the publication day")
	case !r.Meta.Published.IsZero():
		// Told in the past with no date: on or before the publication day.
		inc.EventDate, inc.TimePrecision = r.Meta.Published, geo.TimeWeek
		ev("event_date", e.trigSpan, "no date given: on or before the publication day, so the week ending on it")
	default:
		d.Problems = append(d.Problems, "event_date: the report does not say when, and the publication date is not known")
	}

	// Where.
	if p := e.place; p != nil {
		place := p.place
		inc.Country = place.Country
		inc.Geometry = place.Point
		if place.Geometry != nil {
			inc.Geometry = place.Geometry
		}
		inc.GeoPrecision = place.Precision
		inc.Location = place.Name
		note := fmt.Sprintf("%s (%s, %s)", place.Name, place.Country, place.Kind)
		switch {
		case p.near != nil:
			inc.Location = fmt.Sprintf("%s, %s %s", place.Name, p.qualifier, p.near.Name)
			inc.GeoPrecision = max(inc.GeoPrecision, geo.GeoNear)
			note += "; " + p.qualifier + " " + p.near.Name
		case p.qualifier != "":
			inc.Location = upperFirst(p.qualifier) + " " + place.Name
			inc.GeoPrecision = max(inc.GeoPrecision, geo.GeoNear)
			note += "; " + p.qualifier + " it: geo precision 2"
		case p.part != "":
			inc.Location = place.Name + " (" + p.part + ")"
			inc.GeoPrecision = max(inc.GeoPrecision, geo.GeoNear)
			note += "; in its " + p.part + ", which the gazetteer does not place: geo precision 2"
		}
		if place.Kind == gazetteer.KindCountry || place.Kind == gazetteer.KindAdmin {
			note += "; a region only: geo precision 3"
		}
		ev("location", p.span, note)
	} else {
		d.Problems = append(d.Problems, "location: the report names no place the gazetteer knows for this event")
	}

	// Who.
	var state, other []actorMention
	for _, a := range e.actors {
		if a.side == sideState {
			state = append(state, a)
		} else {
			other = append(other, a)
		}
	}
	side1, side2 := state, other
	switch {
	case inc.EventType == "Violence against civilians" || inc.SubEventType == "Suicide bomb" || inc.SubEventType == "Remote explosive/landmine/IED":
		// The perpetrator first, those they struck second.
		var perp, victims []actorMention
		for _, a := range e.actors {
			if a.side == sideCivilian || a.side == sideState && inc.EventType != "Violence against civilians" && len(perp) > 0 {
				victims = append(victims, a)
			} else if a.side != sideState || inc.EventType != "Violence against civilians" {
				perp = append(perp, a)
			}
		}
		side1, side2 = perp, victims
	case inc.DisorderType == geo.DisorderDemonstrations:
		// The protesters first; the police that met them second.
		side1, side2 = other, state
	case len(state) == 0:
		side1, side2 = other, nil
	}
	if inc.SubEventType == "Arrests" || inc.DisorderType == geo.DisorderStrategic {
		side2 = slices.DeleteFunc(side2, func(a actorMention) bool { return a.side == sideCivilian })
	}
	if len(side1) > 1 && side1[1].span.Start < side1[0].span.Start && joined(r.Text, side1[0].span, side1[1].span) {
		side1[0], side1[1] = side1[1], side1[0] // "the army and security forces": in the order named
	}
	if len(side1) > 0 {
		inc.Actor1 = side1[0].name
		r.actorEvidence(&d, "actor1", side1[0], quote)
		// An associated actor is named with the first ("the army and the
		// National Guard"), or filled into the gap beside it.
		if len(side1) > 1 && (side1[1].fromKeys || joined(r.Text, side1[0].span, side1[1].span)) {
			inc.AssocActor1 = side1[1].name
			r.actorEvidence(&d, "assoc_actor_1", side1[1], quote)
		}
	} else {
		inc.Actor1 = "Unidentified actors"
	}
	if len(side2) > 0 {
		inc.Actor2 = side2[0].name
		r.actorEvidence(&d, "actor2", side2[0], quote)
	}

	// How many.
	for _, field := range []string{"fatalities", "injuries"} {
		c, ok := e.counts[field]
		if !ok || c.n == nil {
			continue
		}
		n := *c.n
		if field == "fatalities" {
			inc.Fatalities = &n
		} else {
			inc.Injuries = &n
		}
		note := fmt.Sprintf("%d", n)
		if c.note != "" {
			note = fmt.Sprintf("%d (%s)", n, c.note)
		}
		if unconfirmedRE.MatchString(quote(c.span)) {
			inc.Disagreements = append(inc.Disagreements, geo.Disagreement{Field: field, Note: fmt.Sprintf("Reported as unconfirmed or denied: %q", quote(c.span))})
		}
		ev(field, c.span, note)
	}
	if inc.Fatalities == nil && inc.DisorderType == geo.DisorderStrategic {
		zero := 0
		inc.Fatalities = &zero // ACLED codes no fatalities for strategic developments
	}

	// What, and from whom.
	var summary []string
	for _, si := range e.sentences {
		s := r.Sentences[si]
		if t := cleanSentence(r.fillGaps(e, s)); !slices.Contains(summary, t) {
			summary = append(summary, t)
		}
	}
	inc.Summary = strings.Join(summary, " ")
	inc.Title = e.trig.label
	if inc.Location != "" {
		inc.Title += ": " + inc.Location
	}
	supports := []string{"summary"}
	for _, ev := range d.Evidence {
		if slices.Contains(geo.SourcedFields, ev.Field) && !slices.Contains(supports, ev.Field) {
			supports = append(supports, ev.Field)
		}
	}
	src := geo.Source{Publisher: r.Meta.Publisher, Title: r.Meta.Title, URL: r.Meta.URL,
		Note: "'" + cleanSentence(r.Text[first.Start:first.End]) + "'", Supports: supports}
	if !r.Meta.Published.IsZero() {
		src.Published = r.Meta.Published.Format(geo.DateLayout)
	}
	if src.Publisher == "" {
		d.Problems = append(d.Problems, "sources: the publisher is not known: give it")
	}
	inc.Sources = []geo.Source{src}
	inc.Notes = "Drafted from the report by Borderwatch's reader; every field cites the words it came from."
	d.Read = *inc
	return d
}

func (r *Report) actorEvidence(d *Draft, field string, a actorMention, quote func(Span) string) {
	note := a.name
	if a.fromKeys {
		note += ": from the report's keyword line, filling a name the text lost"
	}
	d.Evidence = append(d.Evidence, Evidence{Field: field, Start: a.span.Start, End: a.span.End, Quote: quote(a.span), Note: note})
}

// fillGaps is sentence s with the names the site stripped put back in
// brackets, as an editor marks an insertion: "the army and [National
// Guard] are", "5 km from [Ben Guerdane]".
func (r *Report) fillGaps(e *event, s Span) string {
	sent := r.Text[s.Start:s.End]
	// The place's first: it stands later in the sentence, so the actor's
	// insertion cannot move it.
	if p := e.place; p != nil && p.near != nil && p.span.Start >= s.Start && p.span.End <= s.End {
		after := p.span.End - s.Start
		if km := kmFromRE.FindStringIndex(sent[after:]); km != nil {
			at := after + km[1]
			if gapRE.MatchString(sent[at:]) {
				sent = strings.TrimRight(sent[:at], " ") + " [" + p.near.Name + "]" + sent[at:]
			}
		}
	}
	for _, a := range e.actors {
		if a.fromKeys {
			if loc := actorGapRE.FindStringIndex(sent); loc != nil {
				and := loc[0] + len("and")
				sent = sent[:and] + " [" + r.Text[a.span.Start:a.span.End] + "]" + sent[and:]
			}
			break
		}
	}
	return sent
}

// cleanSentence closes the gaps stripped links left ("5 km from ." →
// "5 km from.") and collapses spaces.
func cleanSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, p := range []string{" .", " ,", " ;"} {
		s = strings.ReplaceAll(s, p, p[1:])
	}
	return s
}

func upperFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
