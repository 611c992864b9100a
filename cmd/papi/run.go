package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/papi-dialogue/papi/api"
	"github.com/papi-dialogue/papi/frontend"
	"github.com/papi-dialogue/papi/models"
)

// env is what the process gets from its surroundings; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

const usage = `usage: papi <command> [flags]

commands:
  serve                     start the web server (applies pending migrations first)
  migrate                   apply pending database migrations
  seed --demo               load the demo district, its users and records
  seed --synthetic [--communes N] [--years Y]
                            generate a large synthetic data set (N=3300, Y=5: about 1M petitions)
  user add --username U --role R --unit CODE_OR_ID [--full-name N] [--password-stdin]

configuration (environment):
  PAPI_ADDR            listen address (default :8080)
  PAPI_DATABASE_URL    postgres:// URL; unset means an embedded SQLite file in PAPI_DATA_DIR
  PAPI_DATA_DIR        directory of the embedded database (default ./data)
  PAPI_LOG_LEVEL       debug, info, warn or error (default info)
  PAPI_LOG_FORMAT      text or json (default text)
  PAPI_COOKIE_SECURE   true or false (default true unless PAPI_ADDR is loopback)
  PAPI_SESSION_TTL     session lifetime (default 12h)
  PAPI_METRICS_TOKEN   bearer token that opens /metrics beyond loopback
`

// run is the whole program: it reads the configuration, opens the database and runs one command.
func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	}
	log := slog.New(handler)

	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log, args[1:])
	case "migrate":
		store, err := openStore(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer store.Close()
		fmt.Fprintln(e.stdout, "database is up to date")
		return nil
	case "seed":
		return seed(ctx, cfg, log, args[1:], e)
	case "user":
		return userCommand(ctx, cfg, log, args[1:], e)
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

// openStore opens the configured database and applies pending migrations.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*models.Store, error) {
	store, err := models.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	n, err := store.Migrate(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	log.Info("database ready", "dialect", store.Dialect(), "migrations_applied", n)
	return store, nil
}

func serve(ctx context.Context, cfg config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	srv := api.New(store, api.Config{
		CookieSecure: cfg.CookieSecure, SessionTTL: cfg.SessionTTL, MetricsToken: cfg.MetricsToken, SPA: frontend.Dist(),
	}, log)
	httpServer := &http.Server{
		Addr:              cfg.Addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func seed(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	demo := fs.Bool("demo", false, "load the demo district, users and records")
	synthetic := fs.Bool("synthetic", false, "generate a large synthetic data set (benchmarks, load tests)")
	communes := fs.Int("communes", 100, "with --synthetic: how many communes")
	years := fs.Int("years", 5, "with --synthetic: how many years of dialogues and petitions")
	perYear := fs.Int("petitions-per-year", 60, "with --synthetic: average petitions a commune logs in a year")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo && !*synthetic {
		return errors.New("seed: say what to load: --demo or --synthetic")
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if *synthetic {
		start := time.Now()
		res, err := store.SeedSynthetic(ctx, models.SyntheticOptions{Communes: *communes, Years: *years,
			PetitionsPerCommuneYear: *perYear, Seed: 1, Progress: e.stdout})
		if err != nil {
			return fmt.Errorf("seed synthetic: %w", err)
		}
		fmt.Fprintf(e.stdout, "Synthetic data loaded in %s: %d provinces, %d districts, %d communes, %d hamlets, %d users, "+
			"%d dialogues, %d petitions, %d petition events. Every synthetic user has the password %q.\n",
			time.Since(start).Round(time.Second), res.Provinces, res.Districts, res.Communes, res.Hamlets, res.Users,
			res.Dialogues, res.Petitions, res.Events, models.DemoPassword)
		if !*demo {
			return nil
		}
	}
	if _, err := store.SeedDemo(ctx); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	fmt.Fprintf(e.stdout, "Demo data loaded. Every demo user has the password %q:\n", models.DemoPassword)
	for _, u := range models.DemoUsers() {
		fmt.Fprintf(e.stdout, "  %-18s %-18s %s\n", u.Username, u.Role, u.Unit)
	}
	return nil
}

func userCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("user: the only subcommand is add")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "admin, district_official, commune_chair, secretary or inspector")
	unitRef := fs.String("unit", "", "the user's unit: official code, commune slug or id")
	fullName := fs.String("full-name", "", "the person's full name")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" || *role == "" || *unitRef == "" {
		return errors.New("user add: --username, --role and --unit are required")
	}
	password, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	unit, err := store.UnitByCodeOrID(ctx, *unitRef)
	if err != nil {
		return fmt.Errorf("user add: unit %q not found", *unitRef)
	}
	u, err := store.CreateUser(ctx, models.SystemActor(), models.UserInput{
		Username: *username, Password: password, FullName: *fullName, Role: models.Role(*role), UnitID: unit.ID})
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		var parts []string
		for f, m := range verr.Fields {
			parts = append(parts, f+": "+m.EN)
		}
		return fmt.Errorf("user add: %s", strings.Join(parts, "; "))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %s (id %d, %s of %s)\n", u.Username, u.ID, u.Role, unit.Name)
	return nil
}

// readPassword reads a password from standard input, prompting without echo on a terminal.
func readPassword(e env, fromStdin bool) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		p, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Repeat password: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(p) != string(again) {
			return "", errors.New("user add: the passwords differ")
		}
		return string(p), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("user add: no password on standard input")
	}
	return line, nil
}
