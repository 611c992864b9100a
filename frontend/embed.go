// Package frontend embeds the built single-page app into the papi binary.
package frontend

import (
	"embed"
	"io/fs"
)

// build holds dist/app (the Vite build, when it was run before go build) and the placeholder.
//
//go:embed all:dist placeholder.html
var build embed.FS

// Dist returns the built SPA, or a one-page placeholder when the frontend was not built.
func Dist() fs.FS {
	if app, err := fs.Sub(build, "dist/app"); err == nil {
		if _, err := fs.Stat(app, "index.html"); err == nil {
			return app
		}
	}
	return placeholder{}
}

// placeholder serves placeholder.html as index.html.
type placeholder struct{}

func (placeholder) Open(name string) (fs.File, error) {
	if name == "index.html" {
		return build.Open("placeholder.html")
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
