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
	"os"
	"time"
)

// ErrLocked is returned by Open when another open file holds the lock.
var ErrLocked = errors.New("locked by another process")

// pollInterval is how often Wait tries again.
const pollInterval = 100 * time.Millisecond

// Open opens (creating it if needed) the lock file at path and locks it
// without waiting: ErrLocked when it is held. Close the file to unlock.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := tryLock(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Wait is Open, waiting while another process holds the lock, until ctx is
// done (then it returns ctx's error).
func Wait(ctx context.Context, path string) (*os.File, error) {
	for {
		f, err := Open(path)
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
