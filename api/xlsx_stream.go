package api

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheetPart is where a workbook with one sheet keeps it.
const sheetPart = "xl/worksheets/sheet1.xml"

// xlsxStream writes a one-sheet workbook to a response as its rows come: excelize's stream
// writer makes the workbook with its styles, column widths, frozen panes and header row; the
// other parts are sent at once, then the sheet's own XML up to its last row, then each data
// row as it is written, then the sheet's end. Nothing but a row and the compressor's window
// is held in memory, and the first bytes leave before the first row is read.
type xlsxStream struct {
	buf   *bufio.Writer
	zw    *zip.Writer
	sheet io.Writer
	end   []byte
	flush func()
	row   int
	line  []byte
}

// newXLSXStream sends every part of the template workbook f except its sheet, then the sheet
// up to where its rows end. f must have been written by a StreamWriter that was flushed.
func newXLSXStream(w http.ResponseWriter, f *excelize.File) (*xlsxStream, error) {
	tmpl, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(tmpl.Bytes()), int64(tmpl.Len()))
	if err != nil {
		return nil, err
	}
	var sheetXML []byte
	for _, part := range zr.File {
		if part.Name == sheetPart {
			if sheetXML, err = readPart(part); err != nil {
				return nil, err
			}
		}
	}
	head, end, ok := bytes.Cut(sheetXML, []byte("</sheetData>"))
	if !ok {
		return nil, errors.New("xlsx: the template sheet has no rows element")
	}
	head = dropDimension(head)
	w.WriteHeader(http.StatusOK)
	x := &xlsxStream{buf: bufio.NewWriterSize(w, 32<<10), end: append([]byte("</sheetData>"), end...)}
	if fl, ok := w.(http.Flusher); ok {
		x.flush = fl.Flush
	}
	x.zw = zip.NewWriter(x.buf)
	for _, part := range zr.File {
		if part.Name == sheetPart {
			continue
		}
		if err := copyPart(x.zw, part); err != nil {
			return nil, err
		}
	}
	if x.sheet, err = x.zw.Create(sheetPart); err != nil {
		return nil, err
	}
	if _, err := x.sheet.Write(head); err != nil {
		return nil, err
	}
	x.row = bytes.Count(head, []byte("<row "))
	return x, x.Flush()
}

// readPart reads one part of a zip archive.
func readPart(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// copyPart copies one part of the template into the response's archive.
func copyPart(zw *zip.Writer, f *zip.File) error {
	data, err := readPart(f)
	if err != nil {
		return err
	}
	w, err := zw.Create(f.Name)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// dimensionElement is the sheet's used range, self-closed or not.
var dimensionElement = regexp.MustCompile(`<dimension [^>]*?(/>|>\s*</dimension>)`)

// dropDimension removes the sheet's used range, which the template states for its header row
// only; without it a reader works the range out from the rows.
func dropDimension(head []byte) []byte {
	return dimensionElement.ReplaceAll(head, nil)
}

// excelEpoch is day 0 of a workbook's dates (1900 date system, after Excel's leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// WriteRow writes the next row: strings as inline text, times (already wall-clock, see
// wallClock) as dates with the style given for their column, nil as an empty cell.
func (x *xlsxStream) WriteRow(cells []any, styles []int) error {
	x.row++
	r := strconv.Itoa(x.row)
	b := append(x.line[:0], `<row r="`...)
	b = append(b, r...)
	b = append(b, `">`...)
	for i, v := range cells {
		switch val := v.(type) {
		case nil:
			continue
		case time.Time:
			b = append(b, `<c r="`...)
			b = append(b, cellCol(i+1)...)
			b = append(b, r...)
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(styles[i]), 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendFloat(b, val.Sub(excelEpoch).Hours()/24, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		default:
			s, ok := v.(string)
			if !ok {
				s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(toText(v), "\r", " "), "\n", " "))
			}
			if s == "" {
				continue
			}
			b = append(b, `<c r="`...)
			b = append(b, cellCol(i+1)...)
			b = append(b, r...)
			b = append(b, `" t="inlineStr"><is><t xml:space="preserve">`...)
			b = appendXMLText(b, s)
			b = append(b, `</t></is></c>`...)
		}
	}
	b = append(b, `</row>`...)
	x.line = b
	_, err := x.sheet.Write(b)
	return err
}

// toText formats a value that is not a string or a time.
func toText(v any) string {
	switch val := v.(type) {
	case int:
		return strconv.Itoa(val)
	case int64:
		return strconv.FormatInt(val, 10)
	case float64:
		return strconv.FormatFloat(val, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(val)
	}
	return ""
}

// appendXMLText appends s escaped for XML text, leaving out what XML 1.0 cannot carry.
func appendXMLText(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 && r <= 0x10FFFF:
			if r == utf8.RuneError {
				continue
			}
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// Flush sends what is buffered to the client.
func (x *xlsxStream) Flush() error {
	if err := x.buf.Flush(); err != nil {
		return err
	}
	if x.flush != nil {
		x.flush()
	}
	return nil
}

// Close ends the sheet and the archive and sends the rest.
func (x *xlsxStream) Close() error {
	if _, err := x.sheet.Write(x.end); err != nil {
		return err
	}
	if err := x.zw.Close(); err != nil {
		return err
	}
	return x.Flush()
}
