package dbtest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Secret is written into every metadata field of the test photos (GPS, XMP, comments, text
// chunks, data after the image): a stored photo that still contains it leaked metadata.
const Secret = "GPS-10.7769N-106.7009E-SECRET"

// picture is a small gradient, so encoders have something to encode.
func picture(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	return img
}

// exifWithGPS is an APP1 EXIF payload (little-endian TIFF) with Orientation 6 in IFD0 and a GPS
// IFD holding a latitude reference and Secret as its map datum.
func exifWithGPS() []byte {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("Exif\x00\x00")
	tiff := &bytes.Buffer{}
	tiff.WriteString("II")
	binary.Write(tiff, le, uint16(42))
	binary.Write(tiff, le, uint32(8))
	// IFD0 at 8: 2 entries (12 bytes each) + next offset = 2+24+4 = 30 bytes, GPS IFD at 38.
	binary.Write(tiff, le, uint16(2))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(tiff, le, tag)
		binary.Write(tiff, le, typ)
		binary.Write(tiff, le, count)
		binary.Write(tiff, le, value)
	}
	entry(0x0112, 3, 1, 6)  // Orientation: rotate 90° clockwise to show
	entry(0x8825, 4, 1, 38) // GPSInfo IFD pointer
	binary.Write(tiff, le, uint32(0))
	// GPS IFD at 38: 2 entries + next = 30 bytes, strings from 68.
	binary.Write(tiff, le, uint16(2))
	entry(0x0001, 2, 2, uint32('N'))                    // GPSLatitudeRef "N"
	entry(0x0012, 2, uint32(len(Secret)+1), uint32(68)) // GPSMapDatum, stored at 68
	binary.Write(tiff, le, uint32(0))
	tiff.WriteString(Secret + "\x00")
	b.Write(tiff.Bytes())
	return b.Bytes()
}

func segment(marker byte, payload []byte) []byte {
	out := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
	return append(out, payload...)
}

// JPEGWithGPS returns a w×h JPEG as a phone would send it: EXIF with orientation and GPS, XMP,
// a comment, and data after the end of the image, all carrying Secret.
func JPEGWithGPS(t testing.TB, w, h int) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, picture(w, h), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	raw := enc.Bytes()
	var out bytes.Buffer
	out.Write(raw[:2]) // SOI
	out.Write(segment(0xE1, exifWithGPS()))
	out.Write(segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>"+Secret+"</exif:GPSLatitude></x:xmpmeta>")))
	out.Write(segment(0xFE, []byte("taken at "+Secret)))
	out.Write(raw[2:])
	out.WriteString("SEFT trailer " + Secret)
	return out.Bytes()
}

// PNGWithText returns a w×h PNG with text and EXIF chunks carrying Secret.
func PNGWithText(t testing.TB, w, h int) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := png.Encode(&enc, picture(w, h)); err != nil {
		t.Fatal(err)
	}
	raw := enc.Bytes()
	chunk := func(typ string, data []byte) []byte {
		out := make([]byte, 4, 12+len(data))
		binary.BigEndian.PutUint32(out, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdrEnd := 8 + 8 + 13 + 4
	var out bytes.Buffer
	out.Write(raw[:ihdrEnd])
	out.Write(chunk("tEXt", []byte("Location\x00"+Secret)))
	out.Write(chunk("eXIf", exifWithGPS()[6:]))
	out.Write(raw[ihdrEnd:])
	return out.Bytes()
}

// tinyWebP is a 1×1 lossless WebP image (a VP8L chunk).
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

// WebPWithExif returns a 1×1 extended WebP whose VP8X header announces EXIF and XMP chunks
// carrying Secret.
func WebPWithExif(t testing.TB) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(tinyWebP)
	if err != nil {
		t.Fatal(err)
	}
	chunk := func(fourCC string, data []byte) []byte {
		out := append([]byte(fourCC), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(out[4:], uint32(len(data)))
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	vp8x := []byte{0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0} // EXIF and XMP flags; canvas 1×1
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, raw[12:]...) // the VP8L chunk
	body = append(body, chunk("EXIF", exifWithGPS()[6:])...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>"+Secret+"</x:xmpmeta>"))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// PDF returns a small PDF document of about size bytes (padded with a comment stream).
func PDF(size int) []byte {
	head := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n%")
	tail := []byte("\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pad := size - len(head) - len(tail)
	if pad < 0 {
		pad = 0
	}
	return append(append(head, bytes.Repeat([]byte("x"), pad)...), tail...)
}
