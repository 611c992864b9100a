package models

// SetMaxSplit changes how many communes a list reads one by one, so tests reach the path of
// a province's many communes with a handful; the returned function restores it.
func SetMaxSplit(n int) func() {
	old := maxSplit
	maxSplit = n
	return func() { maxSplit = old }
}
