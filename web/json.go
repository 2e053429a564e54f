package web

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Every JSON and GeoJSON body the server and the command line write is
// made here.

// writeJSON writes v as JSON with the given media type.
func writeJSON(c echo.Context, status int, media string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, media, append(b, '\n'))
}

// Member is a foreign member of a FeatureCollection (RFC 7946 §6.1), such
// as OGC API's numberMatched or links.
type Member struct {
	Name  string
	Value any
}

// FeatureCollection streams a GeoJSON FeatureCollection: its members first,
// then one feature at a time, so memory stays flat at any size.
type FeatureCollection struct {
	w       *bufio.Writer
	display bool
	markers bool // incidents carry only what a marker and its popup show
	points  bool
	n       int
	closed  bool
	err     error
	buf     []byte // the feature being written
}

// NewFeatureCollection starts a FeatureCollection on w with the given
// foreign members. With display set, each incident also carries where the
// map puts its marker and its labels, so the page need not derive them.
func NewFeatureCollection(w io.Writer, display bool, members ...Member) *FeatureCollection {
	bw := writers.Get().(*bufio.Writer)
	bw.Reset(w)
	fc := &FeatureCollection{w: bw, display: display}
	fc.w.WriteString(`{"type":"FeatureCollection"`)
	for _, m := range members {
		b, err := json.Marshal(m.Value)
		if err != nil && fc.err == nil {
			fc.err = err
		}
		fc.w.WriteString(`,"` + m.Name + `":`)
		fc.w.Write(b)
	}
	fc.w.WriteString(`,"features":[`)
	return fc
}

func (fc *FeatureCollection) add(v any) error {
	if fc.err != nil {
		return fc.err
	}
	b, err := json.Marshal(v)
	return fc.write(b, err)
}

func (fc *FeatureCollection) write(b []byte, err error) error {
	if err != nil {
		fc.err = err
		return err
	}
	if fc.n > 0 {
		fc.w.WriteByte(',')
	}
	fc.n++
	fc.w.WriteByte('\n')
	_, fc.err = fc.w.Write(b)
	return fc.err
}

// AsPoints makes fc write each incident at its marker point.
func (fc *FeatureCollection) AsPoints(on bool) *FeatureCollection { fc.points = on; return fc }

// Incident adds one incident.
func (fc *FeatureCollection) Incident(inc geo.Incident) error {
	if fc.points {
		inc.Geometry = geo.RepresentativePoint(inc.Geometry)
	}
	f := incidentFeature(inc, fc.display, nil)
	if fc.markers {
		f.Properties = newMarkerProps(f.Properties.(geo.IncidentProperties))
	}
	if fc.err != nil {
		return fc.err
	}
	var err error
	fc.buf, err = f.appendJSON(fc.buf[:0])
	return fc.write(fc.buf, err)
}

// Feature adds one feature of a context layer.
func (fc *FeatureCollection) Feature(f *geojson.Feature) error { return fc.add(layerFeature(f, nil)) }

// Cluster adds a cluster of incidents: a point with its count and box.
func (fc *FeatureCollection) Cluster(k geo.Cluster) error {
	return fc.add(clusterJSON{Type: "Feature",
		Geometry:   *geojson.NewGeometry(orb.Point{round6(k.Center[0]), round6(k.Center[1])}),
		Properties: clusterProps{Cluster: true, Count: k.Count, BBox: bbox(k.Bound)}})
}

// Close ends the document and flushes it.
func (fc *FeatureCollection) Close() error {
	if fc.closed {
		return fc.err
	}
	fc.closed = true
	if fc.err != nil {
		return fc.err
	}
	fc.w.WriteString("\n]}\n")
	if err := fc.w.Flush(); err != nil {
		return err
	}
	fc.w.Reset(nil)
	writers.Put(fc.w)
	fc.w = nil
	return nil
}

// writers are FeatureCollections' buffers, used again: a new one was a
// twentieth of the bytes a page of features allocated.
var writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

type clusterJSON struct {
	Type       string           `json:"type"`
	Geometry   geojson.Geometry `json:"geometry"`
	Properties clusterProps     `json:"properties"`
}

type clusterProps struct {
	Cluster bool       `json:"cluster"`
	Count   int        `json:"count"`
	BBox    [4]float64 `json:"bbox"`
}

// incidentJSON is how every incident is written: an RFC 7946 Feature, id
// first, coordinates to 6 decimals; on the map, with its marker and labels
// as foreign members; alone, with its links.
type incidentJSON struct {
	Type       string           `json:"type"`
	ID         any              `json:"id,omitempty"`
	Geometry   geojson.Geometry `json:"geometry"`
	Properties any              `json:"properties"` // geo.IncidentProperties, or markerProps
	Marker     *[2]float64      `json:"marker,omitempty"`
	Labels     *labelsJSON      `json:"labels,omitempty"`
	Links      []Link           `json:"links,omitempty"`
	AsOf       string           `json:"asOf,omitempty"` // a pinned view's time: the record as it stood then
}

