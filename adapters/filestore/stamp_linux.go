package filestore

import (
	"io/fs"
	"syscall"
)

// fileStamp identifies one state of one file: device and inode (an atomic
// rename makes a new inode), size, modification and change times (ctime
// changes with every write, chmod, chown and link), mode and owner. Two
// equal valid stamps of a path mean the file is the one read before,
// unchanged — so every safety check it passed then (regular file, not a
// symlink, mode, size) still holds.
type fileStamp struct {
	valid        bool
	dev, ino     uint64
	size         int64
	mtime, ctime syscall.Timespec
	mode, uid    uint32
}

// stampOf returns the stamp of fi (an fstat of the file read).
func stampOf(fi fs.FileInfo) fileStamp {
	if fi == nil {
		return fileStamp{}
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStamp{}
	}
	return stampOfStat(st)
}

func stampOfStat(st *syscall.Stat_t) fileStamp {
	return fileStamp{
		valid: true,
		dev:   uint64(st.Dev),
		ino:   st.Ino,
		size:  st.Size,
		mtime: st.Mtim,
		ctime: st.Ctim,
		mode:  st.Mode,
		uid:   st.Uid,
	}
}

// statPath returns the stamp of what path names now, without following a
// symlink at the leaf (a symlink's stamp never equals a file's, so Load
// reads the path and refuses it). Any error gives an invalid stamp.
func statPath(path string) fileStamp {
	var st syscall.Stat_t
	if err := syscall.Lstat(path, &st); err != nil {
		return fileStamp{}
	}
	return stampOfStat(&st)
}
