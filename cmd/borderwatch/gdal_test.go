package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// gdal finds GDAL's command-line tools. Without them the GDAL tests skip,
// unless BORDERWATCH_REQUIRE_GDAL is set (as .ci/run does).
func gdal(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := "no " + tool + " (install Debian's gdal-bin): GDAL tests skipped"
			if os.Getenv("BORDERWATCH_REQUIRE_GDAL") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

func runGDAL(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=20", "CPL_DEBUG=OFF")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ogrCopy copies the incidents collection with ogr2ogr and returns the
// features GDAL wrote.
func ogrCopy(t *testing.T, url string, args ...string) featureCollection {
	t.Helper()
	out := filepath.Join(t.TempDir(), "copy.geojson")
	runGDAL(t, "ogr2ogr", append([]string{"-f", "GeoJSON", out, "OAPIF:" + url, "incidents"}, args...)...)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc featureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	return fc
}

func titles(fc featureCollection) []string {
	var out []string
	for _, f := range fc.Features {
		out = append(out, f.Properties["title"].(string))
	}
	slices.Sort(out)
	return out
}

func TestGDALReadsTheAPI(t *testing.T) {
	gdal(t)
	app := newTestApp(t, "none")

	t.Run("ogrinfo lists the collections", func(t *testing.T) {
		out := runGDAL(t, "ogrinfo", "-ro", "OAPIF:"+app.URL)
		for _, want := range []string{"1: incidents", "barrier (title: Border barrier (2016)) (Line String)", "crossings", "border", "basemap", "places"} {
			if !strings.Contains(out, want) {
				t.Errorf("ogrinfo output lacks %q:\n%s", want, out)
			}
		}
	})

	api := getCollection(t, app.URL+"/collections/incidents/items")
	t.Run("ogr2ogr copies every incident with its properties", func(t *testing.T) {
		for _, args := range [][]string{nil, {"-oo", "PAGE_SIZE=2"}} {
			fc := ogrCopy(t, app.URL, args...)
			if !slices.Equal(titles(fc), titles(api)) {
				t.Errorf("%v: got %v, want every incident", args, titles(fc))
			}
			for _, f := range fc.Features {
				for _, p := range []string{"event_date", "event_type", "sub_event_type", "actor1", "country", "geo_precision", "sources"} {
					if v, ok := f.Properties[p]; !ok || v == nil || v == "" {
						t.Errorf("%v: %q lost %s", args, f.Properties["title"], p)
					}
				}
				if f.Properties["title"] == "Gun attack on the Bardo National Museum" && f.Properties["fatalities"] != json.Number("22") && f.Properties["fatalities"] != 22.0 {
					t.Errorf("%v: Bardo fatalities %v, want 22", args, f.Properties["fatalities"])
				}
			}
		}
	})

	t.Run("a -spat box returns the incidents in it", func(t *testing.T) {
		fc := ogrCopy(t, app.URL, "-spat", "11.1", "33.0", "11.6", "33.3")
		want := titles(getCollection(t, app.URL+"/collections/incidents/items?bbox=11.1,33.0,11.6,33.3"))
		if got := titles(fc); !slices.Equal(got, want) || len(got) != 4 {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	t.Run("a date filter returns the incidents of those dates", func(t *testing.T) {
		fc := ogrCopy(t, app.URL, "-where", "event_date >= '2016-02-01' AND event_date <= '2016-02-29'")
		var dates []string
		for _, f := range fc.Features {
			dates = append(dates, f.Properties["event_date"].(string))
		}
		slices.Sort(dates)
		if want := []string{"2016-02-01", "2016-02-06", "2016-02-19", "2016-02-20", "2016-02-28"}; !slices.Equal(dates, want) {
			t.Errorf("got %v, want %v", dates, want)
		}
	})

	t.Run("exports open in ogrinfo", func(t *testing.T) {
		dir := t.TempDir()
		for _, ext := range []string{"geojson", "csv"} {
			_, body := get(t, app.URL+"/export/incidents."+ext)
			path := filepath.Join(dir, "incidents."+ext)
			os.WriteFile(path, []byte(body), 0o644)
			args := []string{"-ro", "-so", "-al", path}
			if ext == "csv" {
				args = append(args, "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-oo", "AUTODETECT_TYPE=YES")
			}
			out := runGDAL(t, "ogrinfo", args...)
			if !strings.Contains(out, "Feature Count: 10") || !strings.Contains(out, "Geometry: Point") && ext == "csv" {
				t.Errorf("%s export in ogrinfo:\n%s", ext, out)
			}
		}
	})
}
