//go:build !linux

package index

// dropResident does nothing where madvise is not used.
func dropResident(addr uintptr, size int64) {}
