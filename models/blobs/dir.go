package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Dir keeps blobs as files under a directory: root/ab/cd/abcd…, written first into root/.tmp
// and renamed into place, which is atomic on one file system.
type Dir struct {
	root string
}

// OpenDir returns the store in root, creating the directory when needed.
func OpenDir(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, ".tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("attachments directory: %w", err)
	}
	return &Dir{root: root}, nil
}

// Root returns the directory the store lives in, for backups.
func (d *Dir) Root() string { return d.root }

func (d *Dir) path(sum string) string {
	return filepath.Join(d.root, sum[:2], sum[2:4], sum)
}

// Put streams r into the store and commits it under its SHA-256.
func (d *Dir) Put(ctx context.Context, r io.Reader) (Blob, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, ".tmp"), "put-*")
	if err != nil {
		return Blob{}, err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	hr := newHashingReader(ctxReader{ctx: ctx, r: r})
	if _, err := io.Copy(tmp, hr); err != nil {
		return Blob{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, err
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, err
	}
	b := hr.blob()
	final := d.path(b.SHA256)
	if _, err := os.Stat(final); err == nil {
		// The same bytes are already stored; the deferred cleanup drops the copy. The blob counts
		// as new again, so a sweep for orphans gives the attachment about to name it its time.
		now := time.Now()
		err := os.Chtimes(final, now, now)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Blob{}, err
		}
		// Swept away in the meantime: commit our copy.
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Blob{}, err
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Blob{}, err
	}
	committed = true
	return b, nil
}

// Open returns a reader of the blob with the digest sum.
func (d *Dir) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := validDigest(sum); err != nil {
		return nil, err
	}
	return os.Open(d.path(sum))
}

// Delete removes the blob with the digest sum; a missing blob is not an error.
func (d *Dir) Delete(ctx context.Context, sum string) error {
	if err := validDigest(sum); err != nil {
		return err
	}
	if err := os.Remove(d.path(sum)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
