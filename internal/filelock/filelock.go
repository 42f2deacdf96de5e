// Package filelock takes exclusive advisory locks on files, so that two
// pyverify processes do not use the same file at once: flock on Unix,
// LockFileEx on Windows. A lock belongs to an open file, not to a process
// (two opens in one process exclude each other too), and the system
// releases it when the file is closed or the process ends, however it
// ends: a crash never leaves a stale lock.
package filelock

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/pyverify/pyverify/internal/safefs"
)

// ErrLocked is returned by Open when another open file holds the lock.
var ErrLocked = errors.New("locked by another process")

// pollInterval is how often Wait tries again.
const pollInterval = 100 * time.Millisecond

// Open opens (creating it if needed) the lock file at path and locks it
// without waiting: ErrLocked when it is held. Close the file to unlock.
//
// The lock file must be a regular file: a symbolic link (never followed) or
// anything else in its place is refused. A lock file that is removed or
// replaced between its opening and its locking is not a lock: Open then
// tries again, so that the file it locks is the one at path.
func Open(path string) (*os.File, error) {
	return openWith(path, func(path string) (*os.File, error) {
		return safefs.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	})
}

// OpenOwn is Open for a lock file in a folder that others may write to (a
// shared download cache): whatever is at path and is not a regular file
// of the effective user's (a symbolic link, a named pipe, a device, a
// socket, a folder, another user's file) was planted there, and is
// removed, never followed nor written through, and a new lock file is
// made in its place. The lock therefore only excludes runs of the same
// user, as the cache it guards is only used by one user.
func OpenOwn(path string) (*os.File, error) { return openWith(path, openOwn) }

// openOwn opens the lock file at path as OpenOwn says, once.
func openOwn(path string) (*os.File, error) {
	return safefs.OpenOwnReplacing(path, os.O_RDWR|os.O_CREATE, 0o644)
}

// openWith is Open, opening the lock file with open.
func openWith(path string, open func(string) (*os.File, error)) (*os.File, error) {
	for range 8 {
		f, err := open(path)
		if errors.Is(err, fs.ErrExist) {
			continue // created by another process as it was replaced
		}
		if err != nil {
			return nil, err
		}
		if err := tryLock(f); err != nil {
			f.Close()
			return nil, err
		}
		if safefs.SameFile(f, path) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("%s: replaced again and again while being locked", path)
}

// TryLock locks the open file f without waiting: ErrLocked when another
// open file holds the lock. Closing f unlocks it.
func TryLock(f *os.File) error { return tryLock(f) }

// Wait is Open, waiting while another process holds the lock, until ctx is
// done (then it returns ctx's error).
func Wait(ctx context.Context, path string) (*os.File, error) {
	return waitWith(ctx, path, Open)
}

// WaitOwn is OpenOwn, waiting as Wait does.
func WaitOwn(ctx context.Context, path string) (*os.File, error) {
	return waitWith(ctx, path, OpenOwn)
}

func waitWith(ctx context.Context, path string, open func(string) (*os.File, error)) (*os.File, error) {
	for {
		f, err := open(path)
		if !errors.Is(err, ErrLocked) {
			return f, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}
