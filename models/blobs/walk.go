package blobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// Object is one object a store holds, as a sweep of the store sees it.
type Object struct {
	// SHA256 is the digest of a committed blob; empty for the temporary object of an upload
	// that never finished.
	SHA256 string
	// Name is the file's path under the store's directory, or the object's key.
	Name    string
	Size    int64
	ModTime time.Time
}

// Temporary tells whether the object is an unfinished upload rather than a committed blob.
func (o Object) Temporary() bool { return o.SHA256 == "" }

// Walk calls fn for every committed blob and every temporary file of the directory; files the
// store did not write are left out.
func (d *Dir) Walk(ctx context.Context, fn func(Object) error) error {
	return filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		o := Object{Name: filepath.ToSlash(rel)}
		switch {
		case strings.HasPrefix(o.Name, ".tmp/put-"):
		case validDigest(e.Name()) == nil && p == d.path(e.Name()):
			o.SHA256 = e.Name()
		default:
			return nil
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		o.Size, o.ModTime = info.Size(), info.ModTime()
		return fn(o)
	})
}

// RemoveTemporary removes the temporary file of an upload that never finished.
func (d *Dir) RemoveTemporary(ctx context.Context, name string) error {
	base, ok := strings.CutPrefix(name, ".tmp/")
	if !ok || !strings.HasPrefix(base, "put-") || strings.ContainsAny(base, `/\`) {
		return fmt.Errorf("%q is not a temporary file of the store", name)
	}
	if err := os.Remove(filepath.Join(d.root, ".tmp", base)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Walk calls fn for every committed blob and every temporary object under the store's prefix;
// other keys in the bucket are left out.
func (s *S3) Walk(ctx context.Context, fn func(Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn fails
	for info := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.cfg.Prefix, Recursive: true}) {
		if info.Err != nil {
			return fmt.Errorf("object storage: list: %w", info.Err)
		}
		o := Object{Name: info.Key, Size: info.Size, ModTime: info.LastModified}
		rest := strings.TrimPrefix(info.Key, s.cfg.Prefix)
		switch {
		case strings.HasPrefix(rest, "tmp/"):
		case validDigest(lastElem(rest)) == nil && info.Key == s.key(lastElem(rest)):
			o.SHA256 = lastElem(rest)
		default:
			continue
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// lastElem returns the last element of a slash-separated key.
func lastElem(key string) string { return key[strings.LastIndexByte(key, '/')+1:] }

// RemoveTemporary removes the temporary object of an upload that never finished.
func (s *S3) RemoveTemporary(ctx context.Context, name string) error {
	if !strings.HasPrefix(name, s.cfg.Prefix+"tmp/") {
		return fmt.Errorf("%q is not a temporary object of the store", name)
	}
	if err := s.client.RemoveObject(ctx, s.cfg.Bucket, name, minio.RemoveObjectOptions{}); err != nil && !isNoSuchKey(err) {
		return fmt.Errorf("object storage: %w", err)
	}
	return nil
}
