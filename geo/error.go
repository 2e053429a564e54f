package geo

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds: the one set of failure classes mapped to HTTP statuses and
// exit codes at the edges.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"  // no valid credentials
	EForbidden    = "forbidden"     // credentials, but not allowed
	ETooMany      = "too_many"      // rate limited
	EStale        = "stale"         // written against a version that is no longer current
	ENeedsVersion = "needs_version" // a write that must name the version it was made against
	EInternal     = "internal"
)

// Problem is one thing wrong with an input, named by the field it is in.
type Problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	// Format and Args are what Reason was written from, so that a page can
	// say it in the reader's language (web/i18n keys "problem:" + Format).
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Reason
	}
	return p.Field + ": " + p.Reason
}

// Error is a domain error with a kind and a message fit to show a user.
type Error struct {
	Kind     string
	Message  string
	Problems []Problem
	// Format and Args are what Message was written from (Errorf), so that
	// a page can say it in the reader's language.
	Format string
	Args   []any
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error of the given kind.
func Errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// ErrorKind returns the kind of err, EInternal when it is not an *Error.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that nothing about the system leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

// ErrorProblems returns the field problems carried by err, if any.
func ErrorProblems(err error) []Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

// problems collects validation failures.
type problems []Problem

func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Reason: fmt.Sprintf(format, args...), Format: format, Args: args})
}

func (ps problems) err(msg string) error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Kind: EInvalid, Message: msg, Problems: ps}
}
