package blobs

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/minio/minio-go/v7"
)

// Keys lists every object in the store's bucket, temporary ones included.
func (s *S3) Keys(ctx context.Context) ([]string, error) {
	var out []string
	for o := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		out = append(out, o.Key)
	}
	return out, nil
}

// LeaveTemporary writes an object where an upload that never finished would have left it.
func LeaveTemporary(ctx context.Context, store any, data string) error {
	switch s := store.(type) {
	case *Dir:
		return os.WriteFile(filepath.Join(s.root, ".tmp", "put-left"), []byte(data), 0o640)
	case *S3:
		_, err := s.client.PutObject(ctx, s.cfg.Bucket, s.cfg.Prefix+"tmp/left", strings.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
		return err
	}
	return nil
}
