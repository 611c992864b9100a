// Package blobstest starts the blob stores tests run against: a directory, and a real
// S3-compatible server (gofakes3, speaking the S3 protocol over HTTP) inside the test process.
package blobstest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/papi-dialogue/papi/models/blobs"
)

// StartS3 starts an S3 server for the test and returns how to reach its (not yet created) bucket.
func StartS3(t testing.TB) blobs.S3Config {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	return blobs.S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Bucket: "papi-test", Prefix: "att/",
		AccessKey: "test", SecretKey: "test-secret", Region: "us-east-1"}
}

// Dir returns a directory store in a fresh temporary directory.
func Dir(t testing.TB) *blobs.Dir {
	t.Helper()
	d, err := blobs.OpenDir(filepath.Join(t.TempDir(), "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// S3 returns a store over a fresh bucket of a server started for the test.
func S3(t testing.TB) *blobs.S3 {
	t.Helper()
	s, err := blobs.OpenS3(context.Background(), StartS3(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
