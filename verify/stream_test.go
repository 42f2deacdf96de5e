package verify

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Only the last attempt's bytes count: an attempt that wrote other bytes
// and was then replaced leaves no trace in the verdict.
func TestStreamRestart(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.1")
	tg.Bundle = Sidecar{Data: f.bundle, Listed: true}
	var seen int64
	s, err := v.NewStream(tg, func(n int64) { seen += n })
	if err != nil {
		t.Fatal(err)
	}
	w, _ := s.Attempt()
	w.Write([]byte("garbage from a transfer that broke"))
	w, _ = s.Attempt()
	if _, err := bytes.NewReader(f.data).WriteTo(w); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Finish()
	if err != nil || !rep.OK {
		t.Fatalf("after a restart: ok %v, err %v", rep.OK, err)
	}
	if d := s.Digests(); d.Size != int64(len(f.data)) {
		t.Errorf("digests of %d bytes, want %d", d.Size, len(f.data))
	}
	if want := int64(len("garbage from a transfer that broke") + len(f.data)); seen != want {
		t.Errorf("progress saw %d bytes, want %d", seen, want)
	}
}

// A stream that failed before any byte came is reported as not read.
func TestStreamAbortBeforeAnyByte(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	s, err := v.NewStream(f.target("3.14.1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cause := errors.New("Python-3.14.1.tgz: connection refused")
	rep := s.Abort(cause)
	if rep.OK || rep.Error != cause.Error() || checkOf(rep, KindSize).Reason != ReasonNotRead {
		t.Errorf("report %+v", rep)
	}
	if _, err := v.NewStream(Target{Name: "a/b", Version: f.target("3.14.1").Version}, nil); err == nil {
		t.Error("NewStream accepted a name with a directory")
	}
}

func TestVerifyFile(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.1")
	tg.Bundle = Sidecar{Data: f.bundle, Listed: true}
	path := filepath.Join(t.TempDir(), tg.Name)
	if err := os.WriteFile(path, f.data, 0o644); err != nil {
		t.Fatal(err)
	}
	var seen int64
	rep, err := v.VerifyFile(path, tg, func(n int64) { seen += n })
	if err != nil || !rep.OK || seen != int64(len(f.data)) {
		t.Errorf("ok %v, err %v, progress %d", rep.OK, err, seen)
	}
	if _, err := v.VerifyFile(path+".missing", tg, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
