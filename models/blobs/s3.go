package blobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3-compatible bucket is and how to sign in to it.
type S3Config struct {
	Endpoint  string // host:port
	Bucket    string
	Prefix    string // keys start with it, e.g. "papi/"
	AccessKey string
	SecretKey string
	Region    string
	TLS       bool
}

// ParseS3URL reads s3://ACCESS_KEY:SECRET_KEY@host:port/bucket[/prefix][?region=R&tls=false].
// TLS is on unless tls=false; the secret may be URL-escaped.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, errors.New("want s3://ACCESS_KEY:SECRET_KEY@host:port/bucket[/prefix][?region=R&tls=false]")
	}
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if bucket == "" {
		return S3Config{}, errors.New("the URL names no bucket: s3://KEY:SECRET@host:port/bucket")
	}
	c := S3Config{Endpoint: u.Host, Bucket: bucket, TLS: true, Region: u.Query().Get("region")}
	if prefix != "" {
		c.Prefix = prefix + "/"
	}
	if u.User != nil {
		c.AccessKey = u.User.Username()
		c.SecretKey, _ = u.User.Password()
	}
	if v := u.Query().Get("tls"); v != "" {
		if c.TLS, err = strconv.ParseBool(v); err != nil {
			return S3Config{}, fmt.Errorf("tls=%q: want true or false", v)
		}
	}
	return c, nil
}

// S3 keeps blobs in an S3-compatible bucket under prefix+"sha256/ab/abcd…". An upload goes to a
// temporary key first and is copied into place on the server once it is complete.
type S3 struct {
	client *minio.Client
	cfg    S3Config
}

// partSize bounds the memory one upload of unknown length holds at a time.
const partSize = 5 << 20

// OpenS3 connects to the bucket, creating it when it does not exist yet.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.TLS,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("object storage: %w", err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("object storage %s: %w", cfg.Endpoint, err)
	}
	if !ok {
		if err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			return nil, fmt.Errorf("object storage: create bucket %s: %w", cfg.Bucket, err)
		}
	}
	return &S3{client: client, cfg: cfg}, nil
}

func (s *S3) key(sum string) string { return s.cfg.Prefix + path.Join("sha256", sum[:2], sum) }

// Put streams r to a temporary object while hashing it, then copies it under its SHA-256.
func (s *S3) Put(ctx context.Context, r io.Reader) (Blob, error) {
	rnd := make([]byte, 12)
	_, _ = rand.Read(rnd)
	tmp := s.cfg.Prefix + "tmp/" + hex.EncodeToString(rnd)
	// Whatever happens below, the temporary object goes, even when ctx was cancelled.
	defer s.client.RemoveObject(context.WithoutCancel(ctx), s.cfg.Bucket, tmp, minio.RemoveObjectOptions{})
	hr := newHashingReader(ctxReader{ctx: ctx, r: r})
	if _, err := s.client.PutObject(ctx, s.cfg.Bucket, tmp, hr, -1, minio.PutObjectOptions{
		PartSize: partSize, ContentType: "application/octet-stream",
		// Signing every chunk wraps the parts in aws-chunked framing, which not every
		// S3-compatible server strips from multipart parts; TLS and our own digest cover it.
		DisableContentSha256: true}); err != nil {
		return Blob{}, fmt.Errorf("object storage: upload: %w", err)
	}
	b := hr.blob()
	final := s.key(b.SHA256)
	if _, err := s.client.StatObject(ctx, s.cfg.Bucket, final, minio.StatObjectOptions{}); err == nil {
		return b, nil
	} else if !isNoSuchKey(err) {
		return Blob{}, fmt.Errorf("object storage: %w", err)
	}
	_, err := s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.cfg.Bucket, Object: final},
		minio.CopySrcOptions{Bucket: s.cfg.Bucket, Object: tmp})
	if err != nil {
		return Blob{}, fmt.Errorf("object storage: commit: %w", err)
	}
	return b, nil
}

// Open returns a reader of the blob with the digest sum.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := validDigest(sum); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.key(sum), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("object storage: %w", err)
	}
	// GetObject is lazy: ask for the object's details now so a missing one is known here.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if isNoSuchKey(err) {
			return nil, fmt.Errorf("blob %s: %w", sum, ErrNotExist)
		}
		return nil, fmt.Errorf("object storage: %w", err)
	}
	return obj, nil
}

// Delete removes the blob with the digest sum; a missing blob is not an error.
func (s *S3) Delete(ctx context.Context, sum string) error {
	if err := validDigest(sum); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.cfg.Bucket, s.key(sum), minio.RemoveObjectOptions{}); err != nil && !isNoSuchKey(err) {
		return fmt.Errorf("object storage: %w", err)
	}
	return nil
}

func isNoSuchKey(err error) bool {
	return minio.ToErrorResponse(err).Code == minio.NoSuchKey
}
