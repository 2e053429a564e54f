package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
)

// readIncidentsDecoder is ReadIncidents as it was before the splitter:
// every feature read with encoding/json's Decoder. The fuzz target holds
// the two to the same results.
func readIncidentsDecoder(r io.Reader, fn func(Incident, *FeatureError) error) error {
	splitFeatures = false
	defer func() { splitFeatures = true }()
	return ReadIncidents(r, fn)
}

// readAll is what ReadIncidents (or the reference) gives for doc: each
// feature's incident or why it is refused, then the error, with byte
// offsets in malformed JSON's messages left out (the splitter's are nearer
// the truth by a few bytes: see TestSplitterOffsets).
func readAll(read func(io.Reader, func(Incident, *FeatureError) error) error, doc string, stopAt int, small bool) string {
	var b strings.Builder
	n := 0
	var r io.Reader = strings.NewReader(doc)
	if small { // a byte or a few at a time: features and escapes cut by reads
		r = iotest.HalfReader(iotest.OneByteReader(r))
	}
	err := read(r, func(inc Incident, fe *FeatureError) error {
		if fe != nil {
			fmt.Fprintf(&b, "%d: %v\n", fe.Index, fe.Err)
		} else {
			j, _ := json.Marshal(inc)
			fmt.Fprintf(&b, "%s\n", j)
		}
		if n++; n == stopAt {
			return errStopHere
		}
		return nil
	})
	fmt.Fprintf(&b, "error: %v", malformedAt.ReplaceAllString(fmt.Sprint(err), "malformed JSON at byte N"))
	return b.String()
}

var (
	errStopHere = errors.New("stop here")
	malformedAt = regexp.MustCompile(`malformed JSON at byte \d+`)
)

const refFeature = `{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[11.2,33.1]},"properties":{"title":"x \"q\" \\ \u00e9","event_date":"2016-03-07","time_precision":1,` +
	`"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"Military Forces of Tunisia","country":"TN","geo_precision":1,` +
	`"sources":[{"publisher":"Reuters","url":"https://www.reuters.com/x"}]}}`

func refDocs() []string {
	f, g := refFeature, strings.Replace(refFeature, `"id":7`, `"id":8`, 1)
	bad := strings.Replace(refFeature, `"title":`, `"title" `, 1)
	return []string{
		`{"type":"FeatureCollection","features":[` + f + `,` + g + `]}`,
		"{\"type\":\"FeatureCollection\",\"features\":[\n " + f + " ,\n\t" + g + "\r\n]\n}\n",
		`{"features":[` + f + `,` + g + `,{}],"type":"FeatureCollection"}`,
		`{"type":"FeatureCollection","features":[` + f + `,` + bad + `]}`,
		`{"type":"FeatureCollection","features":[` + f + `,` + f + `}`,
		`{"type":"FeatureCollection","features":[` + f + ` ` + g + `]}`,
		`{"type":"FeatureCollection","features":[` + f + `,]}`,
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","features":[,]}`,
		`{"type":"FeatureCollection","features":[1,` + f + `]}`,
		`{"type":"FeatureCollection","features":[` + f + `,"x",` + g + `]}`,
		`{"type":"FeatureCollection","features":[` + f + `,` + g + `],"bbox":[1,2,3,4],"type" 5}`,
		`{"type":"FeatureCollection","features":[` + f + `],"features":[` + g + `]}`,
		`{"type":"FeatureCollection","features":[` + f + `,` + g,
		`{"type":"FeatureCollection","features":[` + f[:100],
		`{"type":"FeatureCollection","features":[` + f + `]} x`,
		`{"type":"FeatureCollection","features":[` + f + `,{"a":"\u00"}]}`,
		`{"type":"FeatureCollection","features":[` + f + `,{"a":"x` + "\n" + `"}]}`,
		`{"type":"FeatureCollection","features":[` + f + `,{"a":[1,2}]}`,
		`{"type":"FeatureCollection","features":[` + f + `,{"a":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}]}`,
		`{"type":"FeatureCollection","features":[` + f + `,` + f + `]}`, // a duplicate id
		f,
	}
}

func TestSplitterReadsAsTheDecoder(t *testing.T) {
	for _, doc := range refDocs() {
		for _, stop := range []int{0, 1} {
			for _, small := range []bool{false, true} {
				want := readAll(readIncidentsDecoder, doc, stop, false)
				if got := readAll(ReadIncidents, doc, stop, small); got != want {
					t.Errorf("%.80s… (stop at %d, small reads %v):\n got %s\nwant %s", doc, stop, small, got, want)
				}
			}
		}
	}
}

func FuzzReadIncidentsAsTheDecoder(f *testing.F) {
	for _, doc := range refDocs() {
		f.Add(doc, false)
		f.Add(doc, true)
	}
	f.Fuzz(func(t *testing.T, doc string, small bool) {
		want := readAll(readIncidentsDecoder, doc, 0, false)
		if got := readAll(ReadIncidents, doc, 0, small); got != want {
			t.Errorf("%q (small reads %v):\n got %s\nwant %s", doc, small, got, want)
		}
	})
}

// The splitter's offsets in a malformed feature are those of the Decoder
// that goes on from the last feature read, a few bytes short of the bad
// byte's (the Decoder does not count the commas and colons it reads as
// tokens); the reference's fall further behind with every feature before.
func TestSplitterOffsets(t *testing.T) {
	var docs []string
	for _, k := range []int{1, 100} {
		docs = append(docs, `{"type":"FeatureCollection","features":[`+strings.Repeat(refFeature+`,`, k)+`{"a" 1}]}`)
	}
	at := regexp.MustCompile(`at byte (\d+)`)
	for _, doc := range docs {
		bad := strings.Index(doc, `{"a" 1}`) + len(`{"a" `) // the 1
		var got, ref int
		fmt.Sscan(at.FindStringSubmatch(fmt.Sprint(ReadIncidents(strings.NewReader(doc), func(Incident, *FeatureError) error { return nil })))[1], &got)
		fmt.Sscan(at.FindStringSubmatch(fmt.Sprint(readIncidentsDecoder(strings.NewReader(doc), func(Incident, *FeatureError) error { return nil })))[1], &ref)
		t.Logf("bad byte at %d: splitter says %d, the Decoder alone %d", bad, got, ref)
		if got > bad+1 || got < bad-4 {
			t.Errorf("bad byte at %d: the splitter says %d", bad, got)
		}
	}
}
