package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestBoardListsOnlyMarkedPhotos: the board and a petition's public page name the photos staff
// marked public and nothing else: not another photo of the same petition, not a document, not
// a photo of a private petition or of a denunciation, not a removed one.
func TestBoardListsOnlyMarkedPhotos(t *testing.T) {
	yes := true
	eachStore(t, func(t *testing.T, aw *attachWorld) {
		ctx := context.Background()
		open := aw.log(t, nil)
		private := aw.log(t, func(in *models.PetitionInput) { in.Private = true })
		denunciation := aw.log(t, func(in *models.PetitionInput) { in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789" })
		attach := func(p *models.Petition, name string, data []byte) int64 {
			a, err := aw.attach(t, aw.secretary, p.ID, name, data)
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		shown, second := attach(open, "o-ga-1.jpg", dbtest.JPEGWithGPS(t, 30, 20)), attach(open, "o-ga-2.jpg", dbtest.JPEGWithGPS(t, 31, 20))
		hidden := []int64{attach(open, "cmnd.jpg", dbtest.JPEGWithGPS(t, 32, 20)), attach(open, "don.pdf", dbtest.PDF(1500)),
			attach(private, "nha.jpg", dbtest.JPEGWithGPS(t, 33, 20)), attach(denunciation, "to-cao.jpg", dbtest.JPEGWithGPS(t, 34, 20))}
		for _, id := range []int64{shown, second} {
			if _, err := aw.s.UpdateAttachment(ctx, aw.chair, id, models.AttachmentPatch{Public: &yes}); err != nil {
				t.Fatal(err)
			}
		}
		board := func() map[string][]int64 {
			items, _, err := aw.s.PublicPetitions(ctx, aw.w.CommuneA.ID, models.PublicFilter{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][]int64{}
			for _, p := range items {
				out[p.Reference] = p.PhotoIDs
				for _, id := range p.PhotoIDs {
					if slices.Contains(hidden, id) {
						t.Fatalf("the board shows attachment %d of %s, never marked public or never publishable", id, p.Reference)
					}
				}
			}
			return out
		}
		c := dbtest.CountStatements(t, aw.s)
		got := board() // the units are read once, then kept while their versions hold
		// the petitions with their photos and the units' version in the same rows
		if n := c.Count(func() { got = board() }); n != 1 {
			t.Errorf("a board page took %d statements, want 1", n)
		}
		if !slices.Equal(got[open.Reference], []int64{shown, second}) || got[private.Reference] != nil || got[denunciation.Reference] != nil {
			t.Fatalf("board photos = %v", got)
		}
		var one *models.PublicPetition
		var err error
		if n := c.Count(func() { one, err = aw.s.PublicPetition(ctx, open.Reference) }); n != 1 {
			t.Errorf("a public petition took %d statements, want 1", n)
		}
		if err != nil || !slices.Equal(one.PhotoIDs, []int64{shown, second}) {
			t.Fatalf("public petition photos = %+v, %v", one, err)
		}
		if _, err := aw.s.RemoveAttachment(ctx, aw.chair, shown, models.AttachmentRemoval{}); err != nil {
			t.Fatal(err)
		}
		hidden = append(hidden, shown)
		if got := board(); !slices.Equal(got[open.Reference], []int64{second}) {
			t.Fatalf("board photos after a removal = %v", got)
		}
		no := false
		if _, err := aw.s.UpdateAttachment(ctx, aw.chair, second, models.AttachmentPatch{Public: &no}); err != nil {
			t.Fatal(err)
		}
		if one, _ := aw.s.PublicPetition(ctx, open.Reference); one == nil || len(one.PhotoIDs) != 0 || one.PhotoIDs == nil {
			t.Fatalf("photos after hiding the last one = %+v, want an empty list", one)
		}
	})
}
