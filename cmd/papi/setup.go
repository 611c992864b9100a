package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/papi-dialogue/papi/models"
)

// initCommand sets up an empty database for a real province: the province and its first admin.
func initCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	code := fs.String("province-code", "", "the province's official code, 2 digits (Decision 19/2025/QĐ-TTg), such as 87")
	name := fs.String("province-name", "", "the province's name, such as \"Đồng Tháp\"")
	kind := fs.String("province-kind", "tinh", "tinh, or thanh_pho for a centrally-run city")
	username := fs.String("username", "", "login name of the first administrator")
	fullName := fs.String("full-name", "", "the administrator's full name")
	fromStdin := fs.Bool("password-stdin", false, "read the administrator's password from standard input instead of prompting")
	synopsis := "init --province-code NN --province-name NAME [--province-kind thanh_pho] --username U [--full-name N] [--password-stdin]\n\n" +
		"Sets up an empty database: the province and its first administrator. It refuses a database\n" +
		"that already holds units or users, so it runs once."
	if err := parseFlags(fs, synopsis, args, e); err != nil {
		return err
	}
	if *code == "" || *name == "" || *username == "" {
		return errors.New("init: --province-code, --province-name and --username are required (papi init --help)")
	}
	password, store, err := passwordAndStore(ctx, cfg, log, "init", e, *fromStdin)
	if err != nil {
		return err
	}
	defer store.Close()
	province, admin, err := store.InitProvince(ctx, models.InitInput{ProvinceCode: *code, ProvinceName: *name, ProvinceKind: models.UnitKind(*kind),
		Username: *username, FullName: *fullName, Password: password})
	if err != nil {
		return commandError("init", err)
	}
	fmt.Fprintf(e.stdout, "created province %s (code %s) and its administrator %s; load its communes and hamlets next: papi units import FILE.csv\n",
		province.Name, *province.Code, admin.Username)
	return nil
}
