package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
)

// Signing in and out, one's own account and tokens, and (admins) every
// account. Pages only: scripts use API tokens, made here or by the CLI.

const (
	sessionTTL   = 12 * time.Hour
	loginMax     = 10 // failed sign-ins per account, and per address,
	loginWindow  = 15 * time.Minute
	maxTokenDays = 365
)

// secure says whether cookies must be Secure: the site is served over HTTPS,
// directly or behind a proxy named by --base-url.
func (s *Server) secure(c echo.Context) bool {
	return strings.HasPrefix(s.cfg.BaseURL, "https://") || c.Request().TLS != nil
}

// origin is the site's own origin for c, as browsers send it in Origin.
func (s *Server) origin(c echo.Context) string {
	u, err := url.Parse(s.baseURL(c))
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// signedIn lets through people with at least role min; an anonymous person
// asking for a page is sent to sign in first, an API client gets 401.
func (s *Server) signedIn(min geo.Role) echo.MiddlewareFunc {
	require := auth.Require(min)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := require(next)
		return func(c echo.Context) error {
			if _, ok := auth.UserOf(c.Request().Context()); !ok && c.Request().Method == http.MethodGet && wantsHTML(c) {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			return checked(c)
		}
	}
}

func (s *Server) handleLoginPage(c echo.Context) error {
	if _, ok := auth.UserOf(c.Request().Context()); ok {
		return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next")))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.LoginPage(auth.CSRFToken(c), "", localPath(c.QueryParam("next")), ""))
}

func (s *Server) handleLogin(c echo.Context) error {
	ctx := c.Request().Context()
	c.Response().Header().Set("Cache-Control", "no-store")
	name, pw, next := strings.TrimSpace(c.FormValue("name")), c.FormValue("password"), localPath(c.FormValue("next"))
	page := func(status int, problem string) error {
		return s.render(c, status, views.LoginPage(auth.CSRFToken(c), name, next, problem))
	}
	keys := auth.Keys(name, c.RealIP())
	limiter := auth.Limiter{Accounts: s.cfg.Accounts, Max: loginMax, Window: loginWindow, Now: s.now}
	if wait, err := limiter.Check(ctx, keys); err != nil {
		if geo.ErrorKind(err) != geo.ETooMany {
			return err
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
		return page(http.StatusTooManyRequests, i18n.T(ctx, "login.too_many", "seconds", strconv.Itoa(int(wait.Seconds()))))
	}
	u, hash, err := s.cfg.Accounts.UserByName(ctx, name)
	if err != nil && geo.ErrorKind(err) != geo.ENotFound {
		return err
	}
	// A wrong name, a wrong password and a disabled account read the same.
	if ok := auth.CheckPassword(hash, pw); !ok || u.Disabled {
		if err := s.cfg.Accounts.RecordLoginFailure(ctx, keys...); err != nil {
			return err
		}
		return page(http.StatusUnauthorized, i18n.T(ctx, "login.bad"))
	}
	if err := s.cfg.Accounts.ClearLoginFailures(ctx, keys[0]); err != nil {
		return err
	}
	id, hashed := auth.NewSecret("")
	expires := s.now().Add(sessionTTL)
	if err := s.cfg.Accounts.CreateSession(ctx, u.ID, hashed, expires); err != nil {
		return err
	}
	auth.SetSession(c, id, expires, s.secure(c))
	s.log.Info("signed in", "user", u.Name)
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) handleLogout(c echo.Context) error {
	if ck, err := c.Cookie(auth.SessionCookie); err == nil && ck.Value != "" {
		if err := s.cfg.Accounts.DeleteSession(c.Request().Context(), auth.HashSecret(ck.Value)); err != nil {
			return err
		}
	}
	auth.ClearSession(c, s.secure(c))
	return c.Redirect(http.StatusSeeOther, "/")
}

// localPath keeps a "next" address on this site: anything else goes to
// the account page.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/account"
	}
	return next
}

func (s *Server) accountPage(c echo.Context, status int, newToken, problem string) error {
	u, _ := auth.UserOf(c.Request().Context())
	tokens, err := s.cfg.Accounts.Tokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, views.AccountPage(auth.CSRFToken(c), u, tokens, newToken, problem))
}

