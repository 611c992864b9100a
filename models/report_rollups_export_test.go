package models

import "fmt"

// CountFromPetitions makes the store's reports count the petitions themselves (true) or the
// rollups (false), so tests can compare the two.
func CountFromPetitions(s *Store, raw bool) { s.countFromPetitions = raw }

// RollupColumns are the rollup table's cell columns.
const RollupColumns = rollupColumns

// RollupStateCondition is the condition on petition_rollups keeping the cells in state st.
func RollupStateCondition(st PetitionState) (string, int64) {
	code, _ := cellCode(cellStates, st, 4)
	return fmt.Sprintf("(facts >> %d) & 15 = ?", factState), code
}
