// Package migrations holds the versioned SQL schema of PAPI Dialogue, one folder per dialect.
package migrations

import "embed"

// FS holds the migration files: postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
