package main

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models"
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
	MetricsToken string
}

// loadConfig reads and validates the configuration; an error names the variable at fault.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:         ":8080",
		DataDir:      "./data",
		LogLevel:     slog.LevelInfo,
		LogFormat:    "text",
		SessionTTL:   12 * time.Hour,
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
	if v := getenv("PAPI_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 30*24*time.Hour {
			return c, fmt.Errorf("PAPI_SESSION_TTL=%q: want a duration from 1m to 720h, such as 12h", v)
		}
		c.SessionTTL = d
	}
	return c, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
