package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every bad request gets a 4xx problem that names what is wrong; nothing
// gets a 5xx; what is merely unusual gets a 200.
func TestBadRequestsAreAnsweredRight(t *testing.T) {
	app := newTestApp(t, "none")
	huge := "9223372036854775807"
	tests := []struct {
		name, method, path string
		status             int
		field              string // the parameter a problem names, if any
	}{
		{"NaN in bbox", "GET", "/collections/incidents/items?bbox=NaN,30,12,38", 400, "bbox"},
		{"Inf in bbox", "GET", "/collections/incidents/items?bbox=10,30,Inf,38", 400, "bbox"},
		{"-Inf in bbox on clusters", "GET", "/collections/incidents/clusters?zoom=5&bbox=-Inf,30,12,38", 400, "bbox"},
		{"NaN in bbox on clusters", "GET", "/collections/incidents/clusters?zoom=5&bbox=NaN,30,12,38", 400, "bbox"},
		{"NaN in bbox on downloads", "GET", "/export/incidents.csv?bbox=NaN,30,12,38", 400, "bbox"},
		{"NaN in bbox on a layer", "GET", "/collections/border/items?bbox=NaN,30,12,38", 400, "bbox"},
		{"-0 in bbox is a number", "GET", "/collections/incidents/items?bbox=-0,30,12,38", 200, ""},
		{"empty values are no filter", "GET", "/collections/incidents/items?bbox=&datetime=&event_type=&q=", 200, ""},
		{"limit twice", "GET", "/collections/incidents/items?limit=5&limit=7", 400, "limit"},
		{"event types repeated", "GET", "/collections/incidents/items?event_type=Battles&event_type=Riots", 200, ""},
		{"Inf distance", "GET", "/collections/incidents/items?near_barrier_km=Inf", 400, "near_barrier_km"},
		{"huge offset on items", "GET", "/collections/incidents/items?offset=" + huge, 200, ""},
		{"offset past int64", "GET", "/collections/incidents/items?offset=" + huge + "0", 400, "offset"},
		{"huge offset on a layer", "GET", "/collections/crossings/items?offset=" + huge, 200, ""},
		{"huge offset on a download", "GET", "/export/incidents.csv?offset=" + huge, 200, ""},
		{"unknown parameter on an item", "GET", "/collections/incidents/items/1?colour=red", 400, "colour"},
		{"filter on an item", "GET", "/collections/incidents/items/1?bbox=1,2,3,4", 400, "bbox"},
		{"unknown parameter on a layer item", "GET", "/collections/barrier/items/1?x=1", 400, "x"},
		{"unknown parameter on collections", "GET", "/collections?limit=1", 400, "limit"},
		{"unknown parameter on the landing page", "GET", "/?f=json&x=1", 400, "x"},
		{"unknown parameter on conformance", "GET", "/conformance?x=1", 400, "x"},
		{"unknown parameter on the API", "GET", "/openapi?x=1", 400, "x"},
		{"bad format", "GET", "/collections?f=xml", 400, "f"},
		{"an unknown collection before its parameters", "GET", "/collections/nope/items/1?x=1", 404, ""},
		{"id past int64", "GET", "/collections/incidents/items/" + huge + "0", 404, ""},
		{"POST to incidents, anonymous", "POST", "/collections/incidents/items", 401, ""},
		{"DELETE an incident, anonymous", "DELETE", "/collections/incidents/items/1", 401, ""},
		{"POST to a layer", "POST", "/collections/border/items", 405, ""},
		{"DELETE a layer's item", "DELETE", "/collections/crossings/items/1", 405, ""},
		{"PATCH the incident points", "PATCH", "/collections/incident-points/items/1", 405, ""},
		{"PUT the landing page", "PUT", "/", 405, ""},
		{"POST a download", "POST", "/export/incidents.csv", 405, ""},
		{"a 10 MB query string", "GET", "/collections/incidents/items?q=" + strings.Repeat("a", 10<<20), 431, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, app.URL+tt.path, nil)
			req.Header.Set("Accept", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var p struct {
				Status int
				Errors []struct{ Field, Reason string }
			}
			if res.StatusCode != tt.status {
				t.Fatalf("got %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status == 405 {
				if allow := res.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") || strings.Contains(allow, "POST") {
					t.Errorf("got Allow %q, want GET and HEAD", allow)
				}
			}
			if tt.status < 400 || tt.status == 431 { // 431 is Go's server's, before any handler
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("got Content-Type %q, want a problem document", ct)
			}
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil || p.Status != tt.status {
				t.Fatalf("got %+v, %v; want a problem with status %d", p, err, tt.status)
			}
			if tt.field != "" && !slices.ContainsFunc(p.Errors, func(e struct{ Field, Reason string }) bool { return e.Field == tt.field && e.Reason != "" }) {
				t.Errorf("got problems %+v, want one naming %s", p.Errors, tt.field)
			}
		})
	}
	// A download past the end is still a whole file: the CSV keeps its header.
	if _, body := get(t, app.URL+"/export/incidents.csv?offset="+huge); !strings.HasPrefix(body, "event_id_cnty,") {
		t.Errorf("a download past the end: got %q, want the header row", body)
	}
	if _, body := get(t, app.URL+"/export/incidents.geojson?offset="+huge); strings.TrimSpace(body) != `{"type":"FeatureCollection","features":[`+"\n]}" {
		t.Errorf("a download past the end: got %q, want an empty FeatureCollection", body)
	}
}

// zeros is an endless body: a client that would upload gigabytes.
type zeros struct{ sent *int64 }

func (z zeros) Read(p []byte) (int, error) {
	clear(p)
	*z.sent += int64(len(p))
	return len(p), nil
}

// A 2 GB upload is answered at once, with nothing read past a few kilobytes
// and nothing kept.
func TestHugeUploadIsRefusedUnread(t *testing.T) {
	app := newTestApp(t, "none")
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/collections/incidents/items", http.StatusRequestEntityTooLarge}, // a write route: refused by its size
		{"/collections/incidents/items/1", http.StatusMethodNotAllowed},
		{"/export/incidents.csv", http.StatusMethodNotAllowed},
		{"/", http.StatusMethodNotAllowed},
	} {
		path := tt.path
		var sent int64
		req, _ := http.NewRequest(http.MethodPost, app.URL+path, io.LimitReader(zeros{&sent}, 2<<30))
		req.ContentLength = 2 << 30
		req.Header.Set("Content-Type", "application/geo+json")
		req.Header.Set("Accept", "application/json")
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var p struct{ Status int }
		json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if res.StatusCode != tt.status || p.Status != tt.status {
			t.Errorf("POST 2 GB to %s: got %d (problem status %d), want a %d problem", path, res.StatusCode, p.Status, tt.status)
		}
		if sent > 64<<20 {
			t.Errorf("POST 2 GB to %s: the client sent %d MB before the answer, want it refused unread", path, sent>>20)
		}
		t.Logf("POST 2 GB to %s: %d after %s and %d KB sent", path, res.StatusCode, time.Since(start).Round(time.Millisecond), sent>>10)
	}
}
