//go:build unix

package verify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pyverify/pyverify/internal/safefs"
)

// A named pipe given as the file to verify fails at once instead of
// blocking until a writer comes.
func TestVerifyFileNamedPipeRefused(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.1")
	path := filepath.Join(t.TempDir(), tg.Name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip(err)
	}
	rep, err := v.VerifyFile(path, tg, nil)
	if !errors.Is(err, safefs.ErrNotRegular) || rep.OK {
		t.Errorf("named pipe: ok %v, err %v, want safefs.ErrNotRegular", rep.OK, err)
	}
}

// A check whose context ended stops reading, and decides nothing.
func TestVerifyFileContextCancelled(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.1")
	tg.Bundle = Sidecar{Data: f.bundle, Listed: true}
	path := filepath.Join(t.TempDir(), tg.Name)
	if err := os.WriteFile(path, f.data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("interrupted")
	cancel(stop)
	rep, err := v.VerifyFileContext(ctx, path, tg, nil)
	if !errors.Is(err, stop) || rep.OK {
		t.Errorf("cancelled: ok %v, err %v, want the context's cause", rep.OK, err)
	}
}
