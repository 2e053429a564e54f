package geo

import (
	"context"
	"regexp"
	"slices"
	"time"
)

// Role is what a person may do. The roles are ordered: each may do all that
// the ones before it may.
type Role string

const (
	RoleContributor Role = "contributor" // proposes incidents and changes, which wait for review
	RoleEditor      Role = "editor"      // creates, edits, deletes, reverts and reviews
	RoleAdmin       Role = "admin"       // all an editor does, and manages accounts
)

// Roles lists the roles from least to most allowed: the one vocabulary the
// CLI, the pages and the checks read.
var Roles = []Role{RoleContributor, RoleEditor, RoleAdmin}

// RoleDescriptions say what each role may do, as pages and the CLI show it.
var RoleDescriptions = map[Role]string{
	RoleContributor: "proposes new incidents and changes; they wait for an editor's review",
	RoleEditor:      "creates, edits, deletes, reverts and reviews incidents",
	RoleAdmin:       "all an editor does, and manages accounts",
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	if r := Role(s); slices.Contains(Roles, r) {
		return r, nil
	}
	return "", Errorf(EInvalid, "unknown role %q: use contributor, editor or admin", s)
}

// AtLeast reports whether r may do what min may.
func (r Role) AtLeast(min Role) bool {
	return slices.Index(Roles, r) >= slices.Index(Roles, min) && slices.Contains(Roles, r)
}

// User is a person with an account.
type User struct {
	ID        int64
	Name      string
	Role      Role
	Disabled  bool
	CreatedAt time.Time
}

// Token is an API token's record; its secret is shown once and stored
// hashed.
type Token struct {
	ID        int64
	UserID    int64
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
	Revoked   bool
}

// Password rules: long enough to resist guessing, short enough for bcrypt,
// which reads 72 bytes.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 72
)

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

// ValidateUserName checks an account name: 2 to 64 letters, digits and
// . _ @ -, starting with a letter or digit.
func ValidateUserName(name string) error {
	if !userName.MatchString(name) {
		return &Error{Kind: EInvalid, Message: "invalid account name", Problems: []Problem{{Field: "name",
			Reason: "must be 2 to 64 letters, digits and . _ @ -, starting with a letter or digit"}}}
	}
	return nil
}

// ValidatePassword checks a new password's length.
func ValidatePassword(pw string) error {
	var reason string
	switch {
	case len([]rune(pw)) < MinPasswordLength:
		reason = "must be at least 12 characters"
	case len(pw) > MaxPasswordBytes:
		reason = "must be at most 72 bytes"
	default:
		return nil
	}
	return &Error{Kind: EInvalid, Message: "invalid password", Problems: []Problem{{Field: "password", Reason: reason}}}
}

// Accounts is what sign-in and account management need of storage.
// Secrets reach it hashed.
type Accounts interface {
	AddUser(ctx context.Context, name string, role Role, passwordHash string) (User, error)
	Users(ctx context.Context) ([]User, error)
	// UserByName returns the user and their password hash.
	UserByName(ctx context.Context, name string) (User, string, error)
	SetRole(ctx context.Context, name string, role Role) error
	// SetDisabled disables (or enables) an account; disabling ends its
	// sessions and revokes its tokens in the same transaction.
	SetDisabled(ctx context.Context, name string, disabled bool) error
	SetPassword(ctx context.Context, name, passwordHash string) error

	CreateSession(ctx context.Context, userID int64, idHash string, expires time.Time) error
	// SessionUser returns the enabled user of an unexpired session.
	SessionUser(ctx context.Context, idHash string) (User, error)
	DeleteSession(ctx context.Context, idHash string) error

	CreateToken(ctx context.Context, userID int64, name, tokenHash string, expires time.Time) (Token, error)
	// TokenUser returns the enabled user of an unexpired, unrevoked token.
	TokenUser(ctx context.Context, tokenHash string) (User, error)
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	RevokeToken(ctx context.Context, userID, tokenID int64) error

	// RecordLoginFailure notes a failed login under each key; LoginFailures
	// counts a key's failures since a time and gives the oldest.
	RecordLoginFailure(ctx context.Context, keys ...string) error
	LoginFailures(ctx context.Context, key string, since time.Time) (n int, oldest time.Time, err error)
	ClearLoginFailures(ctx context.Context, key string) error
}
