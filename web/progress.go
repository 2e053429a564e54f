package web

import (
	"context"
	"io"
	"net/http"
	"time"
)

// progress lets a long download run for as long as it makes progress: each
// write pushes the connection's write deadline (which would otherwise end
// the response after the server's WriteTimeout) and a watchdog that cancels
// the download's context when no byte went out for idle.
type progress struct {
	w     io.Writer
	rc    *http.ResponseController
	idle  time.Duration
	timer *time.Timer
}

// withProgress wraps w; the returned context ends when the download stalls,
// and stop releases the watchdog.
func withProgress(ctx context.Context, w http.ResponseWriter, idle time.Duration) (*progress, context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	p := &progress{w: w, rc: http.NewResponseController(w), idle: idle, timer: time.AfterFunc(idle, cancel)}
	_ = p.rc.SetWriteDeadline(time.Now().Add(idle))
	return p, ctx, func() { p.timer.Stop(); cancel() }
}

func (p *progress) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if n > 0 {
		p.timer.Reset(p.idle)
		_ = p.rc.SetWriteDeadline(time.Now().Add(p.idle))
	}
	return n, err
}
