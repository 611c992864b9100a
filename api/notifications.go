package api

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// notificationRoutes adds the routes of consent, messages and the outbox. The opt-out link is
// public: its POST needs no session, only the secret token the resident's message carries.
func (s *Server) notificationRoutes(public, authed *gin.RouterGroup) {
	public.GET("/opt-out/:token", s.optOutForm)
	public.POST("/opt-out/:token", s.optOut)
	public.POST("/replies/:channel", s.inboundReply)
	authed.PUT("/petitions/:id/consent", s.updateConsent)
	authed.POST("/petitions/:id/notices", s.sendResidentNotice)
	authed.GET("/petitions/:id/receipt", s.petitionReceipt)
	authed.GET("/notifications", s.myNotifications)
	authed.POST("/notifications/read", s.markNotificationsRead)
	authed.GET("/outbox", s.outbox)
	authed.POST("/outbox/:id/resend", s.resendNotification)
	authed.GET("/notification-templates", s.notificationTemplates)
	authed.PUT("/notification-templates/:event/:channel", s.updateNotificationTemplate)
}

// consentUpdateRequest is a change of the resident's consent, with the version the client saw.
type consentUpdateRequest struct {
	models.ConsentInput
	Version *int `json:"version"`
}

func (s *Server) updateConsent(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req consentUpdateRequest
	if !s.bind(c, &req) {
		return
	}
	p, err := s.store.UpdateConsent(c.Request.Context(), actor(c), id, req.ConsentInput, ifMatchVersion(c, req.Version))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type residentNoticeRequest struct {
	Event string `json:"event" binding:"required"`
}

// sendResidentNotice is the chair sending the resident a message by hand (a denunciation's only way).
func (s *Server) sendResidentNotice(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req residentNoticeRequest
	if !s.bind(c, &req) {
		return
	}
	if err := s.store.SendResidentNotice(c.Request.Context(), actor(c), id, models.NoticeEvent(req.Event)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

var optOutPage = template.Must(template.New("optout").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Từ chối nhận thông báo</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">
{{if .Done}}<p>Ông/bà sẽ không nhận thêm thông báo về ý kiến {{.Reference}}.</p>
{{else}}<p>Ông/bà không muốn nhận thêm thông báo về ý kiến này?</p>
<form method="post"><button type="submit">Từ chối nhận thông báo</button></form>{{end}}
</body></html>`))

// optOutForm shows the button of an opt-out link; a GET changes nothing, so a link preview
// cannot opt a resident out.
func (s *Server) optOutForm(c *gin.Context) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	_ = optOutPage.Execute(c.Writer, map[string]any{"Done": false})
}

func (s *Server) optOut(c *gin.Context) {
	ref, err := s.store.OptOut(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.GetHeader("Accept") == "application/json" {
		c.JSON(http.StatusOK, gin.H{"reference": ref, "opted_out": true})
		return
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	_ = optOutPage.Execute(c.Writer, map[string]any{"Done": true, "Reference": ref})
}

func (s *Server) myNotifications(c *gin.Context) {
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, unread, err := s.store.MyNotifications(c.Request.Context(), actor(c), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	if items == nil {
		items = []models.UserNotification{}
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next, "unread": unread})
}

type markReadRequest struct {
	ID int64 `json:"id"`
}

func (s *Server) markNotificationsRead(c *gin.Context) {
	var req markReadRequest
	if !s.bind(c, &req) {
		return
	}
	if err := s.store.MarkNotificationsRead(c.Request.Context(), actor(c), req.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) outbox(c *gin.Context) {
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.Notifications(c.Request.Context(), actor(c), c.Query("status"), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) resendNotification(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	n, err := s.store.ResendNotification(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

func (s *Server) notificationTemplates(c *gin.Context) {
	items, err := s.store.NotificationTemplates(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, "")
}

type templateRequest struct {
	Subject        string `json:"subject"`
	Body           string `json:"body" binding:"required"`
	ZaloTemplateID string `json:"zalo_template_id"`
	Version        *int   `json:"version"`
}

func (s *Server) updateNotificationTemplate(c *gin.Context) {
	e, ch := models.NoticeEvent(c.Param("event")), models.NotifyChannel(c.Param("channel"))
	if !e.Valid() || !ch.Valid() {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
		return
	}
	var req templateRequest
	if !s.bind(c, &req) {
		return
	}
	t, err := s.store.UpdateNotificationTemplate(c.Request.Context(), actor(c), e, ch, models.TemplateInput{
		Subject: req.Subject, Body: req.Body, ZaloTemplateID: req.ZaloTemplateID, Version: ifMatchVersion(c, req.Version)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

type replyRequest struct {
	From string `json:"from" form:"from" binding:"required"`
	Text string `json:"text" form:"text"`
}

// inboundReply takes the replies an SMS gateway or Zalo forwards (JSON or a form, with the
// configured bearer token): a keyword such as "TỪ CHỐI" opts the sender out at once.
func (s *Server) inboundReply(c *gin.Context) {
	tok, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if s.cfg.ReplyToken == "" || !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.ReplyToken)) != 1 {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
		return
	}
	var req replyRequest
	if err := c.ShouldBind(&req); err != nil || req.From == "" {
		abortFields(c, "from", models.Msg("Thiếu số điện thoại người gửi.", "The sender's number is missing."))
		return
	}
	n, err := s.store.OptOutByReply(c.Request.Context(), models.NotifyChannel(c.Param("channel")), req.From, req.Text)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"opted_out": n})
}
