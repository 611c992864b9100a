package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs"
	"github.com/papi-dialogue/papi/notify"
)

// config is the process configuration, read from PAPI_* environment variables.
type config struct {
	Addr         string
	DatabaseURL  string
	DataDir      string
	LogLevel     slog.Level
	LogFormat    string
	CookieSecure bool
	SessionTTL   time.Duration
	// SessionIdle ends a session unused for that long.
	SessionIdle  time.Duration
	MetricsToken string
	// MetricsAddr is where scrapers read /metrics; empty means nowhere but the API's address
	// (with the token). MetricsAddrSet tells whether it was configured rather than defaulted.
	MetricsAddr    string
	MetricsAddrSet bool
	// DatabaseWait bounds how long serve waits for an unreachable database at start.
	DatabaseWait time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto count.
	TrustedProxies []netip.Prefix
	// AttachmentsURL is an s3:// URL of the bucket for attachments; empty keeps them in
	// DataDir/attachments.
	AttachmentsURL string
	// UploadMaxFile and UploadMaxRequest cap one attached file and one upload request, in bytes.
	UploadMaxFile, UploadMaxRequest int64
	// BlobSweepEvery is how often serve removes orphaned attachment files; 0 never.
	BlobSweepEvery time.Duration
	// Notify configures the message channels (see notify.Usage).
	Notify notify.Config
	// PublicRate and PublicBurst limit each client address on the public board and Open311
	// (requests a second and at once, per process); a negative rate turns the limit off.
	PublicRate  float64
	PublicBurst int
}

// loadConfig reads and validates the configuration; an error names the variable at fault.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:         ":8080",
		DataDir:      "./data",
		LogLevel:     slog.LevelInfo,
		LogFormat:    "text",
		SessionTTL:   12 * time.Hour,
		SessionIdle:  time.Hour,
		DatabaseWait: time.Minute,
		MetricsAddr:  "127.0.0.1:9464",
		MetricsToken: getenv("PAPI_METRICS_TOKEN"),
	}
	if v := getenv("PAPI_ADDR"); v != "" {
		c.Addr = v
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return c, fmt.Errorf("PAPI_ADDR=%q: want host:port, such as :8080 or 127.0.0.1:8080", c.Addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return c, fmt.Errorf("PAPI_ADDR=%q: the port must be a number from 0 to 65535", c.Addr)
	}
	if v := getenv("PAPI_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	c.DatabaseURL = getenv("PAPI_DATABASE_URL")
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "papi.db")
	} else if models.DialectOf(c.DatabaseURL) != models.Postgres {
		return c, fmt.Errorf("PAPI_DATABASE_URL: want a postgres:// URL, or leave it unset for the embedded database")
	}
	if v := getenv("PAPI_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("PAPI_LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
	}
	if v := getenv("PAPI_LOG_FORMAT"); v != "" {
		if v != "text" && v != "json" {
			return c, fmt.Errorf("PAPI_LOG_FORMAT=%q: want text or json", v)
		}
		c.LogFormat = v
	}
	c.CookieSecure = !isLoopbackHost(host)
	if v := getenv("PAPI_COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("PAPI_COOKIE_SECURE=%q: want true or false", v)
		}
		c.CookieSecure = b
	}
	if err := readDuration(getenv, "PAPI_SESSION_TTL", time.Minute, 30*24*time.Hour, "12h", &c.SessionTTL); err != nil {
		return c, err
	}
	if err := readDuration(getenv, "PAPI_SESSION_IDLE", time.Minute, 30*24*time.Hour, "1h", &c.SessionIdle); err != nil {
		return c, err
	}
	if err := c.readMetricsAddr(getenv("PAPI_METRICS_ADDR")); err != nil {
		return c, err
	}
	if v := getenv("PAPI_DATABASE_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Hour {
			return c, fmt.Errorf("PAPI_DATABASE_WAIT=%q: want a duration from 0s (do not wait) to 1h, such as 60s", v)
		}
		c.DatabaseWait = d
	}
	if v := getenv("PAPI_TRUSTED_PROXIES"); v != "" {
		proxies, err := parseProxies(v)
		if err != nil {
			return c, fmt.Errorf("PAPI_TRUSTED_PROXIES=%q: %v; want addresses or CIDRs separated by commas, such as 172.31.250.10 or 10.0.0.0/24", v, err)
		}
		c.TrustedProxies = proxies
	}
	if err := c.readPublicLimits(getenv); err != nil {
		return c, err
	}
	if err := loadAttachmentConfig(&c, getenv); err != nil {
		return c, err
	}
	c.Notify, err = notify.ConfigFromEnv(getenv)
	return c, err
}

