package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

func TestAccountsSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	v0, _, _ := db.Version(ctx)
	u, err := db.AddUser(ctx, "amira", geo.RoleEditor, "hash1")
	if err != nil || u.ID == 0 || u.Role != geo.RoleEditor {
		t.Fatalf("add user: %+v, %v", u, err)
	}
	if _, err := db.AddUser(ctx, "AMIRA", geo.RoleAdmin, "x"); geo.ErrorKind(err) != geo.EConflict {
		t.Errorf("a second account of the same name in other case: got %v, want a conflict", err)
	}
	if _, err := db.AddUser(ctx, "x y", geo.RoleAdmin, "x"); geo.ErrorKind(err) != geo.EInvalid {
		t.Errorf("a name with a space: got %v, want invalid", err)
	}
	got, hash, err := db.UserByName(ctx, "Amira")
	if err != nil || got.ID != u.ID || hash != "hash1" {
		t.Errorf("user by name: %+v %q %v", got, hash, err)
	}

	// Sessions and tokens name the user until they expire, are revoked or
	// the account is disabled.
	if err := db.CreateSession(ctx, u.ID, "s1", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, u.ID, "old", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(ctx, u.ID, "qgis", "t1", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionUser(ctx, "s1"); err != nil || s.ID != u.ID {
		t.Errorf("session: %+v %v", s, err)
	}
	if _, err := db.SessionUser(ctx, "old"); geo.ErrorKind(err) != geo.EUnauthorized {
		t.Errorf("expired session: got %v, want unauthorized", err)
	}
	if s, err := db.TokenUser(ctx, "t1"); err != nil || s.ID != u.ID {
		t.Errorf("token: %+v %v", s, err)
	}
	if err := db.SetDisabled(ctx, "amira", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, "s1"); geo.ErrorKind(err) != geo.EUnauthorized {
		t.Errorf("session of a disabled account: got %v", err)
	}
	if _, err := db.TokenUser(ctx, "t1"); geo.ErrorKind(err) != geo.EUnauthorized {
		t.Errorf("token of a disabled account: got %v", err)
	}
	// Enabled again, the old session and token stay ended.
	if err := db.SetDisabled(ctx, "amira", false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TokenUser(ctx, "t1"); geo.ErrorKind(err) != geo.EUnauthorized {
		t.Errorf("a token revoked by disabling came back: %v", err)
	}
	toks, _ := db.Tokens(ctx, u.ID)
	if len(toks) != 1 || !toks[0].Revoked || toks[0].ID != tok.ID {
		t.Errorf("tokens: %+v", toks)
	}
	other, _ := db.AddUser(ctx, "bilel", geo.RoleContributor, "h")
	if err := db.RevokeToken(ctx, other.ID, tok.ID); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("revoking another's token: got %v, want not found", err)
	}

	// Failed logins count per key, since a time.
	start := time.Now().Add(-time.Second)
	for range 3 {
		if err := db.RecordLoginFailure(ctx, "account:amira", "address:10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if n, oldest, err := db.LoginFailures(ctx, "address:10.0.0.1", start); err != nil || n != 3 || oldest.Before(start) {
		t.Errorf("failures: %d since %v, %v", n, oldest, err)
	}
	db.ClearLoginFailures(ctx, "account:amira")
	if n, _, _ := db.LoginFailures(ctx, "account:amira", start); n != 0 {
		t.Errorf("after clearing: %d failures", n)
	}
	// None of it touched the public data's version (the ETags).
	if v, _, _ := db.Version(ctx); v != v0 {
		t.Errorf("account writes changed the data version from %d to %d", v0, v)
	}
}
