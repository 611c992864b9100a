package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

func (s *Server) listTopics(c *gin.Context) {
	topics, err := s.store.Topics(c.Request.Context(), c.Query("all") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, topics, "")
}

type topicRequest struct {
	Code          string `json:"code" binding:"required,max=16"`
	NameVI        string `json:"name_vi" binding:"required,max=120"`
	NameEN        string `json:"name_en" binding:"required,max=120"`
	ResponseDays  int    `json:"response_days" binding:"required,min=1,max=365"`
	PAPIDimension string `json:"papi_dimension" binding:"required,oneof=participation transparency vertical_accountability control_of_corruption administrative_procedures public_service_delivery environmental_governance e_governance"`
}

func (s *Server) createTopic(c *gin.Context) {
	var req topicRequest
	if !s.bind(c, &req) {
		return
	}
	t, err := s.store.CreateTopic(c.Request.Context(), actor(c), models.TopicInput{
		Code: req.Code, NameVI: req.NameVI, NameEN: req.NameEN, ResponseDays: req.ResponseDays, PAPIDimension: req.PAPIDimension})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, t)
}

type topicPatchRequest struct {
	NameVI        *string `json:"name_vi" binding:"omitempty,max=120"`
	NameEN        *string `json:"name_en" binding:"omitempty,max=120"`
	ResponseDays  *int    `json:"response_days" binding:"omitempty,min=1,max=365"`
	PAPIDimension *string `json:"papi_dimension" binding:"omitempty,oneof=participation transparency vertical_accountability control_of_corruption administrative_procedures public_service_delivery environmental_governance e_governance"`
	Active        *bool   `json:"active"`
	Version       *int    `json:"version"`
}

func (s *Server) updateTopic(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req topicPatchRequest
	if !s.bind(c, &req) {
		return
	}
	t, err := s.store.UpdateTopic(c.Request.Context(), actor(c), id, models.TopicPatch{
		NameVI: req.NameVI, NameEN: req.NameEN, ResponseDays: req.ResponseDays, PAPIDimension: req.PAPIDimension,
		Active: req.Active, Version: ifMatchVersion(c, req.Version)})
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
