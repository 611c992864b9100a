package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// The rules the device checks a new petition with are those of models, to a signed-in user only.
func TestPetitionRulesAreServedFromModels(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		expect(t, e.anon().do("GET", "/api/v1/petitions/rules", nil), http.StatusUnauthorized)
		r := e.as(e.world.SecretaryA).do("GET", "/api/v1/petitions/rules", nil)
		expect(t, r, http.StatusOK)
		want, err := json.Marshal(models.NewPetitionRules())
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(r.Body.String()) != string(want) {
			t.Fatalf("served %s\nwant %s", r.Body.String(), want)
		}
	})
}
