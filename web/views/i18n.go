package views

import (
	"context"
	"strconv"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
)

// t and tn are the page's words in its language (package i18n).
func t(ctx context.Context, key string, args ...string) string { return i18n.T(ctx, key, args...) }

func tn(ctx context.Context, key string, n int, args ...string) string {
	return i18n.N(ctx, key, n, args...)
}

func langOf(ctx context.Context) i18n.Lang { return i18n.From(ctx) }

// isolate keeps data (an English title) in its own direction inside a
// message of another: Unicode's first-strong isolate and its pop.
func isolate(s string) string { return i18n.Isolate(s) }

// I18nData is what the browser gets of the catalog: the language and the
// messages its scripts use.
func i18nData(ctx context.Context) any {
	l := i18n.From(ctx)
	return map[string]any{"lang": l.Code, "locale": l.Locale, "dir": l.Dir,
		"messages": i18n.Messages(l, "js.", "type.", "subtype.", "precision.", "date.")}
}

// TimePrecisionLabel, GeoPrecisionLabel, DateLabel and PlaceLabel say
// geo's codes and dates in the page's language.
func TimePrecisionLabel(ctx context.Context, p int) string {
	return t(ctx, "precision.time."+strconv.Itoa(p))
}

func GeoPrecisionLabel(ctx context.Context, p int) string {
	return t(ctx, "precision.geo."+strconv.Itoa(p))
}

func DateLabel(ctx context.Context, inc geo.Incident) string {
	first, last := inc.DateRange()
	switch inc.TimePrecision {
	case geo.TimeWeek:
		return t(ctx, "date.week", "first", first.Format(geo.DateLayout), "last", last.Format(geo.DateLayout))
	case geo.TimeMonth:
		return t(ctx, "date.month", "month", i18n.MonthYear(ctx, first))
	}
	return inc.EventDate.Format(geo.DateLayout)
}

// EventType is an event type's name in the page's language.
func EventType(ctx context.Context, name string) string { return vocab(ctx, "type.", name) }

// SubEventType is a sub-event type's name in the page's language.
func SubEventType(ctx context.Context, name string) string { return vocab(ctx, "subtype.", name) }

func vocab(ctx context.Context, prefix, name string) string {
	if s := t(ctx, prefix+name); s != prefix+name {
		return s
	}
	return name
}

// collectionTitle is a collection's title in the page's language, for our
// own collections; others as their data names them.
func collectionTitle(ctx context.Context, c Collection) string {
	for _, key := range []string{"layer." + c.ID, "collection." + c.ID} {
		if s := t(ctx, key); s != key {
			return s
		}
	}
	return c.Title
}

func km(ctx context.Context, x float64) string {
	return t(ctx, "js.km", "n", i18n.Decimal(ctx, x))
}

func countText(ctx context.Context, n *int) string {
	if n == nil {
		return t(ctx, "js.unknown")
	}
	return i18n.Number(ctx, *n)
}
