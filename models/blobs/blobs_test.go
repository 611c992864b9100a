package blobs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs"
	"github.com/papi-dialogue/papi/models/blobs/blobstest"
)

// store is what both implementations offer, as models uses them.
type store = models.BlobStore

// kind is one implementation under test, with a way to list every object it holds.
type kind struct {
	name  string
	open  func(t *testing.T) store
	names func(t *testing.T, s store) []string
}

// kinds returns both stores: a directory, and a bucket on a real S3 server started for the test.
func kinds() []kind {
	return []kind{
		{name: "dir", open: func(t *testing.T) store { return blobstest.Dir(t) }, names: func(t *testing.T, s store) []string {
			var out []string
			root := s.(*blobs.Dir).Root()
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(root, p)
					out = append(out, rel)
				}
				return nil
			})
			return out
		}},
		{name: "s3", open: func(t *testing.T) store { return blobstest.S3(t) }, names: func(t *testing.T, s store) []string {
			keys, err := s.(*blobs.S3).Keys(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return keys
		}},
	}
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			// Larger than one S3 part, so the multipart path is taken.
			data := bytes.Repeat([]byte("ảnh ổ gà trên đường liên ấp "), 300_000)
			b, err := s.Put(ctx, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if b.SHA256 != sum(data) || b.Size != int64(len(data)) {
				t.Fatalf("Put = %+v, want %s, %d bytes", b, sum(data), len(data))
			}
			again, err := s.Put(ctx, bytes.NewReader(data))
			if err != nil || again != b {
				t.Fatalf("second Put = %+v, %v", again, err)
			}
			if got := k.names(t, s); len(got) != 1 || !strings.HasSuffix(got[0], b.SHA256) {
				t.Fatalf("objects after two Puts of the same bytes = %v, want the one blob", got)
			}
			rc, err := s.Open(ctx, b.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read back %d bytes of %d, %v", len(got), len(data), err)
			}
			if err := s.Delete(ctx, b.SHA256); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Open(ctx, b.SHA256); !errors.Is(err, blobs.ErrNotExist) {
				t.Fatalf("Open after Delete: %v, want ErrNotExist", err)
			}
			if err := s.Delete(ctx, b.SHA256); err != nil {
				t.Fatalf("Delete of a missing blob: %v", err)
			}
			if got := k.names(t, s); len(got) != 0 {
				t.Fatalf("objects left = %v", got)
			}
		})
	}
}

// failingReader gives n bytes and then fails, like a dropped connection.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	for i := range p {
		p[i] = 'x'
	}
	f.n -= len(p)
	return len(p), nil
}

func TestFailedPutLeavesNothing(t *testing.T) {
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			if _, err := s.Put(context.Background(), &failingReader{n: 7 << 20}); err == nil {
				t.Fatal("Put of a failing reader succeeded")
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := s.Put(ctx, strings.NewReader("cancelled")); err == nil {
				t.Fatal("Put with a cancelled context succeeded")
			}
			if got := k.names(t, s); len(got) != 0 {
				t.Fatalf("objects left after failed uploads = %v", got)
			}
		})
	}
}

func TestDigestsCannotNameOtherFiles(t *testing.T) {
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("0", 63) + "/"} {
				if _, err := s.Open(context.Background(), bad); !errors.Is(err, blobs.ErrNotExist) {
					t.Errorf("Open(%q) = %v, want ErrNotExist", bad, err)
				}
				if err := s.Delete(context.Background(), bad); !errors.Is(err, blobs.ErrNotExist) {
					t.Errorf("Delete(%q) = %v, want ErrNotExist", bad, err)
				}
			}
		})
	}
}

func TestParseS3URL(t *testing.T) {
	c, err := blobs.ParseS3URL("s3://AK:s%2Fecret@minio.local:9000/papi/prod?region=ap-southeast-1&tls=false")
	if err != nil {
		t.Fatal(err)
	}
	want := blobs.S3Config{Endpoint: "minio.local:9000", Bucket: "papi", Prefix: "prod/", AccessKey: "AK", SecretKey: "s/ecret", Region: "ap-southeast-1"}
	if c != want {
		t.Fatalf("ParseS3URL = %+v, want %+v", c, want)
	}
	for _, bad := range []string{"http://x/b", "s3://host:9000", "s3://h/b?tls=maybe", "::"} {
		if _, err := blobs.ParseS3URL(bad); err == nil {
			t.Errorf("blobs.ParseS3URL(%q) accepted", bad)
		}
	}
}

// walker is what the orphan sweep needs of a store beyond models.BlobStore.
type walker interface {
	Walk(ctx context.Context, fn func(blobs.Object) error) error
	RemoveTemporary(ctx context.Context, name string) error
}

func TestWalkListsBlobsAndLeftovers(t *testing.T) {
	ctx := context.Background()
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			w := s.(walker)
			b, err := s.Put(ctx, strings.NewReader("biên bản đã ký"))
			if err != nil {
				t.Fatal(err)
			}
			if err := blobs.LeaveTemporary(ctx, s, "nửa tệp"); err != nil {
				t.Fatal(err)
			}
			var got []blobs.Object
			if err := w.Walk(ctx, func(o blobs.Object) error { got = append(got, o); return nil }); err != nil {
				t.Fatal(err)
			}
			var temp blobs.Object
			seen := 0
			for _, o := range got {
				if time.Since(o.ModTime) > time.Minute || o.Size == 0 {
					t.Errorf("object %+v: want a size and a recent time", o)
				}
				if o.Temporary() {
					temp = o
				} else if o.SHA256 == b.SHA256 && o.Size == b.Size {
					seen++
				}
			}
			if len(got) != 2 || seen != 1 || temp.Name == "" {
				t.Fatalf("walk = %+v; want the blob and the leftover", got)
			}
			if err := w.RemoveTemporary(ctx, b.SHA256); err == nil {
				t.Fatal("RemoveTemporary accepted a committed blob's name")
			}
			if err := w.RemoveTemporary(ctx, temp.Name); err != nil {
				t.Fatal(err)
			}
			if names := k.names(t, s); len(names) != 1 || !strings.HasSuffix(names[0], b.SHA256) {
				t.Fatalf("objects after removing the leftover: %v", names)
			}
		})
	}
}
