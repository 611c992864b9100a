package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
)

var msgImportFile = models.Msg("Gửi một tệp CSV (UTF-8, dấu phẩy hoặc chấm phẩy) hoặc XLSX có dòng tiêu đề.",
	"Send one CSV (UTF-8, commas or semicolons) or XLSX file with a header line.")

// importRows reads an uploaded table, CSV or XLSX, sent as the body or as the multipart field
// "file"; false when it wrote an error.
func (s *Server) importRows(c *gin.Context) ([]models.ImportRow, bool) {
	var data []byte
	var err error
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt == "multipart/form-data" {
		fh, ferr := c.FormFile("file")
		if ferr != nil {
			s.fail(c, models.FieldError("file", msgImportFile))
			return nil, false
		}
		f, ferr := fh.Open()
		if ferr != nil {
			s.fail(c, ferr)
			return nil, false
		}
		defer f.Close()
		data, err = io.ReadAll(f)
	} else {
		data, err = io.ReadAll(c.Request.Body)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		abort(c, http.StatusRequestEntityTooLarge, "too_large", models.Msg("Tệp quá lớn (tối đa 1 MB).", "The file is too large (1 MB at most)."))
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	rows, err := ImportTable(data)
	if err != nil {
		s.fail(c, models.FieldError("file", msgImportFile))
		return nil, false
	}
	return rows, true
}

// ImportTable reads an imported table, CSV or XLSX, into rows by column name (lower-cased),
// numbered by their line in the file and without the blank ones; papi units import reads its
// file with it too.
func ImportTable(data []byte) ([]models.ImportRow, error) {
	table, err := readTable(data)
	if err != nil {
		return nil, err
	}
	if len(table) < 1 {
		return nil, errors.New("no header line")
	}
	header := make([]string, len(table[0]))
	for i, h := range table[0] {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	rows := make([]models.ImportRow, 0, len(table)-1)
	for i, rec := range table[1:] {
		cells := map[string]string{}
		empty := true
		for j, v := range rec {
			if j < len(header) {
				cells[header[j]] = v
				empty = empty && strings.TrimSpace(v) == ""
			}
		}
		if !empty {
			rows = append(rows, models.ImportRow{Line: i + 2, Cells: cells})
		}
	}
	return rows, nil
}

// readTable reads the rows of an XLSX workbook's first sheet, or of a CSV text.
func readTable(data []byte) ([][]string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return f.GetRows(f.GetSheetName(0))
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	first, _, _ := strings.Cut(text, "\n")
	r := csv.NewReader(strings.NewReader(text))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

func (s *Server) importUnits(c *gin.Context) {
	rows, ok := s.importRows(c)
	if !ok {
		return
	}
	res, err := s.store.ImportUnits(c.Request.Context(), actor(c), rows, c.Query("dry_run") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) importReorganizations(c *gin.Context) {
	rows, ok := s.importRows(c)
	if !ok {
		return
	}
	res, err := s.store.ImportReorganizations(c.Request.Context(), actor(c), rows, c.Query("dry_run") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
