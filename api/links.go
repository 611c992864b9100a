package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// linkRoutes registers the links of petitions raising one matter to a main petition.
func (s *Server) linkRoutes(authed *gin.RouterGroup) {
	authed.GET("/petitions/:id/links", s.petitionLinks)
	authed.POST("/petitions/:id/link", s.linkPetition)
	authed.POST("/petitions/:id/unlink", s.unlinkPetition)
}

func (s *Server) petitionLinks(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	out, err := s.store.Links(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) linkPetition(c *gin.Context) {
	s.changeLink(c, s.store.LinkPetition)
}

func (s *Server) unlinkPetition(c *gin.Context) {
	s.changeLink(c, s.store.UnlinkPetition)
}

// changeLink binds a link request and answers with the petition as the change left it.
func (s *Server) changeLink(c *gin.Context, change func(ctx context.Context, a models.Actor, id int64, in models.PetitionLink) (*models.Petition, error)) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.PetitionLink
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := change(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
