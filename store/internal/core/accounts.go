package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Accounts: users, sessions, API tokens and failed logins (geo.Accounts),
// all in the database, so every app server on it signs in, limits and
// revokes alike. None of it is public data, so these writes leave the
// data's version alone. Names match whatever their ASCII case.

var stamp = record.Stamp

// AddUser makes an account.
func (s Store) AddUser(ctx context.Context, name string, role geo.Role, passwordHash string) (geo.User, error) {
	if err := geo.ValidateUserName(name); err != nil {
		return geo.User{}, err
	}
	if _, err := geo.ParseRole(string(role)); err != nil {
		return geo.User{}, err
	}
	var u geo.User
	err := s.E.Write(ctx, false, func(tx Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
			name, role, passwordHash, stamp(tx.Now()))
		if s.E.Unique(err) {
			return geo.Errorf(geo.EConflict, "an account named %q exists already", name)
		}
		if err != nil {
			return fmt.Errorf("add user: %w", err)
		}
		u, err = record.ScanUser(tx.QueryRow(ctx, `SELECT `+record.UserColumns+` FROM users u WHERE id = ?`, id))
		return err
	})
	return u, err
}

// Users lists every account by name.
func (s Store) Users(ctx context.Context) ([]geo.User, error) {
	return readAll(ctx, s.E, "users", func(r record.Scanner) (geo.User, error) { return record.ScanUser(r) },
		`SELECT `+record.UserColumns+` FROM users u ORDER BY name`)
}

// UserByName returns the account called name (any case) and its password hash.
func (s Store) UserByName(ctx context.Context, name string) (geo.User, string, error) {
	var u geo.User
	var hash string
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		u, err = record.ScanUser(tx.QueryRow(ctx, `SELECT `+record.UserColumns+`, password_hash FROM users u WHERE lower(name) = lower(?)`, name), &hash)
		return notFound(err, "no account named %q", name)
	})
	return u, hash, err
}

// changeUser runs one UPDATE on the account called name, failing when
// there is none.
func (s Store) changeUser(ctx context.Context, tx Tx, name, set string, args ...any) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE lower(name) = lower(?)`+s.E.ForUpdate(), name).Scan(&id); err != nil {
		return 0, notFound(err, "no account named %q", name)
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
		return 0, fmt.Errorf("update account %s: %w", name, err)
	}
	return id, nil
}

// SetRole changes an account's role.
func (s Store) SetRole(ctx context.Context, name string, role geo.Role) error {
	if _, err := geo.ParseRole(string(role)); err != nil {
		return err
	}
	return s.E.Write(ctx, false, func(tx Tx) error {
		_, err := s.changeUser(ctx, tx, name, `role = ?`, role)
		return err
	})
}

// SetDisabled disables an account, ending its sessions and revoking its
// tokens at once, or enables it again.
func (s Store) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		var at any
		if disabled {
			at = stamp(tx.Now())
		}
		id, err := s.changeUser(ctx, tx, name, `disabled_at = ?`, at)
		if err != nil || !disabled {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, stamp(tx.Now()), id); err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		return nil
	})
}

// SetPassword changes an account's password hash and ends its sessions.
func (s Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		id, err := s.changeUser(ctx, tx, name, `password_hash = ?`, passwordHash)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

// CreateSession stores a session under the hash of its id.
func (s Store) CreateSession(ctx context.Context, userID int64, idHash string, expires time.Time) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		// Expired sessions go as new ones come.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, stamp(tx.Now())); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			idHash, userID, stamp(tx.Now()), stamp(expires))
		return err
	})
}

// SessionUser returns the enabled user of an unexpired session.
func (s Store) SessionUser(ctx context.Context, idHash string) (geo.User, error) {
	return s.credentialUser(ctx, `SELECT `+record.UserColumns+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`, idHash)
}

// DeleteSession ends a session.
func (s Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		return err
	})
}

func (s Store) credentialUser(ctx context.Context, q, hash string) (geo.User, error) {
	var u geo.User
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		u, err = record.ScanUser(tx.QueryRow(ctx, q, hash, stamp(tx.Now())))
		if errors.Is(err, ErrNoRows) {
			return geo.Errorf(geo.EUnauthorized, "not signed in, or the session or token has expired or been revoked")
		}
		return err
	})
	return u, err
}

// CreateToken stores an API token under its hash.
func (s Store) CreateToken(ctx context.Context, userID int64, name, tokenHash string, expires time.Time) (geo.Token, error) {
	t := geo.Token{UserID: userID, Name: name, ExpiresAt: expires.UTC().Truncate(time.Second)}
	err := s.E.Write(ctx, false, func(tx Tx) error {
		t.CreatedAt = tx.Now().UTC().Truncate(time.Second)
		var err error
		t.ID, err = tx.Insert(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash, userID, name, stamp(tx.Now()), stamp(expires))
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return nil
	})
	return t, err
}

// TokenUser returns the enabled user of an unexpired, unrevoked token.
func (s Store) TokenUser(ctx context.Context, tokenHash string) (geo.User, error) {
	return s.credentialUser(ctx, `SELECT `+record.UserColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, tokenHash)
}

// Tokens lists a user's tokens, newest first.
func (s Store) Tokens(ctx context.Context, userID int64) ([]geo.Token, error) {
	return readAll(ctx, s.E, "tokens", record.ScanToken,
		`SELECT id, user_id, name, created_at, expires_at, revoked_at IS NOT NULL FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
}

// RevokeToken revokes one of a user's tokens; another's is not found.
func (s Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		n, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND user_id = ?`,
			stamp(tx.Now()), tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n == 0 {
			return geo.Errorf(geo.ENotFound, "token %d not found", tokenID)
		}
		return nil
	})
}

// RecordLoginFailure notes a failed login under each key.
func (s Store) RecordLoginFailure(ctx context.Context, keys ...string) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		// Failures older than a day no longer count for anything.
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE at < ?`, stamp(tx.Now().Add(-24*time.Hour))); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.Exec(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, k, stamp(tx.Now())); err != nil {
				return fmt.Errorf("record login failure: %w", err)
			}
		}
		return nil
	})
}

// LoginFailures counts a key's failures since a time, with the oldest.
func (s Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest *string
	err := s.E.Read(ctx, func(tx Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*), min(at) FROM login_failures WHERE key = ? AND at >= ?`, key, stamp(since)).Scan(&n, &oldest)
	})
	var t time.Time
	if oldest != nil {
		t, _ = time.Parse(time.RFC3339, *oldest)
	}
	return n, t, err
}

// ClearLoginFailures forgets a key's failures (after a good login).
func (s Store) ClearLoginFailures(ctx context.Context, key string) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}

var _ geo.Accounts = Store{}
