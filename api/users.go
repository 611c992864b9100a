package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

func (s *Server) listUsers(c *gin.Context) {
	p, ok := page(c)
	if !ok {
		return
	}
	f := models.UserFilter{Page: p, Role: models.Role(c.Query("role"))}
	if v := c.Query("unit_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			abortFields(c, "unit_id", models.Msg("Mã đơn vị phải là số.", "unit_id must be a number."))
			return
		}
		f.UnitID = &id
	}
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

type userRequest struct {
	Username string      `json:"username" binding:"required,max=64"`
	Password string      `json:"password" binding:"required,max=200"`
	FullName string      `json:"full_name" binding:"max=120"`
	Role     models.Role `json:"role" binding:"required"`
	UnitID   int64       `json:"unit_id" binding:"required"`
}

func (s *Server) createUser(c *gin.Context) {
	var req userRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.store.CreateUser(c.Request.Context(), actor(c), models.UserInput{
		Username: req.Username, Password: req.Password, FullName: req.FullName, Role: req.Role, UnitID: req.UnitID})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

type userPatchRequest struct {
	FullName *string      `json:"full_name" binding:"omitempty,max=120"`
	Role     *models.Role `json:"role"`
	UnitID   *int64       `json:"unit_id"`
	Password *string      `json:"password" binding:"omitempty,max=200"`
	Active   *bool        `json:"active"`
	Version  *int         `json:"version"`
}

func (s *Server) updateUser(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req userPatchRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.store.UpdateUser(c.Request.Context(), actor(c), id, models.UserPatch{
		FullName: req.FullName, Role: req.Role, UnitID: req.UnitID, Password: req.Password,
		Active: req.Active, Version: ifMatchVersion(c, req.Version)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
