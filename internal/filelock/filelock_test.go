package filelock

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"
)

func TestOpenExcludes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	f.Close()
	g, err := Open(path)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	g.Close()
}

func TestWaitEndsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	if _, err := Wait(ctx, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait while held: %v, want the context's error", err)
	}
	// Released while waiting: Wait gets it.
	done := make(chan error, 1)
	go func() {
		g, err := Wait(context.Background(), path)
		if err == nil {
			g.Close()
		}
		done <- err
	}()
	f.Close()
	if err := <-done; err != nil {
		t.Fatalf("Wait after release: %v", err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "no", "x.lock")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open in a missing directory: %v", err)
	}
}