// readPublicLimits reads PAPI_PUBLIC_RATE (requests a second, or off) and PAPI_PUBLIC_BURST.
func (c *config) readPublicLimits(getenv func(string) string) error {
	c.PublicRate, c.PublicBurst = 20, 40
	if v := getenv("PAPI_PUBLIC_RATE"); v == "off" {
		c.PublicRate = -1
	} else if v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || !(r >= 0.01 && r <= 100000) {
			return fmt.Errorf("PAPI_PUBLIC_RATE=%q: want requests a second per client address from 0.01 to 100000, such as 20, or off", v)
		}
		c.PublicRate = r
	}
	if v := getenv("PAPI_PUBLIC_BURST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			return fmt.Errorf("PAPI_PUBLIC_BURST=%q: want a whole number of requests from 1 to 100000, such as 40", v)
		}
		c.PublicBurst = n
	}
	return nil
}

// loadAttachmentConfig reads where attachments are kept and how large an upload may be.
func loadAttachmentConfig(c *config, getenv func(string) string) error {
	c.UploadMaxFile, c.UploadMaxRequest = 20<<20, 20<<20
	c.BlobSweepEvery = 24 * time.Hour
	if getenv("PAPI_BLOB_SWEEP_EVERY") == "off" {
		c.BlobSweepEvery = 0
	} else if err := readDuration(getenv, "PAPI_BLOB_SWEEP_EVERY", time.Hour, 30*24*time.Hour, "24h, or off", &c.BlobSweepEvery); err != nil {
		return err
	}
	if c.AttachmentsURL = getenv("PAPI_ATTACHMENTS_URL"); c.AttachmentsURL != "" {
		if _, err := blobs.ParseS3URL(c.AttachmentsURL); err != nil {
			return fmt.Errorf("PAPI_ATTACHMENTS_URL: %w", err)
		}
	}
	for _, v := range []struct {
		name string
		dst  *int64
	}{{"PAPI_UPLOAD_MAX_FILE", &c.UploadMaxFile}, {"PAPI_UPLOAD_MAX_REQUEST", &c.UploadMaxRequest}} {
		if s := getenv(v.name); s != "" {
			n, err := humanize.ParseBytes(s)
			if err != nil || n < 1<<10 || n > 1<<32 {
				return fmt.Errorf("%s=%q: want a size from 1KB to 4GB, such as 20MB", v.name, s)
			}
			*v.dst = int64(n)
		}
	}
	if c.UploadMaxRequest < c.UploadMaxFile {
		if getenv("PAPI_UPLOAD_MAX_REQUEST") != "" {
			return errors.New("PAPI_UPLOAD_MAX_REQUEST: must be at least PAPI_UPLOAD_MAX_FILE")
		}
		c.UploadMaxRequest = c.UploadMaxFile // one file of the largest size still fits a request
	}
	return nil
}

// readMetricsAddr reads PAPI_METRICS_ADDR: a host:port, or "off". Metrics on an address beyond
// loopback need the token, or anyone who reaches that address would read them.
func (c *config) readMetricsAddr(v string) error {
	if v == "" {
		return nil
	}
	c.MetricsAddrSet = true
	if v == "off" {
		c.MetricsAddr = ""
		return nil
	}
	host, port, err := net.SplitHostPort(v)
	if p, perr := strconv.Atoi(port); err != nil || perr != nil || p < 0 || p > 65535 {
		return fmt.Errorf("PAPI_METRICS_ADDR=%q: want host:port, such as 127.0.0.1:9464, or off", v)
	}
	if !isLoopbackHost(host) && c.MetricsToken == "" {
		return fmt.Errorf("PAPI_METRICS_ADDR=%q is reachable beyond this machine: set PAPI_METRICS_TOKEN too, or listen on 127.0.0.1", v)
	}
	c.MetricsAddr = v
	return nil
}

// parseProxies reads a list of addresses and CIDRs; an address is a prefix of its full length.
func parseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// readDuration reads the duration variable name into into, when it is set, and refuses one
// outside [min, max] with a message naming the variable and an example.
func readDuration(getenv func(string) string, name string, min, max time.Duration, example string, into *time.Duration) error {
	v := getenv(name)
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < min || d > max {
		return fmt.Errorf("%s=%q: want a duration from %s to %s, such as %s", name, v, shortDuration(min), shortDuration(max), example)
	}
	*into = d
	return nil
}

// shortDuration writes 1m and 720h rather than 1m0s and 720h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
