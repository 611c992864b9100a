package models

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode for thumbnails
)

// The content types an attachment may have, told by the file's first bytes.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeWebP = "image/webp"
	TypePDF  = "application/pdf"
)

// sniffContentType tells a file's type by its first bytes, never by its name or the type a
// client declared; anything but the four accepted types is "".
func sniffContentType(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return TypeWebP
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	}
	return ""
}

// errBadImage means the bytes claim to be an image of a type but do not follow its format.
var errBadImage = errors.New("malformed image")

// stripMetadata copies an image without what it tells about where, when and with what it was
// taken (EXIF with its GPS tags, XMP, IPTC, comments, text chunks), never re-encoding the
// pixels. A JPEG keeps only its orientation, so that it still shows upright.
func stripMetadata(dst io.Writer, src io.ReadSeeker, contentType string) error {
	switch contentType {
	case TypeJPEG:
		return stripJPEG(dst, src)
	case TypePNG:
		return stripPNG(dst, src)
	case TypeWebP:
		return stripWebP(dst, src)
	}
	_, err := io.Copy(dst, src)
	return err
}

// JPEG markers the stripper needs.
const (
	jpegSOS   = 0xDA
	jpegEOI   = 0xD9
	jpegAPP0  = 0xE0
	jpegAPP1  = 0xE1
	jpegAPP2  = 0xE2
	jpegAPP14 = 0xEE
)

// keepJPEGSegment tells whether a segment carries pixels or how to show them (tables, frame,
// JFIF, ICC colour profile, Adobe colour transform) rather than metadata.
func keepJPEGSegment(marker byte, payload []byte) bool {
	switch {
	case marker == jpegAPP0 || marker == jpegAPP14:
		return true
	case marker == jpegAPP2:
		return bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case marker >= 0xE0 && marker <= 0xEF, marker == 0xFE: // other APPn, COM
		return false
	}
	return true
}

// stripJPEG walks the segments of a JPEG, copying the scans and the segments it keeps, and stops
// at the end-of-image marker, dropping what phones append after it.
func stripJPEG(dst io.Writer, src io.Reader) error {
	r := bufio.NewReaderSize(src, 64<<10)
	w := bufio.NewWriterSize(dst, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return errBadImage
	}
	w.Write(soi[:])
	marker, err := nextJPEGMarker(r)
	for err == nil {
		if marker == jpegEOI {
			w.Write([]byte{0xFF, jpegEOI})
			return w.Flush()
		}
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) { // no length follows
			w.Write([]byte{0xFF, marker})
			marker, err = nextJPEGMarker(r)
			continue
		}
		var lenBytes [2]byte
		if _, err = io.ReadFull(r, lenBytes[:]); err != nil {
			break
		}
		n := int(binary.BigEndian.Uint16(lenBytes[:])) - 2
		if n < 0 {
			return errBadImage
		}
		payload := make([]byte, n)
		if _, err = io.ReadFull(r, payload); err != nil {
			break
		}
		switch {
		case keepJPEGSegment(marker, payload):
			w.Write([]byte{0xFF, marker})
			w.Write(lenBytes[:])
			w.Write(payload)
		case marker == jpegAPP1:
			if o := exifOrientation(payload); o > 1 {
				w.Write(orientationSegment(o))
			}
		}
		if marker == jpegSOS {
			marker, err = copyJPEGScan(w, r)
		} else {
			marker, err = nextJPEGMarker(r)
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errBadImage
	}
	return err
}

// nextJPEGMarker reads the marker that must come next, skipping fill bytes.
func nextJPEGMarker(r *bufio.Reader) (byte, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	if b != 0xFF {
		return 0, errBadImage
	}
	for b == 0xFF {
		if b, err = r.ReadByte(); err != nil {
			return 0, err
		}
	}
	if b == 0x00 {
		return 0, errBadImage
	}
	return b, nil
}

// copyJPEGScan copies entropy-coded data up to the next marker that is not a restart, and
// returns that marker.
func copyJPEGScan(w *bufio.Writer, r *bufio.Reader) (byte, error) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != 0xFF {
			w.WriteByte(b)
			continue
		}
		next, err := r.ReadByte()
		for err == nil && next == 0xFF {
			next, err = r.ReadByte()
		}
		if err != nil {
			return 0, err
		}
		if next == 0x00 || (next >= 0xD0 && next <= 0xD7) {
			w.Write([]byte{0xFF, next})
			continue
		}
		return next, nil
	}
}

