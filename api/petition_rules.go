package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// petitionRules serves the rules of a new petition that need no database, for the device to
// check an entry with, offline too.
func petitionRules(c *gin.Context) {
	c.JSON(http.StatusOK, models.NewPetitionRules())
}
