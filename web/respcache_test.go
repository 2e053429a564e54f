package web

import (
	"strconv"
	"testing"
)

// The cache keeps at most its bytes, the most recent first, and never
// answers for data that has changed.
func TestResponseCacheBoundsAndVersions(t *testing.T) {
	c := newResponseCache(160)
	for i := range 20 {
		c.put(&cachedResponse{key: strconv.Itoa(i), etag: "v1", status: 200, body: make([]byte, 10)})
	}
	if c.size > 160 || len(c.items) != 16 {
		t.Errorf("holds %d bytes in %d responses, want at most 160 in 16", c.size, len(c.items))
	}
	if _, ok := c.get("0", "v1"); ok {
		t.Error("the oldest response survived")
	}
	if _, ok := c.get("19", "v1"); !ok {
		t.Error("the newest response is gone")
	}
	if _, ok := c.get("19", "v2"); ok {
		t.Error("a response made from older data answered for newer")
	}
	if _, ok := c.get("19", "v1"); ok {
		t.Error("a response found stale was kept")
	}
	c.put(&cachedResponse{key: "big", etag: "v1", body: make([]byte, 11)})
	if _, ok := c.get("big", "v1"); ok {
		t.Error("a response larger than a sixteenth of the cache was kept")
	}
}