func (s *Server) handleAccount(c echo.Context) error { return s.accountPage(c, http.StatusOK, "", "") }

func (s *Server) handleCreateToken(c echo.Context) error {
	u, _ := auth.UserOf(c.Request().Context())
	name := strings.TrimSpace(c.FormValue("name"))
	days, err := strconv.Atoi(c.FormValue("days"))
	switch {
	case name == "" || len(name) > 100:
		return s.accountPage(c, http.StatusBadRequest, "", i18n.T(c.Request().Context(), "tokens.bad_name"))
	case err != nil || days < 1 || days > maxTokenDays:
		return s.accountPage(c, http.StatusBadRequest, "", i18n.T(c.Request().Context(), "tokens.bad_days"))
	}
	token, err := CreateToken(c.Request().Context(), s.cfg.Accounts, u, name, time.Duration(days)*24*time.Hour, s.now())
	if err != nil {
		return err
	}
	return s.accountPage(c, http.StatusCreated, token, "")
}

// CreateToken makes an API token for u, valid for ttl, and returns it: the
// only time it is seen.
func CreateToken(ctx context.Context, accounts geo.Accounts, u geo.User, name string, ttl time.Duration, now time.Time) (string, error) {
	token, hash := auth.NewSecret("bw_")
	if _, err := accounts.CreateToken(ctx, u.ID, name, hash, now.Add(ttl)); err != nil {
		return "", err
	}
	return token, nil
}

func (s *Server) handleRevokeToken(c echo.Context) error {
	u, _ := auth.UserOf(c.Request().Context())
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return geo.Errorf(geo.ENotFound, "token %q not found", c.Param("id"))
	}
	if err := s.cfg.Accounts.RevokeToken(c.Request().Context(), u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account")
}

func (s *Server) accountsPage(c echo.Context, status int, problem string) error {
	me, _ := auth.UserOf(c.Request().Context())
	users, err := s.cfg.Accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, views.AccountsPage(auth.CSRFToken(c), me, users, problem))
}

func (s *Server) handleAccounts(c echo.Context) error { return s.accountsPage(c, http.StatusOK, "") }

// handleAccountChange carries out one admin action on an account; a
// refusal (bad input, an action on oneself) shows the page with why.
func (s *Server) handleAccountChange(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		me, _ := auth.UserOf(ctx)
		name := c.Param("name")
		var err error
		switch action {
		case "add":
			var role geo.Role
			var hash string
			if role, err = geo.ParseRole(c.FormValue("role")); err == nil {
				if hash, err = auth.HashPassword(c.FormValue("password")); err == nil {
					_, err = s.cfg.Accounts.AddUser(ctx, strings.TrimSpace(c.FormValue("name")), role, hash)
				}
			}
		case "role":
			var role geo.Role
			if role, err = geo.ParseRole(c.FormValue("role")); err == nil {
				if strings.EqualFold(name, me.Name) && role != me.Role {
					err = geo.Errorf(geo.EInvalid, "you cannot change your own role: ask another admin")
				} else {
					err = s.cfg.Accounts.SetRole(ctx, name, role)
				}
			}
		case "disable", "enable":
			if strings.EqualFold(name, me.Name) {
				err = geo.Errorf(geo.EInvalid, "you cannot disable your own account: ask another admin")
			} else {
				err = s.cfg.Accounts.SetDisabled(ctx, name, action == "disable")
			}
		case "password":
			var hash string
			if hash, err = auth.HashPassword(c.FormValue("password")); err == nil {
				err = s.cfg.Accounts.SetPassword(ctx, name, hash)
			}
		}
		switch {
		case err == nil:
			s.log.Info("account changed", "by", me.Name, "action", action, "account", name)
			return c.Redirect(http.StatusSeeOther, "/accounts")
		case geo.ErrorKind(err) == geo.EInvalid || geo.ErrorKind(err) == geo.EConflict:
			return s.accountsPage(c, statusOf(geo.ErrorKind(err)), geo.ErrorMessage(err))
		}
		return err
	}
}
