package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

// debianPython is Debian's Python, which has Debian's python3-owslib and
// python3-qgis (a python3 earlier on PATH, pyenv's say, has neither).
const debianPython = "/usr/bin/python3"

// pyGIS runs testdata/script with Debian's Python if it has module;
// without it the test skips, unless BORDERWATCH_REQUIRE_GIS is set (as
// .ci/run does).
func pyGIS(t *testing.T, module, pkg, script string, v any, args ...string) {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import "+module).Run(); err != nil {
		msg := "no " + module + " for " + debianPython + " (install Debian's " + pkg + "): test skipped"
		if os.Getenv("BORDERWATCH_REQUIRE_GIS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, debianPython, append([]string{"testdata/" + script}, args...)...)
	runtime := t.TempDir()
	os.Chmod(runtime, 0o700)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+runtime)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%s: %v in %s", script, err, out)
	}
}

// OWSLib with its default headers (Accept: */*) reads the landing page,
// conformance, collections, items by box and limit, and one item.
func TestOWSLibReadsTheAPI(t *testing.T) {
	app := newTestApp(t, "none")
	var got struct {
		Conformance, Collections []string
		Incidents                string
		BBoxMatched              int      `json:"bbox_matched"`
		BBoxReturned             []string `json:"bbox_returned"`
		ItemTitle                string   `json:"item_title"`
	}
	pyGIS(t, "owslib", "python3-owslib", "owslib_client.py", &got, app.URL)
	api := getCollection(t, app.URL+"/collections/incidents/items?bbox=11.0,32.9,11.6,33.3&limit=2")
	var want []string
	for _, f := range api.Features {
		want = append(want, f.ID.String())
	}
	inc, _ := app.Store.Incident(context.Background(), 3)
	if !slices.Contains(got.Conformance, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core") ||
		!slices.Contains(got.Collections, "incidents") || got.Incidents != "Incidents" ||
		got.BBoxMatched != api.NumberMatched || !slices.Equal(got.BBoxReturned, want) || got.ItemTitle != inc.Title {
		t.Errorf("OWSLib got %+v; the API says %d matched, ids %v, item 3 %q", got, api.NumberMatched, want, inc.Title)
	}
}

// QGIS types a layer by its first feature: in the mixed incidents layer it
// cannot draw the incident that is a line; in incident-points it draws
// every one, paging through thousands.
func TestQGISDrawsEveryIncidentAsPoints(t *testing.T) {
	app := newTestApp(t, "none")
	inc, err := app.Store.Incident(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]geo.Incident, 2500)
	for i := range batch {
		batch[i] = inc
		batch[i].ID = 0
	}
	if _, _, err := app.Store.ImportIncidents(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	type layer struct {
		Type, Error    string
		Read, Drawable int
	}
	var got map[string]layer
	pyGIS(t, "qgis.core", "python3-qgis and qgis-providers", "qgis_client.py", &got, app.URL, "incidents", "incident-points")
	mixed, points := got["incidents"], got["incident-points"]
	if points.Error != "" || points.Type != "Point" || points.Read != 2510 || points.Drawable != 2510 {
		t.Errorf("incident-points in QGIS: got %+v, want a Point layer drawing all 2 510 incidents", points)
	}
	if mixed.Read != 2510 || mixed.Drawable != 2509 {
		t.Errorf("incidents in QGIS: got %+v, want 2 510 read and the line not drawable (why incident-points exists)", mixed)
	}
}
