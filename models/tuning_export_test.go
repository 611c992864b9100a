package models

// SetSearchTuning shrinks the search's window and pool so tests reach every path of a search
// with a handful of petitions; the returned function restores them.
func SetSearchTuning(windows []int, pool int) func() {
	oldWindows, oldPool := searchWindows, searchPool
	searchWindows, searchPool = windows, pool
	return func() { searchWindows, searchPool = oldWindows, oldPool }
}
