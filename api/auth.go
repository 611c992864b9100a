package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "papi_session"

// session loads the actor behind the session cookie, if any, and enforces CSRF: an unsafe
// request made with a valid session must carry X-CSRF-Token equal to the session's token.
func (s *Server) session(c *gin.Context) {
	token, err := c.Cookie(SessionCookie)
	if err != nil || token == "" {
		c.Next()
		return
	}
	actor, sess, user, err := s.store.Authenticate(c.Request.Context(), token, s.cfg.SessionIdle)
	if errors.Is(err, models.ErrUnauthenticated) {
		c.Next() // a stale cookie is no session: public routes still answer
		return
	}
	if errors.Is(err, models.ErrUnitEnded) {
		c.Set(ctxUnitEnded, true) // public routes still answer; the others say why not
		c.Next()
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if unsafeMethod(c.Request.Method) && c.FullPath() != "/api/v1/auth/login" &&
		c.GetHeader("X-CSRF-Token") != sess.CSRFToken {
		abort(c, http.StatusForbidden, "csrf_failed", msgCSRF)
		return
	}
	c.Set(ctxActor, actor)
	c.Set(ctxSession, sess)
	c.Set(ctxUser, user)
	if !unsafeMethod(c.Request.Method) {
		// A read resolves units at the versions read with the session: one round trip fewer.
		c.Request = c.Request.WithContext(s.store.ReadingWith(c.Request.Context(), sess))
	}
	c.Next()
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// requireActor answers 401 to a request without a valid session.
func (s *Server) requireActor(c *gin.Context) {
	if _, ok := c.Get(ctxActor); !ok {
		if c.GetBool(ctxUnitEnded) {
			abort(c, http.StatusForbidden, "unit_reorganized", msgUnitEnded)
			return
		}
		abort(c, http.StatusUnauthorized, "unauthenticated", msgUnauth)
		return
	}
	c.Next()
}

// actor returns the signed-in actor; requireActor guarantees one.
func actor(c *gin.Context) models.Actor {
	a, _ := c.Get(ctxActor)
	act, _ := a.(models.Actor)
	return act
}

// meResponse is the signed-in user as the SPA needs it.
type meResponse struct {
	*models.User
	Unit        *models.Unit        `json:"unit"`
	Permissions []models.Permission `json:"permissions"`
	// RoleLabel names the role as the user's place calls it ("Cán bộ theo dõi" where there is no district).
	RoleLabel models.Message `json:"role_label"`
	CSRFToken string         `json:"csrf_token"`
	// PasswordChangeRequired asks the web app to have the user choose a new password: theirs
	// falls short of the password rules.
	PasswordChangeRequired bool `json:"password_change_required"`
}

func (s *Server) meFor(c *gin.Context, u *models.User, sess *models.Session) (*meResponse, error) {
	unit, err := s.store.Unit(c.Request.Context(), models.SystemActor(), u.UnitID)
	if err != nil {
		return nil, err
	}
	return &meResponse{User: u, Unit: unit, Permissions: models.ActorOf(u, unit).Permissions(),
		RoleLabel: models.RoleLabel(u.Role, unit), CSRFToken: sess.CSRFToken, PasswordChangeRequired: u.PasswordChangeRequired}, nil
}

// msgHTTPSRequired explains a sign-in refused because its cookie could never come back.
var msgHTTPSRequired = models.Msg(
	"Không thể đăng nhập qua HTTP thường: máy chủ chỉ gửi cookie phiên qua HTTPS (PAPI_COOKIE_SECURE đang bật), "+
		"nên trình duyệt sẽ không gửi lại cookie. Hãy mở địa chỉ https://, hoặc trong mạng nội bộ tin cậy, "+
		"quản trị viên đặt PAPI_COOKIE_SECURE=false.",
	"Sign-in over plain HTTP cannot work here: this server marks its session cookie Secure (PAPI_COOKIE_SECURE is on), "+
		"so the browser would not send it back. Open the https:// address, or, on a trusted local network, "+
		"have the administrator set PAPI_COOKIE_SECURE=false.")

func (s *Server) login(c *gin.Context) {
	if s.cfg.CookieSecure && !s.cookieComesBack(c.Request) {
		// Signing in would succeed and the next request fail with 401: say why now instead.
		abort(c, http.StatusForbidden, "https_required", msgHTTPSRequired)
		return
	}
	var in models.Credentials
	if !s.bind(c, &in) {
		return
	}
	in.Address = c.ClientIP()
	sess, user, token, err := s.store.Login(c.Request.Context(), in, s.cfg.SessionTTL)
	if errors.Is(err, models.ErrUnauthenticated) || errors.Is(err, models.ErrRateLimited) {
		// For the auditor: who was tried, from where (the real client behind a trusted proxy).
		s.log.WarnContext(c.Request.Context(), "sign-in failed", "request_id", c.GetString(ctxRequestID),
			"username", in.Username, "client", c.ClientIP(), "rate_limited", errors.Is(err, models.ErrRateLimited))
	}
	switch {
	case err != nil && s.outage(c, err): // a failed lookup is no wrong password
		return
	case errors.Is(err, models.ErrUnauthenticated):
		abort(c, http.StatusUnauthorized, "bad_credentials", msgBadLogin)
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	me, err := s.meFor(c, user, sess)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.InfoContext(c.Request.Context(), "login", "request_id", c.GetString(ctxRequestID), "user_id", user.ID, "client", c.ClientIP())
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionTTL.Seconds()),
	})
	c.JSON(http.StatusOK, me)
}

func (s *Server) logout(c *gin.Context) {
	if token, err := c.Cookie(SessionCookie); err == nil && token != "" {
		if err := s.store.Logout(c.Request.Context(), token); err != nil {
			s.fail(c, err)
			return
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	u, _ := c.Get(ctxUser)
	sess, _ := c.Get(ctxSession)
	me, err := s.meFor(c, u.(*models.User), sess.(*models.Session))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, me)
}

// updateMe changes the signed-in user's own contact and answers as GET /auth/me does.
func (s *Server) updateMe(c *gin.Context) {
	var in models.ContactInput
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	u, err := s.store.UpdateOwnContact(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	sess, _ := c.Get(ctxSession)
	me, err := s.meFor(c, u, sess.(*models.Session))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, me)
}

func (s *Server) changePassword(c *gin.Context) {
	var in models.PasswordChange
	if !s.bind(c, &in) {
		return
	}
	sess, _ := c.Get(ctxSession)
	err := s.store.ChangePassword(c.Request.Context(), actor(c), sess.(*models.Session).ID, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
