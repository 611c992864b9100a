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
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/term"

	"github.com/papi-dialogue/papi/api"
	"github.com/papi-dialogue/papi/frontend"
	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/notify"
	"github.com/papi-dialogue/papi/seed"
)

// env is what the process gets from its surroundings; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

const usage = `usage: papi <command> [flags]     (papi <command> --help lists a command's flags)

commands:
  serve                     start the web server (applies pending migrations first)
  migrate                   apply pending database migrations
  init --province-code NN --province-name NAME --username U [--full-name N] [--password-stdin]
                            set up an empty database: the province and its first administrator
  units import [--dry-run] FILE.csv|FILE.xlsx
                            load communes and hamlets (columns code,name,kind,parent_code)
  user add --username U --role R --unit CODE_OR_ID [--full-name N] [--password-stdin]
  seed --demo               load the demo district, its users and records
  seed --synthetic [--communes N] [--years Y]
                            generate a large synthetic data set (defaults: 100 communes, 5 years;
                            --communes 3300 gives about 1M petitions)
  healthcheck               ask the running server's /readyz (for container health checks)
  backup --to DIR           copy the embedded database and its attachment files into DIR
  blobs sweep [--older-than 24h] [--dry-run]
                            remove attachment files no attachment needs (a failed upload's)

configuration (environment):
  PAPI_ADDR            listen address (default :8080)
  PAPI_DATABASE_URL    postgres:// URL; unset means an embedded SQLite file in PAPI_DATA_DIR
  PAPI_DATA_DIR        directory of the embedded database (default ./data)
  PAPI_DATABASE_WAIT   how long serve waits for an unreachable database at start (default 1m)
  PAPI_LOG_LEVEL       debug, info, warn or error (default info)
  PAPI_LOG_FORMAT      text or json (default text)
  PAPI_COOKIE_SECURE   true or false (default true unless PAPI_ADDR is loopback)
  PAPI_SESSION_TTL     session lifetime (default 12h)
  PAPI_SESSION_IDLE    a session unused this long ends before its lifetime (default 1h)
  PAPI_TRUSTED_PROXIES addresses or CIDRs of reverse proxies whose X-Forwarded-* headers count
  PAPI_METRICS_ADDR    where scrapers read /metrics (default 127.0.0.1:9464; off: none)
  PAPI_METRICS_TOKEN   bearer token for /metrics: required on the API address, and on
                       PAPI_METRICS_ADDR when set
  PAPI_ATTACHMENTS_URL s3://KEY:SECRET@host:port/bucket[/prefix][?region=R&tls=false] keeps photos
                       and documents in S3-compatible storage; unset: PAPI_DATA_DIR/attachments
  PAPI_UPLOAD_MAX_FILE, PAPI_UPLOAD_MAX_REQUEST
                       size caps of one attached file and of one upload request (default 20MB)
  PAPI_BLOB_SWEEP_EVERY how often serve removes attachment files no attachment needs, once
                       they are a day old (default 24h; off: only papi blobs sweep)
` + notify.Usage

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
	if err := command(ctx, cfg, log, args, e); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

// command runs the subcommand named by args[0].
func command(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log, args[1:], e)
	case "migrate":
		return migrate(ctx, cfg, log, args[1:], e)
	case "init":
		return initCommand(ctx, cfg, log, args[1:], e)
	case "units":
		return unitsCommand(ctx, cfg, log, args[1:], e)
	case "seed":
		return seedCommand(ctx, cfg, log, args[1:], e)
	case "user":
		return userCommand(ctx, cfg, log, args[1:], e)
	case "healthcheck":
		return healthcheck(ctx, cfg, args[1:], e)
	case "backup":
		return backupCommand(ctx, cfg, log, args[1:], e)
	case "blobs":
		return blobsCommand(ctx, cfg, log, args[1:], e)
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

// errHelp stops a command whose --help was asked for: the flags are printed, nothing else runs.
var errHelp = errors.New("help shown")