// asOf is a pinned view's time as the API writes it, or "".
func asOf(f geo.Filter) string {
	if f.AsOf.IsZero() {
		return ""
	}
	return f.AsOf.UTC().Format(time.RFC3339Nano)
}

// pinMembers says, in a FeatureCollection, that its view is pinned.
func pinMembers(f geo.Filter) []Member {
	if f.AsOf.IsZero() {
		return nil
	}
	return []Member{{"asOf", asOf(f)}}
}

// pinnedFeature marks a single incident read as it stood at the pin.
func pinnedFeature(out incidentJSON, pin geo.Filter) incidentJSON {
	out.AsOf = asOf(pin)
	return out
}

// labelsJSON is how an incident reads, from the same functions the HTML
// pages use.
type labelsJSON struct {
	Date          string `json:"date"`
	TimePrecision string `json:"time_precision"`
	GeoPrecision  string `json:"geo_precision"`
	Place         string `json:"place"`
}

func incidentFeature(inc geo.Incident, display bool, links []Link) incidentJSON {
	out := incidentJSON{Type: "Feature", Geometry: *geojson.NewGeometry(geo.RoundGeometry(inc.Geometry)),
		Properties: inc.Properties(), Links: links}
	if inc.ID != 0 {
		out.ID = inc.ID
	}
	if display {
		p := geo.RepresentativePoint(inc.Geometry)
		out.Marker = &[2]float64{round6(p[0]), round6(p[1])}
		out.Labels = &labelsJSON{Date: inc.DateLabel(), TimePrecision: geo.TimePrecisionLabel(inc.TimePrecision),
			GeoPrecision: geo.GeoPrecisionLabel(inc.GeoPrecision), Place: inc.PlaceLabel()}
	}
	return out
}

type layerFeatureJSON struct {
	Type       string             `json:"type"`
	ID         any                `json:"id,omitempty"`
	Geometry   geojson.Geometry   `json:"geometry"`
	Properties geojson.Properties `json:"properties"`
	Links      []Link             `json:"links,omitempty"`
}

func layerFeature(f *geojson.Feature, links []Link) layerFeatureJSON {
	props := f.Properties
	if props == nil {
		props = geojson.Properties{}
	}
	return layerFeatureJSON{Type: "Feature", ID: f.ID, Geometry: *geojson.NewGeometry(geo.RoundGeometry(f.Geometry)),
		Properties: props, Links: links}
}

// marshalIncident is an incident as the pages embed it for their maps.
func marshalIncident(inc geo.Incident) (json.RawMessage, error) {
	return incidentFeature(inc, true, nil).appendJSON(nil)
}

func marshalLayerFeature(f *geojson.Feature) (json.RawMessage, error) {
	return json.Marshal(layerFeature(f, nil))
}

// featuresPage is one page of a collection: what items answer in any format.
type featuresPage struct {
	collection string
	title      string
	filter     geo.Filter
	matched    int
	incidents  []geo.Incident     // for the incidents collection
	features   []*geojson.Feature // for a layer
	links      []Link
}

func (p featuresPage) returned() int { return len(p.incidents) + len(p.features) }

// writeFeatures writes the page as an OGC API FeatureCollection.
func writeFeatures(w io.Writer, p featuresPage, now time.Time) error {
	fc := NewFeatureCollection(w, true, append([]Member{
		{"numberMatched", p.matched}, {"numberReturned", p.returned()},
		{"timeStamp", now.UTC().Format(time.RFC3339)}}, append(pinMembers(p.filter), Member{"links", p.links})...)...).
		AsPoints(p.collection == geo.IncidentPointsCollection)
	for _, inc := range p.incidents {
		fc.Incident(inc)
	}
	for _, f := range p.features {
		fc.Feature(f)
	}
	return fc.Close()
}

// writeClusters writes a map's view: clusters where many, incidents where few.
func writeClusters(w io.Writer, cl geo.Clusters, f geo.Filter) error {
	fc := NewFeatureCollection(w, true, append([]Member{{"numberMatched", cl.NumberMatched}, {"numberClusters", len(cl.Clusters)}}, pinMembers(f)...)...)
	fc.markers = true
	for _, k := range cl.Clusters {
		fc.Cluster(k)
	}
	for _, inc := range cl.Singles {
		fc.Incident(inc)
	}
	return fc.Close()
}

