package models

import (
	"context"
	"fmt"

	"github.com/papi-dialogue/papi/models/calendar"
)

// The reference data is what every report reads and an admin rarely changes: the topics, the
// dialogue rules and the working-day calendar. A process keeps one copy of each (Store.refCache)
// while reference_version, bumped by the triggers of those tables in the transaction changing
// them, reads the same; a request's scope reader reads that version with the units' in one
// statement. Nothing changes a copy once kept: requests share it.

// referenceOf returns the entry key of the reference data: the process's copy when the
// request's scope reader holds the version it was read at, load's otherwise (kept for the
// next request). Without a scope reader, or inside a transaction, which may have changed the
// data itself, it always loads.
func referenceOf[T any](ctx context.Context, s *Store, key string, load func() (T, error)) (T, error) {
	r, ok := ctx.Value(scopeReaderKey{}).(*scopeReader)
	if _, inTx := txOf(ctx); !ok || !r.keep || inTx {
		return load()
	}
	return kept(s.refCache, key, r.refVersion, true, load)
}

// allTopics is every topic, active or not, by id: shared, not to be changed.
func (s *Store) allTopics(ctx context.Context) ([]Topic, error) {
	return referenceOf(ctx, s, "topics", func() ([]Topic, error) { return s.Topics(ctx, true) })
}

// sharedWorkdays is the working-day calendar (Store.Workdays), shared.
func (s *Store) sharedWorkdays(ctx context.Context) (*calendar.Workdays, error) {
	return referenceOf(ctx, s, "workdays", func() (*calendar.Workdays, error) { return s.Workdays(ctx) })
}

// dialogueRuleCodes are the rules a dialogueClock judges by.
var dialogueRuleCodes = []string{RuleDialogueNotice, RuleDialogueResults, RuleDialogueYearly, RuleDialogueVoterRequest}

// dialogueRules are the rules of dialogueRuleCodes by code, shared.
func (s *Store) dialogueRules(ctx context.Context) (map[string]DeadlineRule, error) {
	return referenceOf(ctx, s, "dialogue_rules", func() (map[string]DeadlineRule, error) {
		var rules []DeadlineRule
		if err := s.conn(ctx).Where("code IN ?", dialogueRuleCodes).Find(&rules).Error; err != nil {
			return nil, err
		}
		byCode := make(map[string]DeadlineRule, len(rules))
		for _, r := range rules {
			byCode[r.Code] = r
		}
		for _, code := range dialogueRuleCodes {
			if _, ok := byCode[code]; !ok {
				return nil, fmt.Errorf("dialogue rule %s: %w", code, ErrNotFound)
			}
		}
		return byCode, nil
	})
}
