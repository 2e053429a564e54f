package web

import (
	"bytes"
	"container/list"
	"net/http"
	"sync"
)

// responseCache keeps the most recently served data responses, keyed by
// request and tagged with the data version they were made from (their
// ETag): the same view asked again (an embed under a published article, a
// shared link) is answered from memory until the data changes. It is per
// process and always checked against the current version, so several
// servers on one database may each keep their own.
type responseCache struct {
	mu    sync.Mutex
	max   int64 // bytes of bodies at most
	size  int64
	order *list.List // most recent first
	items map[string]*list.Element
}

type cachedResponse struct {
	key, etag string
	status    int
	header    http.Header
	body      []byte
}

// cacheHeaders are the headers a cached response replays; the rest
// (caching, security, Vary) the middleware sets each time. A handler's own
// validators (an item's strong ETag) are replayed.
var cacheHeaders = []string{"Content-Type", "Content-Disposition", "Content-Language", "Link", "Content-Crs", "OGC-NumberMatched", "ETag", "Last-Modified"}

func newResponseCache(max int64) *responseCache {
	return &responseCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the response for key made from the data at etag.
func (c *responseCache) get(key, etag string) (*cachedResponse, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	r := e.Value.(*cachedResponse)
	if r.etag != etag { // the data has changed since
		c.remove(e)
		return nil, false
	}
	c.order.MoveToFront(e)
	return r, true
}

func (c *responseCache) put(r *cachedResponse) {
	if int64(len(r.body)) > c.max/16 {
		return // one large response would push out many small ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[r.key]; ok {
		c.remove(e)
	}
	c.items[r.key] = c.order.PushFront(r)
	c.size += int64(len(r.body))
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

func (c *responseCache) remove(e *list.Element) {
	r := c.order.Remove(e).(*cachedResponse)
	delete(c.items, r.key)
	c.size -= int64(len(r.body))
}

// capture is a ResponseWriter that also keeps what it writes, up to limit
// bytes (beyond that it stops keeping, and the response is not cached).
type capture struct {
	http.ResponseWriter
	status int
	buf    *bytes.Buffer // from buffers
	limit  int
	over   bool
}

func (w *capture) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *capture) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.over {
		if w.buf.Len()+len(b) > w.limit {
			w.over = true
			w.buf.Reset()
		} else {
			w.buf.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

func (w *capture) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *capture) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// buffers are response bodies' buffers (a capture's, a page's), used
// again: growing a new one to a page's size copied it three times over.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuffer(b *bytes.Buffer) {
	b.Reset()
	buffers.Put(b)
}

// release gives w's buffer back.
func (w *capture) release() {
	putBuffer(w.buf)
	w.buf = nil
}
