package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// publicRoutes registers the public board: no session, so no CSRF either; only GETs.
func (s *Server) publicRoutes(public *gin.RouterGroup) {
	public.GET("/communes", s.publicCommunes)
	public.GET("/communes/:id/petitions", s.publicPetitions)
	public.GET("/communes/:id/summary", s.publicSummary)
	public.GET("/petitions/:reference", s.publicPetition)
}

// The public board: no session, no personal data. What is public is decided in models/public.go.

// publicCache lets browsers and proxies keep a public answer for a minute.
func publicCache(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=60")
}

func (s *Server) publicPetitions(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.PublicPetitions(c.Request.Context(), id, models.PublicFilter{
		Topic: c.Query("topic"), StateType: c.Query("state_type"), HamletID: c.Query("hamlet_id"), Page: pg})
	if err != nil {
		s.fail(c, err)
		return
	}
	publicCache(c)
	list(c, items, next)
}

func (s *Server) publicCommunes(c *gin.Context) {
	communes, err := s.store.PublicCommunes(c.Request.Context(), c.Query("q"))
	if err != nil {
		s.fail(c, err)
		return
	}
	publicCache(c)
	list(c, communes, "")
}

func (s *Server) publicSummary(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	sum, err := s.store.PublicCommuneSummary(c.Request.Context(), id, c.Query("as"))
	if err != nil {
		s.fail(c, err)
		return
	}
	publicCache(c)
	c.JSON(http.StatusOK, sum)
}

func (s *Server) publicPetition(c *gin.Context) {
	p, err := s.store.PublicPetition(c.Request.Context(), c.Param("reference"))
	if err != nil {
		s.fail(c, err)
		return
	}
	publicCache(c)
	c.JSON(http.StatusOK, p)
}
