package api

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// exportPetitions streams the petition list, with the list's filters, as CSV or XLSX.
func (s *Server) exportPetitions(c *gin.Context) {
	ctx := c.Request.Context()
	exp, err := s.store.PreparePetitionExport(ctx, actor(c), models.PetitionExportInput{
		Filter: petitionFilter(c, models.Page{Cursor: c.Query("cursor")}), Format: c.Query("format"),
		Personal: c.Query("personal"), RemoteAddr: auditAddr(c)})
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "y-kien-" + string(calendar.DateOf(s.store.Now()))
	if exp.Format == models.ExportXLSX {
		s.petitionsXLSX(c, exp, name+".xlsx")
		return
	}
	s.petitionsCSV(c, exp, name+".csv")
}

// auditAddr is where an export request came from, for the export log: the connection's address,
// which a client cannot forge, and what a proxy says it forwarded for, marked as such.
func auditAddr(c *gin.Context) string {
	addr := c.Request.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if fwd := c.GetHeader("X-Forwarded-For"); fwd != "" {
		addr += " (X-Forwarded-For: " + fwd + ")"
	}
	if len(addr) > 300 {
		addr = addr[:300]
	}
	return addr
}

// petitionsCSV writes UTF-8 with a byte order mark, so Excel shows the diacritics, and flushes
// as it goes. Once rows are on the wire a failure can only cut the download short.
func (s *Server) petitionsCSV(c *gin.Context, exp *models.PetitionExport, filename string) {
	attachment(c, "text/csv; charset=utf-8", filename)
	c.Status(http.StatusOK)
	buf := bufio.NewWriterSize(c.Writer, 64<<10)
	_, _ = buf.WriteString("\uFEFF")
	w := csv.NewWriter(buf)
	w.UseCRLF = true
	cols := models.PetitionExportColumns(exp.Personal)
	record := make([]string, len(cols))
	for i, col := range cols {
		record[i] = col.Header
	}
	_ = w.Write(record)
	n := 0
	err := exp.Each(c.Request.Context(), func(r *models.PetitionExportRow) error {
		for i, v := range r.Cells(exp.Personal) {
			record[i] = csvCell(v, cols[i].Type)
		}
		if err := w.Write(record); err != nil {
			return err
		}
		if n++; n%1000 == 0 {
			w.Flush()
			if err := buf.Flush(); err != nil {
				return err
			}
			c.Writer.Flush()
		}
		return nil
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "export cut short", "request_id", c.GetString(ctxRequestID), "rows", n, "error", err)
		panic(http.ErrAbortHandler)
	}
}

// csvCell writes a value as Excel in Vietnam reads it: days as dd/mm/yyyy. Text that a
// spreadsheet would take for a formula (=, +, -, @, tab, carriage return first) gets a leading
// apostrophe, so a typed-in name or phone number can never run as one.
func csvCell(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case time.Time:
		if typ == models.CellDate {
			return x.Format("02/01/2006")
		}
		return x.Format("02/01/2006 15:04")
	}
	return fmt.Sprint(v)
}

// petitionsXLSX streams the workbook: excelize's stream writer makes the sheet with its header
// row and styles, and the rows go to the client as the database cursor gives them (see
// xlsxStream), so the download starts at once and memory stays flat. Once rows are on the wire a
// failure can only cut the download short.
func (s *Server) petitionsXLSX(c *gin.Context, exp *models.PetitionExport, filename string) {
	f := excelize.NewFile()
	defer f.Close()
	cols := models.PetitionExportColumns(exp.Personal)
	styles, err := petitionsSheet(f, cols)
	if err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, xlsxType, filename)
	x, err := newXLSXStream(c.Writer, f)
	if err == nil {
		n := 0
		err = exp.Each(c.Request.Context(), func(r *models.PetitionExportRow) error {
			cells := r.Cells(exp.Personal)
			for i, v := range cells {
				if t, ok := v.(time.Time); ok {
					cells[i] = wallClock(t)
				}
			}
			if n++; n%1000 == 0 {
				if err := x.Flush(); err != nil {
					return err
				}
			}
			return x.WriteRow(cells, styles)
		})
		if err == nil {
			err = x.Close()
		}
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "write workbook", "request_id", c.GetString(ctxRequestID), "error", err)
	}
}

// petitionsSheet makes the export's sheet in f with its header row, column widths and frozen
// header, and returns the style of each column's dates.
func petitionsSheet(f *excelize.File, cols []models.ExportColumn) ([]int, error) {
	const sheet = "Ý kiến"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	dateTime, day := "dd/mm/yyyy hh:mm", "dd/mm/yyyy"
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTime})
	if err != nil {
		return nil, err
	}
	dayStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &day})
	if err != nil {
		return nil, err
	}
	styles := make([]int, len(cols))
	row := make([]any, len(cols))
	for i, col := range cols {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return nil, err
		}
		row[i] = excelize.Cell{StyleID: header, Value: col.Header}
		styles[i] = timeStyle
		if col.Type == models.CellDate {
			styles[i] = dayStyle
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	return styles, sw.Flush()
}
