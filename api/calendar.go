package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// calendarRoutes registers the working-day calendar: its holidays and the Government's
// decisions about days off and swapped working days, which admins keep.
func (s *Server) calendarRoutes(authed *gin.RouterGroup) {
	authed.GET("/calendar", s.calendarYear)
	authed.PUT("/calendar/days/:date", s.setCalendarDay)
	authed.DELETE("/calendar/days/:date", s.deleteCalendarDay)
}

func (s *Server) calendarYear(c *gin.Context) {
	days, err := s.store.CalendarYear(c.Request.Context(), c.Query("year"))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, days, "")
}

func (s *Server) setCalendarDay(c *gin.Context) {
	var in models.CalendarDecision
	if !s.bind(c, &in) {
		return
	}
	d, err := s.store.SetCalendarDay(c.Request.Context(), actor(c), c.Param("date"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) deleteCalendarDay(c *gin.Context) {
	if err := s.store.DeleteCalendarDay(c.Request.Context(), actor(c), c.Param("date")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