// markerProps are what the map draws and its popup shows of an incident
// sent in a cluster response (static/js/incidents.js): the summary, notes,
// tags and record times are on the incident's own page, a click away.
type markerProps struct {
	Title         string             `json:"title"`
	EventDate     string             `json:"event_date"`
	TimePrecision int                `json:"time_precision"`
	EventType     string             `json:"event_type"`
	SubEventType  string             `json:"sub_event_type"`
	Actor1        string             `json:"actor1"`
	AssocActor1   string             `json:"assoc_actor_1,omitempty"`
	Actor2        string             `json:"actor2,omitempty"`
	AssocActor2   string             `json:"assoc_actor_2,omitempty"`
	Fatalities    *int               `json:"fatalities"`
	Injuries      *int               `json:"injuries"`
	GeoPrecision  int                `json:"geo_precision"`
	Sources       []geo.Source       `json:"sources"`
	Disagreements []geo.Disagreement `json:"disagreements,omitempty"`
	BorderKm      *float64           `json:"border_km,omitempty"`
	BarrierKm     *float64           `json:"barrier_km,omitempty"`
	CrossingKm    *float64           `json:"crossing_km,omitempty"`
}

func newMarkerProps(p geo.IncidentProperties) markerProps {
	return markerProps{Title: p.Title, EventDate: p.EventDate, TimePrecision: p.TimePrecision, EventType: p.EventType,
		SubEventType: p.SubEventType, Actor1: p.Actor1, AssocActor1: p.AssocActor1, Actor2: p.Actor2, AssocActor2: p.AssocActor2,
		Fatalities: p.Fatalities, Injuries: p.Injuries, GeoPrecision: p.GeoPrecision, Sources: p.Sources,
		Disagreements: p.Disagreements, BorderKm: p.BorderKm, BarrierKm: p.BarrierKm, CrossingKm: p.CrossingKm}
}

// statsJSON is the filter panel's and the timeline's summary.
type statsJSON struct {
	NumberMatched int            `json:"numberMatched"`
	BBox          *[4]float64    `json:"bbox"`
	ByEventType   map[string]int `json:"byEventType"`
	Unit          string         `json:"unit"`
	Bins          []binJSON      `json:"bins"`
	AsOf          string         `json:"asOf,omitempty"`
}

type binJSON struct {
	Start  string  `json:"start"`
	End    string  `json:"end"`
	Exact  int     `json:"exact"`
	Spread float64 `json:"spread"`
}

func newStats(st geo.Stats, f geo.Filter) statsJSON {
	unit, bins := geo.Histogram(st.Spans)
	out := statsJSON{NumberMatched: st.NumberMatched, ByEventType: st.ByEventType, Unit: unit, Bins: make([]binJSON, len(bins)), AsOf: asOf(f)}
	for i, b := range bins {
		out.Bins[i] = binJSON{b.Start.Format(geo.DateLayout), b.End.AddDate(0, 0, -1).Format(geo.DateLayout), b.Exact, math.Round(b.Spread*1000) / 1000}
	}
	if st.Bound != nil {
		b := bbox(*st.Bound)
		out.BBox = &b
	}
	return out
}

// landingJSON is the OGC API landing page.
type landingJSON struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

type conformanceJSON struct {
	ConformsTo []string `json:"conformsTo"`
}

type collectionsJSON struct {
	Links       []Link           `json:"links"`
	Collections []collectionJSON `json:"collections"`
}

// collectionJSON is a collection's description.
type collectionJSON struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Attribution string      `json:"attribution,omitempty"`
	Extent      *extentJSON `json:"extent,omitempty"`
	ItemType    string      `json:"itemType"`
	CRS         []string    `json:"crs"`
	Links       []Link      `json:"links"`
}

type extentJSON struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
	Temporal *temporalJSON `json:"temporal,omitempty"`
}

type temporalJSON struct {
	Interval [][2]*string `json:"interval"`
	TRS      string       `json:"trs"`
}

func newExtent(b orb.Bound, first, last time.Time) *extentJSON {
	e := &extentJSON{}
	e.Spatial.BBox = [][4]float64{bbox(b)}
	e.Spatial.CRS = crs84
	if !first.IsZero() {
		start := first.UTC().Format(time.RFC3339)
		end := last.UTC().Add(24*time.Hour - time.Second).Format(time.RFC3339)
		e.Temporal = &temporalJSON{Interval: [][2]*string{{&start, &end}}, TRS: trs}
	}
	return e
}

// oembedJSON is an oEmbed 1.0 rich response.
type oembedJSON struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	Title        string `json:"title"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	HTML         string `json:"html"`
	CacheAge     int    `json:"cache_age"`
}

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string        `json:"type"`
	Title    string        `json:"title"`
	Status   int           `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Instance string        `json:"instance,omitempty"`
	Errors   []geo.Problem `json:"errors,omitempty"`
}

func writeProblem(c echo.Context, p Problem) {
	c.Response().Header().Set(echo.HeaderContentType, mediaProblem)
	c.Response().WriteHeader(p.Status)
	if c.Request().Method != http.MethodHead {
		enc := json.NewEncoder(c.Response())
		enc.SetEscapeHTML(true)
		_ = enc.Encode(p)
	}
}

func bbox(b orb.Bound) [4]float64 {
	return [4]float64{round6(b.Min[0]), round6(b.Min[1]), round6(b.Max[0]), round6(b.Max[1])}
}

func round6(x float64) float64 { return math.Round(x*geo.CoordFactor) / geo.CoordFactor }
