package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// userRoutes registers the user accounts.
func (s *Server) userRoutes(authed *gin.RouterGroup) {
	authed.GET("/users", s.listUsers)
	authed.POST("/users", s.createUser)
	authed.GET("/users/:id", s.getUser)
	authed.PATCH("/users/:id", s.updateUser)
}

func (s *Server) listUsers(c *gin.Context) {
	p, ok := page(c)
	if !ok {
		return
	}
	f := models.UserFilter{Page: p, Role: models.Role(c.Query("role")), UnitID: c.Query("unit_id")}
	users, next, err := s.store.Users(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, users, next)
}

func (s *Server) getUser(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	u, err := s.store.User(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *Server) createUser(c *gin.Context) {
	var in models.UserInput
	if !s.bind(c, &in) {
		return
	}
	u, err := s.store.CreateUser(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (s *Server) updateUser(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.UserPatch
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	u, err := s.store.UpdateUser(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