// exifOrientation reads the Orientation tag (0x0112) of IFD0 from an APP1 EXIF payload;
// 0 when there is none.
func exifOrientation(p []byte) int {
	if !bytes.HasPrefix(p, []byte("Exif\x00\x00")) || len(p) < 14 {
		return 0
	}
	tiff := p[6:]
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int(bo.Uint32(tiff[4:8]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 0
	}
	count := int(bo.Uint16(tiff[ifd:]))
	for i := 0; i < count; i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[e:]) == 0x0112 && bo.Uint16(tiff[e+2:]) == 3 {
			if o := int(bo.Uint16(tiff[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// orientationSegment is an APP1 EXIF segment holding nothing but the Orientation tag.
func orientationSegment(o int) []byte {
	seg := []byte{0xFF, jpegAPP1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // Orientation, SHORT, 1 value
		0, 0, 0, 0} // no next IFD
	return seg
}

// pngMetadataChunks are the PNG chunks that hold metadata rather than the picture.
var pngMetadataChunks = map[string]bool{"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true, "tIME": true}

// stripPNG copies a PNG's chunks but its metadata ones, up to IEND.
func stripPNG(dst io.Writer, src io.Reader) error {
	r := bufio.NewReaderSize(src, 64<<10)
	w := bufio.NewWriterSize(dst, 64<<10)
	var sig [8]byte
	if _, err := io.ReadFull(r, sig[:]); err != nil || string(sig[:]) != "\x89PNG\r\n\x1a\n" {
		return errBadImage
	}
	w.Write(sig[:])
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return errBadImage
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4])) + 4 // data and CRC
		typ := string(hdr[4:])
		if pngMetadataChunks[typ] {
			if _, err := r.Discard(int(n)); err != nil {
				return errBadImage
			}
			continue
		}
		w.Write(hdr[:])
		if _, err := io.CopyN(w, r, n); err != nil {
			if errors.Is(err, io.EOF) {
				return errBadImage
			}
			return err
		}
		if typ == "IEND" {
			return w.Flush()
		}
	}
}

// webpChunk is one chunk of a WebP file: where its header starts and how long its data is.
type webpChunk struct {
	fourCC string
	offset int64
	size   int64 // with the padding byte of odd sizes
}

// stripWebP copies a WebP without its EXIF and XMP chunks, fixing the RIFF size and the VP8X
// flags that announced them.
func stripWebP(dst io.Writer, src io.ReadSeeker) error {
	var hdr [12]byte
	if _, err := io.ReadFull(src, hdr[:]); err != nil {
		return errBadImage
	}
	end := 8 + int64(binary.LittleEndian.Uint32(hdr[4:8]))
	var kept []webpChunk
	total := int64(4)
	for pos := int64(12); pos+8 <= end; {
		var ch [8]byte
		if _, err := src.Seek(pos, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.ReadFull(src, ch[:]); err != nil {
			return errBadImage
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		size += size & 1
		c := webpChunk{fourCC: string(ch[:4]), offset: pos, size: size}
		if c.fourCC != "EXIF" && c.fourCC != "XMP " {
			kept = append(kept, c)
			total += 8 + size
		}
		pos += 8 + size
	}
	if len(kept) == 0 || total > 1<<32-1 {
		return errBadImage
	}
	w := bufio.NewWriterSize(dst, 64<<10)
	w.WriteString("RIFF")
	binary.Write(w, binary.LittleEndian, uint32(total))
	w.WriteString("WEBP")
	for _, c := range kept {
		if _, err := src.Seek(c.offset, io.SeekStart); err != nil {
			return err
		}
		if c.fourCC == "VP8X" && c.size >= 10 {
			buf := make([]byte, 8+c.size)
			if _, err := io.ReadFull(src, buf); err != nil {
				return errBadImage
			}
			buf[8] &^= 0x08 | 0x04 // EXIF and XMP flags
			w.Write(buf)
			continue
		}
		if _, err := io.CopyN(w, src, 8+c.size); err != nil {
			return errBadImage
		}
	}
	return w.Flush()
}

// Thumbnail limits.
const (
	thumbSize = 320
	// maxPixels refuses images whose decoding would take more memory than a photo needs
	// (a 48-megapixel phone photo passes).
	maxPixels = 60_000_000
)

// errTooManyPixels means an image is larger, in pixels, than a photo should be.
var errTooManyPixels = errors.New("too many pixels")

// imageSize reads an image's dimensions from its header without decoding it.
func imageSize(src io.Reader) (int, int, error) {
	cfg, _, err := image.DecodeConfig(src)
	if err != nil {
		return 0, 0, errBadImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, errBadImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, 0, errTooManyPixels
	}
	return cfg.Width, cfg.Height, nil
}

// thumbnail decodes an image, turns it upright, fits it in thumbSize×thumbSize on white and
// encodes it as a JPEG, which carries no metadata. It returns the upright size of the image.
func thumbnail(dst io.Writer, src io.Reader) (int, int, error) {
	img, err := imaging.Decode(src, imaging.AutoOrientation(true))
	if err != nil {
		return 0, 0, errBadImage
	}
	b := img.Bounds()
	t := imaging.Fit(img, thumbSize, thumbSize, imaging.Lanczos)
	bg := imaging.New(t.Bounds().Dx(), t.Bounds().Dy(), color.White)
	bg = imaging.Overlay(bg, t, image.Point{}, 1)
	if err := imaging.Encode(dst, bg, imaging.JPEG, imaging.JPEGQuality(80)); err != nil {
		return 0, 0, err
	}
	return b.Dx(), b.Dy(), nil
}
