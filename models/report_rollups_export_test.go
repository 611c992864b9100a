package models

// CountFromPetitions makes the store's reports count the petitions themselves (true) or the
// rollups (false), so tests can compare the two.
func CountFromPetitions(s *Store, raw bool) { s.countFromPetitions = raw }

// RollupColumns are the rollup table's cell columns.
const RollupColumns = rollupColumns