// parseFlags parses a command's flags. --help prints what the command does and its flags on
// standard output and returns errHelp; a bad flag is one line that points at --help.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, e env) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(e.stdout, "usage: papi %s\n\nflags:\n", synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return errHelp
	}
	if err != nil {
		return fmt.Errorf("%s: %v (papi %s --help lists the flags)", fs.Name(), err, fs.Name())
	}
	return nil
}

func migrate(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := parseFlags(fs, "migrate\n\nApplies the pending database migrations and exits.", args, e); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(e.stdout, "database is up to date")
	return nil
}

// openStore opens the configured database and applies pending migrations. An error is one line
// naming the setting at fault and the address tried, its password hidden.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*models.Store, error) {
	store, err := models.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, openError(cfg, err)
	}
	n, err := store.Migrate(ctx)
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("migrate the database at %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	log.Debug("database ready", "dialect", store.Dialect(), "migrations_applied", n)
	return store, nil
}

// errUnreachable marks a database that did not answer, as opposed to one that answered no.
var errUnreachable = errors.New("database unreachable")

// waitForStore opens the database like openStore, but when it cannot be reached (still starting,
// restarting) tries again with growing pauses for up to cfg.DatabaseWait, logging each try, so a
// server started alongside its database does not exit in the first second.
func waitForStore(ctx context.Context, cfg config, log *slog.Logger) (*models.Store, error) {
	deadline := time.Now().Add(cfg.DatabaseWait)
	pause := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		store, err := openStore(ctx, cfg, log)
		if err == nil || !errors.Is(err, errUnreachable) || !time.Now().Before(deadline) {
			if err != nil && attempt > 1 {
				err = fmt.Errorf("%w (gave up after %d tries in %s; PAPI_DATABASE_WAIT sets how long to wait)", err, attempt, cfg.DatabaseWait)
			}
			return store, err
		}
		wait := min(pause, time.Until(deadline))
		log.Warn("database not reachable yet; retrying", "database", redactURL(cfg.DatabaseURL), "attempt", attempt,
			"retry_in", wait.Round(time.Millisecond), "gives_up_in", time.Until(deadline).Round(time.Second), "error", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// openError says in one line why the database could not be opened, naming the variable to fix.
func openError(cfg config, err error) error {
	if models.DialectOf(cfg.DatabaseURL) != models.Postgres {
		return fmt.Errorf("PAPI_DATA_DIR: cannot open the embedded database %s: %s", cfg.DatabaseURL, oneLine(err.Error()))
	}
	cause := err.Error()
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
		pgErr  *pgconn.PgError
	)
	switch {
	case errors.As(err, &pgErr):
		cause = pgErr.Message + " (SQLSTATE " + pgErr.Code + ")"
	case errors.As(err, &dnsErr):
		cause = dnsErr.Error()
	case errors.As(err, &opErr):
		cause = opErr.Error()
	}
	if pgErr != nil && !strings.HasPrefix(pgErr.Code, "57P") && !strings.HasPrefix(pgErr.Code, "08") {
		// The server answered and refused (no such role, database or password): waiting will not help.
		return fmt.Errorf("PAPI_DATABASE_URL: cannot connect to %s: %s", redactURL(cfg.DatabaseURL), oneLine(cause))
	}
	// No answer, or a server starting up or shutting down (SQLSTATE 57P0x, 08xxx): worth another try.
	return unreachableError(fmt.Sprintf("PAPI_DATABASE_URL: cannot connect to %s: %s", redactURL(cfg.DatabaseURL), oneLine(cause)))
}

// redactURL hides the password of a database URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw
	}
	return u.Redacted()
}

// unreachableError is a database that did not answer; errors.Is(err, errUnreachable) holds.
type unreachableError string

