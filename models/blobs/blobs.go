// Package blobs keeps attachment files by the SHA-256 of their bytes: in a directory on the
// machine (the embedded default) or in S3-compatible object storage (several papi processes).
//
// Both stores stream what they are given to a temporary object while hashing it and commit it
// under its digest only once every byte has arrived, so a failed or cancelled upload leaves
// nothing behind and two uploads of the same bytes share one object.
package blobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"regexp"
)

// Blob is what a store reports of an object it committed.
type Blob struct {
	// SHA256 is the lowercase hex digest of the bytes, and the object's key.
	SHA256 string
	// Size is the number of bytes.
	Size int64
}

// ErrNotExist is returned (wrapped) when no object has the digest asked for.
var ErrNotExist = fs.ErrNotExist

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// validDigest refuses anything but a lowercase hex SHA-256, so a digest can never name a path
// or key outside the store.
func validDigest(sum string) error {
	if !digestPattern.MatchString(sum) {
		return fmt.Errorf("blob %q: %w", sum, ErrNotExist)
	}
	return nil
}

// hashingReader hashes and counts what passes through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func newHashingReader(r io.Reader) *hashingReader { return &hashingReader{r: r, h: sha256.New()} }

func (hr *hashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.n += int64(n)
	return n, err
}

func (hr *hashingReader) blob() Blob {
	return Blob{SHA256: hex.EncodeToString(hr.h.Sum(nil)), Size: hr.n}
}

// ctxReader stops a copy as soon as its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr ctxReader) Read(p []byte) (int, error) {
	if err := cr.ctx.Err(); err != nil {
		return 0, err
	}
	return cr.r.Read(p)
}
