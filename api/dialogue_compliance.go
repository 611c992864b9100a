package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// dialogueComplianceRoutes registers what the law asks of a dialogue besides holding it:
// publishing its notice and its results, and the public board's list of them.
func (s *Server) dialogueComplianceRoutes(authed, board *gin.RouterGroup) {
	authed.POST("/dialogues/:id/notice", s.publishDialogueNotice)
	authed.POST("/dialogues/:id/results", s.publishDialogueResults)
	board.GET("/communes/:id/dialogues", publicCache, s.publicDialogues)
}

func (s *Server) publishDialogueNotice(c *gin.Context) {
	s.publishDialogue(c, s.store.PublishDialogueNotice)
}

func (s *Server) publishDialogueResults(c *gin.Context) {
	s.publishDialogue(c, s.store.PublishDialogueResults)
}

// publishDialogue binds a publication, takes the version from the body or If-Match, and
// answers the dialogue as it now reads.
func (s *Server) publishDialogue(c *gin.Context, publish func(ctx context.Context, a models.Actor, id int64, in models.Publication) (*models.Dialogue, error)) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.Publication
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	d, err := publish(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) publicDialogues(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.PublicDialogues(c.Request.Context(), id, c.Query("as"), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}