func (e unreachableError) Error() string { return string(e) }
func (e unreachableError) Unwrap() error { return errUnreachable }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func serve(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseFlags(fs, "serve\n\nApplies pending migrations, then serves the API and the web app on PAPI_ADDR.", args, e); err != nil {
		return err
	}
	store, err := waitForStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	log.Info("database ready", "dialect", store.Dialect(), "database", redactURL(cfg.DatabaseURL))
	defer store.Close()
	if err := wireAttachments(ctx, cfg, store); err != nil {
		return err
	}
	startBlobSweeper(ctx, cfg, store, log)

	sender, err := startSender(ctx, cfg, store, log)
	if err != nil {
		return err
	}
	go keepRollups(ctx, store, log)
	srv := api.New(store, api.Config{
		CookieSecure: cfg.CookieSecure, SessionTTL: cfg.SessionTTL, SessionIdle: cfg.SessionIdle, MetricsToken: cfg.MetricsToken, SPA: frontend.Dist(),
		TrustedProxies: cfg.TrustedProxies, UploadMaxRequest: cfg.UploadMaxRequest,
		Collectors: sender.Collectors(), ReplyToken: cfg.Notify.ReplyToken,
		PublicRate: cfg.PublicRate, PublicBurst: cfg.PublicBurst,
	}, log)
	base := func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	servers := []*http.Server{{
		Addr:              cfg.Addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
		BaseContext:       base,
	}}
	if cfg.MetricsAddr != "" {
		servers = append(servers, &http.Server{Addr: cfg.MetricsAddr, Handler: srv.MetricsHandler(),
			ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute, BaseContext: base})
	}
	return runServers(ctx, log, cfg, servers)
}

// runServers listens on every server's address (the API's first; the metrics one after it), serves
// until ctx ends or one fails, then shuts them all down gracefully. A metrics address left at its
// default that is taken (another papi on this machine) costs the metrics, not the service.
func runServers(ctx context.Context, log *slog.Logger, cfg config, servers []*http.Server) error {
	var listeners []net.Listener
	defer func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}()
	for i, hs := range servers {
		ln, err := net.Listen("tcp", hs.Addr)
		if err != nil && i > 0 && !cfg.MetricsAddrSet {
			log.Warn("metrics address taken; metrics only on the API address with PAPI_METRICS_TOKEN", "addr", hs.Addr, "error", err)
			servers = servers[:i]
			break
		}
		if err != nil {
			return err
		}
		listeners = append(listeners, ln)
	}
	log.Info("listening", "addr", listeners[0].Addr().String(), "url", "http://"+loopbackAddr(listeners[0].Addr().String()))
	if len(listeners) > 1 {
		log.Info("metrics listening", "addr", listeners[1].Addr().String(), "path", "/metrics")
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(listeners[i]) }()
	}
	var failed error
	select {
	case failed = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(shutdownCtx); err != nil && failed == nil {
			failed = err
		}
	}
	if failed != nil && !errors.Is(failed, http.ErrServerClosed) {
		return failed
	}
	return nil
}

// startSender starts the loop that delivers the outbox over the configured channels; it stops
// with ctx. Several processes may run one each on PostgreSQL; on SQLite there is one process.
func startSender(ctx context.Context, cfg config, store *models.Store, log *slog.Logger) (*notify.Sender, error) {
	store.PublicURL = cfg.Notify.PublicURL
	channels, err := cfg.Notify.Build(ctx, store, log)
	if err != nil {
		return nil, err
	}
	sender := notify.NewSender(store, channels, log)
	if lease := cfg.Notify.Lease; lease > 0 {
		// One delivery must fit well inside the claim, or another sender could take it meanwhile.
		sender.Lease, sender.Timeout = lease, min(sender.Timeout, lease/4)
	}
	go sender.Run(ctx)
	return sender, nil
}

func seedCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo district, users and records")
	synthetic := fs.Bool("synthetic", false, "generate a large synthetic data set (benchmarks, load tests)")
	communes := fs.Int("communes", 100, "with --synthetic: how many communes (3300, the whole country, gives about 1M petitions over 5 years)")
	years := fs.Int("years", 5, "with --synthetic: how many years of dialogues and petitions")
	perYear := fs.Int("petitions-per-year", 60, "with --synthetic: average petitions a commune logs in a year")
	if err := parseFlags(fs, "seed --demo | --synthetic [--communes N] [--years Y]", args, e); err != nil {
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
	// The synthetic data set has photos, stored where serve will read them.
	if err := wireAttachments(ctx, cfg, store); err != nil {
		return err
	}
	if *synthetic {
		start := time.Now()
		res, err := seed.Synthetic(ctx, store, seed.SyntheticOptions{Communes: *communes, Years: *years,
			PetitionsPerCommuneYear: *perYear, Seed: 1, Progress: e.stdout})
		if err != nil {
			return fmt.Errorf("seed synthetic: %w", err)
		}
		fmt.Fprintf(e.stdout, "Synthetic data loaded in %s: %d provinces, %d districts, %d communes, %d hamlets, %d users, "+
			"%d dialogues, %d petitions, %d petition events, %d photos. Every synthetic user has the password %q.\n",
			time.Since(start).Round(time.Second), res.Provinces, res.Districts, res.Communes, res.Hamlets, res.Users,
			res.Dialogues, res.Petitions, res.Events, res.Photos, seed.DemoPassword)
		if !*demo {
			return nil
		}
	}
	if _, err := seed.LoadDemo(ctx, store); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	fmt.Fprintf(e.stdout, "Demo data loaded. Every demo user has the password %q:\n", seed.DemoPassword)
	for _, u := range seed.DemoUsers() {
		fmt.Fprintf(e.stdout, "  %-18s %-18s %s\n", u.Username, u.Role, u.Unit)
	}
	return nil
}

func userCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("user: the only subcommand is add (papi user add --help)")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "admin, district_official, commune_chair, secretary or inspector")
	unitRef := fs.String("unit", "", "the user's unit: official code, commune slug or id")
	fullName := fs.String("full-name", "", "the person's full name")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := parseFlags(fs, "user add --username U --role R --unit CODE_OR_ID [--full-name N] [--password-stdin]", args[1:], e); err != nil {
		return err
	}
	if *username == "" || *role == "" || *unitRef == "" {
		return errors.New("user add: --username, --role and --unit are required")
	}
	password, store, err := passwordAndStore(ctx, cfg, log, "user add", e, *fromStdin)
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
	if err != nil {
		return commandError("user add", err)
	}
	fmt.Fprintf(e.stdout, "created user %s (id %d, %s of %s)\n", u.Username, u.ID, u.Role, unit.Name)
	return nil
}

// passwordAndStore reads the password of a user a command creates, then opens the database;
// asking first means a typo in the password costs no database connection.
func passwordAndStore(ctx context.Context, cfg config, log *slog.Logger, cmd string, e env, fromStdin bool) (string, *models.Store, error) {
	password, err := readPassword(cmd, e, fromStdin)
	if err != nil {
		return "", nil, err
	}
	store, err := openStore(ctx, cfg, log)
	return password, store, err
}

// commandError words a domain error for the terminal: a validation error becomes one line
// naming each bad field, in flag order, with what is wrong with it.
func commandError(cmd string, err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	parts := make([]string, 0, len(verr.Fields))
	for f, m := range verr.Fields {
		parts = append(parts, strings.ReplaceAll(f, "_", "-")+": "+m.EN)
	}
	sort.Strings(parts)
	return fmt.Errorf("%s: %s", cmd, strings.Join(parts, "; "))
}

// readPassword reads a password from standard input, prompting without echo on a terminal.
func readPassword(cmd string, e env, fromStdin bool) (string, error) {
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
			return "", errors.New(cmd + ": the passwords differ")
		}
		return string(p), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New(cmd + ": no password on standard input")
	}
	return line, nil
}
