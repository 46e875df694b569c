package index

import "golang.org/x/sys/unix"

// dropResident drops the resident pages of size bytes of a shared file map
// at addr (madvise MADV_DONTNEED): their content is the file's, and the
// next access reads it again.
func dropResident(addr uintptr, size int64) {
	unix.Syscall(unix.SYS_MADVISE, addr, uintptr(size), unix.MADV_DONTNEED)
}
