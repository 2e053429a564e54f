package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
	"github.com/borderwatch/borderwatch/web/auth"
)

const userUsage = `Usage:
  borderwatch user add [--db FILE] --role ROLE --password-stdin NAME
  borderwatch user list [--db FILE]
  borderwatch user set-role [--db FILE] NAME ROLE
  borderwatch user disable [--db FILE] NAME     (ends their sessions and tokens at once)
  borderwatch user enable [--db FILE] NAME
  borderwatch user password [--db FILE] --password-stdin NAME

Roles: contributor (proposes; changes wait for review), editor (edits and
reviews), admin (and manages accounts). Passwords are read from the first
line of standard input, never from the command line; at least 12 characters.
`

func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := flags("user "+sub, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage); fs.PrintDefaults() }
	db := dbFlag(fs)
	role := fs.String("role", "", "contributor, editor or admin")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"add": 1, "list": 0, "set-role": 2, "disable": 1, "enable": 1, "password": 1}
	n, known := want[sub]
	if !known {
		fmt.Fprintf(stderr, "borderwatch user: unknown subcommand %q\n\n%s", sub, userUsage)
		return errUsage
	}
	if len(rest) != n {
		fs.Usage()
		return errUsage
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	password := func() (string, error) {
		if !*pwStdin {
			return "", fmt.Errorf("give the password on standard input with --password-stdin")
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read the password: %w", err)
		}
		hash, err := auth.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			return "", fmt.Errorf("%s", describe(err))
		}
		return hash, nil
	}
	switch sub {
	case "add":
		r, err := geo.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("--role: %s", describe(err))
		}
		hash, err := password()
		if err != nil {
			return err
		}
		u, err := st.AddUser(ctx, rest[0], r, hash)
		if err != nil {
			return fmt.Errorf("%s", describe(err))
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Name, u.Role)
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tROLE\tSTATUS\tCREATED")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, status, u.CreatedAt.Format(time.RFC3339))
		}
		return w.Flush()
	case "set-role":
		r, err := geo.ParseRole(rest[1])
		if err != nil {
			return fmt.Errorf("%s", describe(err))
		}
		if err := st.SetRole(ctx, rest[0], r); err != nil {
			return fmt.Errorf("%s", describe(err))
		}
		fmt.Fprintf(stdout, "%s is now %s\n", rest[0], r)
	case "disable", "enable":
		if err := st.SetDisabled(ctx, rest[0], sub == "disable"); err != nil {
			return fmt.Errorf("%s", describe(err))
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, rest[0])
	case "password":
		hash, err := password()
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, rest[0], hash); err != nil {
			return fmt.Errorf("%s", describe(err))
		}
		fmt.Fprintf(stdout, "changed the password of %s and ended their sessions\n", rest[0])
	}
	return nil
}

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := "Usage: borderwatch token create [--db FILE] --user NAME [--name TEXT] [--expires 720h]\n\n" +
		"Makes an API token that acts as NAME, with NAME's role, and prints it alone on\n" +
		"the last line: it is stored hashed and cannot be shown again. Send it as\n" +
		"Authorization: Bearer TOKEN.\n"
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	fs := flags("token create", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	db := dbFlag(fs)
	user := fs.String("user", "", "the account the token acts as")
	name := fs.String("name", "command line", "what the token is for")
	expires := fs.Duration("expires", 720*time.Hour, "how long the token is valid")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 || *user == "" {
		fs.Usage()
		return errUsage
	}
	if *expires <= 0 || *expires > 366*24*time.Hour {
		return fmt.Errorf("--expires must be from 1s to 8784h (a year), got %s", *expires)
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.UserByName(ctx, *user)
	if err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	if u.Disabled {
		return fmt.Errorf("%s is disabled", u.Name)
	}
	token, err := web.CreateToken(ctx, st, u, *name, *expires, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "a token for %s (%s), valid until %s:\n%s\n", u.Name, u.Role, time.Now().Add(*expires).UTC().Format(time.RFC3339), token)
	return nil
}
