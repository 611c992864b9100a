package api

import "github.com/gin-gonic/gin"

// hstsMaxAge keeps browsers on HTTPS for a year once they have seen the site over it.
const hstsMaxAge = "max-age=31536000"

// securityHeaders marks every response nosniff, so a browser never runs a JSON answer or an
// export as something else, and, when cookies are Secure (the site is served over HTTPS),
// tells browsers to come back only over HTTPS.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if s.cfg.CookieSecure {
		h.Set("Strict-Transport-Security", hstsMaxAge)
	}
	c.Next()
}

// noStore keeps the answers of the signed-in API, which hold personal data (petitioners'
// names and phones, users), out of browser and proxy caches.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}
