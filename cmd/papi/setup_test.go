package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// readmeCommands returns the papi command lines of a README section, split into words as a
// shell would (double quotes group words).
func readmeCommands(t *testing.T, heading string) [][]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("README has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var cmds [][]string
	for _, line := range strings.Split(section, "\n") {
		line, _, _ = strings.Cut(line, " #")
		if !strings.HasPrefix(line, "papi ") {
			continue
		}
		var words []string
		for i, part := range strings.Split(strings.TrimPrefix(line, "papi "), `"`) {
			if i%2 == 1 {
				words = append(words, part)
			} else {
				words = append(words, strings.Fields(part)...)
			}
		}
		cmds = append(cmds, words)
	}
	return cmds
}

// The README's "Set up for a real province", run command by command from an empty database,
// ends with the commune chair it created signed in over the API.
func TestSetUpARealProvinceFromNothing(t *testing.T) {
	cmds := readmeCommands(t, "Set up for a real province")
	if len(cmds) < 4 || cmds[len(cmds)-1][0] != "serve" {
		t.Fatalf("the README section lists %v; want init, units import, user add and serve", cmds)
	}
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			vars := map[string]string{}
			url := dbtest.NewEmptyDatabase(t, d)
			if d == models.Postgres {
				vars["PAPI_DATABASE_URL"] = url
			} else {
				vars["PAPI_DATA_DIR"] = filepath.Dir(url)
			}
			const password = "mat-khau-that-dai"
			passwords := map[string]string{}
			for _, line := range cmds[:len(cmds)-1] {
				words := append([]string(nil), line...)
				for i, w := range words {
					if strings.HasSuffix(w, ".csv") {
						words[i] = filepath.Join("..", "..", w)
					}
					if w == "--username" {
						passwords[words[i+1]] = password
					}
				}
				e, out := testEnv(vars["PAPI_DATA_DIR"], password+"\n", vars)
				if err := run(ctx, words, e); err != nil {
					t.Fatalf("papi %s: %v", strings.Join(words, " "), err)
				}
				if words[0] == "init" {
					e, _ := testEnv(vars["PAPI_DATA_DIR"], password+"\n", vars)
					if err := run(ctx, words, e); err == nil || !strings.Contains(err.Error(), "runs once") {
						t.Fatalf("a second init: %v", err)
					}
				}
				t.Logf("papi %s: %s", strings.Join(words, " "), out)
			}
			addr := startServe(t, vars)
			var chair string
			for name := range passwords {
				if name != "admin" {
					chair = name
				}
			}
			me := signIn(t, addr, chair, password)
			if me.Role != string(models.RoleCommuneChair) || me.Unit.Level != string(models.LevelCommune) || me.Unit.Code == "" {
				t.Fatalf("the chair signed in as %+v", me)
			}
			if admin := signIn(t, addr, "admin", password); admin.Role != string(models.RoleAdmin) || admin.Unit.Level != string(models.LevelProvince) {
				t.Fatalf("the administrator signed in as %+v", admin)
			}
		})
	}
}

type signedIn struct {
	Role string `json:"role"`
	Unit struct {
		Level, Name, Code string
	} `json:"unit"`
}

// signIn signs in over the API and returns who /auth/me says is signed in.
func signIn(t *testing.T, addr, username, password string) signedIn {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) == 0 {
		t.Fatalf("sign-in of %s: %s", username, resp.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/v1/auth/me", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	me, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer me.Body.Close()
	var out signedIn
	if err := json.NewDecoder(me.Body).Decode(&out); err != nil || me.StatusCode != http.StatusOK {
		t.Fatalf("/auth/me of %s: %s, %v", username, me.Status, err)
	}
	return out
}
