// Command attachment-rss measures how much the resident memory (RSS) of a real `papi serve`
// grows while it receives and sends large attachments: a 20 MB PDF, which is only streamed, and
// a large JPEG, which is also decoded once for its thumbnail. It seeds the demo into a fresh data
// directory, serves it on loopback, and reads the server's VmRSS and peak VmHWM from /proc
// (Linux), resetting the peak before each step through /proc/PID/clear_refs.
//
//	go build -o bin/papi ./cmd/papi && go run ./scripts/attachment-rss
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	bin := flag.String("papi", "bin/papi", "the papi binary to measure")
	rounds := flag.Int("rounds", 3, "times each step runs")
	flag.Parse()
	if err := run(*bin, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "attachment-rss:", err)
		os.Exit(1)
	}
}

func run(bin string, rounds int) error {
	srv, err := startPapi(bin)
	if err != nil {
		return err
	}
	defer srv.stop()
	c, err := login(srv.url)
	if err != nil {
		return err
	}
	var list struct{ Items []struct{ ID int64 } }
	if err := c.getJSON("/api/v1/petitions?limit=1", &list); err != nil || len(list.Items) == 0 {
		return fmt.Errorf("no petition to attach to: %v", err)
	}
	target := fmt.Sprintf("/api/v1/petitions/%d/attachments", list.Items[0].ID)
	photo := bigJPEG(4000, 3000, 256)
	// A 48-megapixel phone photo of a bright scene: fewer bytes, four times the pixels.
	large := bigJPEG(8000, 6000, 24)
	pdfSize := int64(20<<20 - 4096)
	// Warm up: the code paths paged in, the pools filled.
	if _, err := c.upload(target, "warm.pdf", pdfReader(64<<10)); err != nil {
		return err
	}
	fmt.Printf("papi %s, Go runtime defaults; RSS in MB (baseline VmRSS before the step, peak VmHWM during it)\n\n", bin)
	fmt.Println("| step | file | baseline RSS | peak RSS | growth |")
	fmt.Println("|---|---|---|---|---|")
	for i := range rounds {
		var pdfID, photoID int64
		steps := []struct {
			name, file string
			fn         func() error
		}{
			{"upload", fmt.Sprintf("PDF %.1f MB", mb(pdfSize)), func() (err error) {
				pdfID, err = c.upload(target, fmt.Sprintf("scan-%d.pdf", i), pdfReader(pdfSize))
				return err
			}},
			{"download", fmt.Sprintf("PDF %.1f MB", mb(pdfSize)), func() error { return c.download(fmt.Sprintf("/api/v1/attachments/%d/content", pdfID)) }},
			{"upload", fmt.Sprintf("JPEG 4000×3000, %.1f MB", mb(int64(len(photo)))), func() (err error) {
				photoID, err = c.upload(target, fmt.Sprintf("photo-%d.jpg", i), bytes.NewReader(append(photo, byte(i))))
				return err
			}},
			{"download", fmt.Sprintf("JPEG %.1f MB", mb(int64(len(photo)))), func() error {
				return c.download(fmt.Sprintf("/api/v1/attachments/%d/content", photoID))
			}},
			{"upload", fmt.Sprintf("JPEG 8000×6000, %.1f MB", mb(int64(len(large)))), func() error {
				_, err := c.upload(target, fmt.Sprintf("large-%d.jpg", i), bytes.NewReader(append(large, byte(i))))
				return err
			}},
		}
		for _, s := range steps {
			base, peak, err := srv.measure(s.fn)
			if err != nil {
				return fmt.Errorf("%s %s: %w", s.name, s.file, err)
			}
			fmt.Printf("| %s | %s | %.1f | %.1f | %+.1f |\n", s.name, s.file, mb(base), mb(peak), mb(peak-base))
		}
	}
	return nil
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// server is a running papi serve on a fresh data directory.
type server struct {
	cmd *exec.Cmd
	url string
	dir string
}

func startPapi(bin string) (*server, error) {
	dir, err := os.MkdirTemp("", "papi-rss-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	env := append(os.Environ(), "PAPI_DATA_DIR="+dir, "PAPI_ADDR="+addr, "PAPI_LOG_LEVEL=warn", "PAPI_METRICS_ADDR=off",
		"PAPI_BLOB_SWEEP_EVERY=off", "PAPI_DATABASE_URL=")
	seed := exec.Command(bin, "seed", "--demo")
	seed.Env = env
	if out, err := seed.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("seed: %v: %s", err, out)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Stderr = env, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, dir: dir}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if r, err := http.Get(s.url + "/readyz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("papi serve did not become ready")
		}
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
	os.RemoveAll(s.dir)
}

