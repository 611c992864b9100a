package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// topicRoutes registers the topic list and its edits.
func (s *Server) topicRoutes(authed *gin.RouterGroup) {
	authed.GET("/topics", s.listTopics)
	authed.POST("/topics", s.createTopic)
	authed.PATCH("/topics/:id", s.updateTopic)
	authed.DELETE("/topics/:id", s.deleteTopic)
}

func (s *Server) listTopics(c *gin.Context) {
	topics, err := s.store.Topics(c.Request.Context(), c.Query("all") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, topics, "")
}

func (s *Server) createTopic(c *gin.Context) {
	var in models.TopicInput
	if !s.bind(c, &in) {
		return
	}
	t, err := s.store.CreateTopic(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, t)
}

func (s *Server) updateTopic(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.TopicPatch
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	t, err := s.store.UpdateTopic(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (s *Server) deleteTopic(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	if err := s.store.DeleteTopic(c.Request.Context(), actor(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
