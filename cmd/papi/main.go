// Command papi serves PAPI Dialogue and runs its maintenance tasks.
//
//	papi serve                  start the web server (migrates first)
//	papi migrate                apply pending database migrations
//	papi init ...               set up an empty database: the province and its first admin
//	papi units import FILE.csv  load communes and hamlets
//	papi seed --demo            load the demo district and its users
//	papi user add --username U --role R --unit CODE_OR_ID [--password-stdin]
//	papi healthcheck            ask the running server's /readyz (container health checks)
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "papi:", err)
		os.Exit(1)
	}
}
