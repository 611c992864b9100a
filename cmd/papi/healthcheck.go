package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheck asks the server on PAPI_ADDR whether it is ready (GET /readyz) and fails unless it
// answers 200. Container images without a shell run it as their health check.
func healthcheck(ctx context.Context, cfg config, args []string, e env) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	target := fs.String("url", "", "the readiness URL to ask (default: /readyz on PAPI_ADDR, through loopback)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	synopsis := "healthcheck [--url URL] [--timeout D]\n\n" +
		"Asks the running server whether it is ready and its database answers (GET /readyz);\n" +
		"exits 0 when it is, 1 when not. For container health checks: the image has no shell."
	if err := parseFlags(fs, synopsis, args, e); err != nil {
		return err
	}
	url := *target
	if url == "" {
		url = "http://" + loopbackAddr(cfg.Addr) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ready")
	return nil
}

// loopbackAddr turns a listen address into the address that reaches it from the same machine:
// a server listening on every interface is reached through loopback.
func loopbackAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
