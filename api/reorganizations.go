package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// reorganizationRoutes registers the unit history endpoints: reorganization acts, lineage,
// rebinding users of ended units, and monitors' sets of communes.
func (s *Server) reorganizationRoutes(authed *gin.RouterGroup) {
	authed.GET("/reorganizations", s.listReorganizations)
	authed.POST("/reorganizations", s.applyReorganization)
	authed.POST("/reorganizations/preview", s.previewReorganization)
	authed.POST("/reorganizations/import", s.importReorganizations)
	authed.POST("/units/import", s.importUnits)
	authed.GET("/reorganizations/:id", s.getReorganization)
	authed.GET("/units/:id/lineage", s.unitLineage)
	authed.GET("/users/rebind", s.usersToRebind)
	authed.POST("/users/rebind", s.rebindUsers)
	authed.GET("/users/:id/communes", s.monitorCommunes)
	authed.PUT("/users/:id/communes", s.setMonitorCommunes)
}

func (s *Server) listReorganizations(c *gin.Context) {
	acts, err := s.store.Reorganizations(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, acts, "")
}

func (s *Server) getReorganization(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	act, err := s.store.Reorganization(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, act)
}

func (s *Server) previewReorganization(c *gin.Context) {
	var in models.ReorganizationInput
	if !s.bind(c, &in) {
		return
	}
	pv, err := s.store.PreviewReorganization(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, pv)
}

func (s *Server) applyReorganization(c *gin.Context) {
	var in models.ReorganizationInput
	if !s.bind(c, &in) {
		return
	}
	act, err := s.store.ApplyReorganization(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, act)
}

func (s *Server) unitLineage(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	l, err := s.store.UnitLineage(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, l)
}

func (s *Server) usersToRebind(c *gin.Context) {
	users, err := s.store.UsersToRebind(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, users, "")
}

func (s *Server) rebindUsers(c *gin.Context) {
	var in models.RebindInput
	if !s.bind(c, &in) {
		return
	}
	users, err := s.store.RebindUsers(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, users, "")
}

func (s *Server) monitorCommunes(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	units, err := s.store.MonitorCommunes(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, units, "")
}

// monitorSet is the body of PUT /users/{id}/communes.
type monitorSet struct {
	CommuneIDs []int64 `json:"commune_ids" binding:"max=500"`
}

func (s *Server) setMonitorCommunes(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in monitorSet
	if !s.bind(c, &in) {
		return
	}
	units, err := s.store.SetMonitorCommunes(c.Request.Context(), actor(c), id, in.CommuneIDs)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, units, "")
}