// measure runs fn and returns the server's RSS before it and its peak RSS while it ran.
func (s *server) measure(fn func() error) (int64, int64, error) {
	pid := strconv.Itoa(s.cmd.Process.Pid)
	if err := os.WriteFile(filepath.Join("/proc", pid, "clear_refs"), []byte("5"), 0); err != nil {
		return 0, 0, fmt.Errorf("reset the peak RSS: %w", err)
	}
	base, err := procStatus(pid, "VmRSS")
	if err != nil {
		return 0, 0, err
	}
	if err := fn(); err != nil {
		return 0, 0, err
	}
	peak, err := procStatus(pid, "VmHWM")
	return base, peak, err
}

// procStatus reads one "kB" line of /proc/PID/status, in bytes.
func procStatus(pid, field string) (int64, error) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "status"))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%s/status", field, pid)
}

// client is a signed-in secretary.
type client struct {
	http *http.Client
	base string
	csrf string
}

func login(base string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{http: &http.Client{Jar: jar}, base: base}
	body := strings.NewReader(`{"username":"secretary.tanthoi","password":"demo-password"}`)
	r, err := c.http.Post(base+"/api/v1/auth/login", "application/json", body)
	if err != nil {
		return nil, err
	}
	defer r.Body.Close()
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&me); err != nil || me.CSRF == "" {
		return nil, fmt.Errorf("login: %d %v", r.StatusCode, err)
	}
	c.csrf = me.CSRF
	return c, nil
}

func (c *client) getJSON(path string, v any) error {
	r, err := c.http.Get(c.base + path)
	if err != nil {
		return err
	}
	defer r.Body.Close()
	return json.NewDecoder(r.Body).Decode(v)
}

// upload streams one file as multipart/form-data and returns the attachment's id.
func (c *client) upload(path, name string, file io.Reader) (int64, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(w, file)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", c.base+path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	r, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	var out struct{ Items []struct{ ID int64 } }
	if err := json.NewDecoder(r.Body).Decode(&out); err != nil || r.StatusCode != 201 || len(out.Items) != 1 {
		return 0, fmt.Errorf("upload %s: %d %v", name, r.StatusCode, err)
	}
	return out.Items[0].ID, nil
}

func (c *client) download(path string) error {
	r, err := c.http.Get(c.base + path)
	if err != nil {
		return err
	}
	defer r.Body.Close()
	if _, err := io.Copy(io.Discard, r.Body); err != nil || r.StatusCode != 200 {
		return fmt.Errorf("download %s: %d %v", path, r.StatusCode, err)
	}
	return nil
}

// pdfReader gives size bytes that start like a PDF and then carry no pattern to compress.
func pdfReader(size int64) io.Reader {
	rng := rand.NewChaCha8([32]byte{7})
	return io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(rng, size-9))
}

// bigJPEG encodes a picture with noise of the given amplitude over a gradient: much noise makes
// a few megapixels a file of many megabytes, as a phone photo of a dim scene does.
func bigJPEG(w, h, noise int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Y {
		img.Y[i] = uint8((i%w*200/w + rng.IntN(noise)) % 256)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(128+rng.IntN(noise)/2), uint8(128-rng.IntN(noise)/2)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
