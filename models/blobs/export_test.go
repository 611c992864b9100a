package blobs

import (
	"context"

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
