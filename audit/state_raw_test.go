package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stateSpoolRun runs an audit with the state file at state, its entries
// spooled as `pyverify audit --json` spools them (reused ones as their
// JSON), and returns the report's JSON, the stats and how many entries
// came as JSON.
func stateSpoolRun(t *testing.T, opt Options, state string) (string, Stats, int) {
	t.Helper()
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	opt.State = st
	sp := NewSpool(t.TempDir())
	defer sp.Close()
	opt.OnEntry = func(e Entry) {
		if err := sp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	asJSON := 0
	opt.OnEntryJSON = func(path string, problems bool, raw []byte) {
		asJSON++
		var e Entry
		if err := json.Unmarshal(raw, &e); err != nil || e.Path != path || problems != (len(e.Problems) > 0) {
			t.Errorf("OnEntryJSON(%q, %v, %s): %v", path, problems, raw, err)
		}
		if err := sp.AddJSON(path, raw); err != nil {
			t.Fatal(err)
		}
	}
	rep, stats, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, rep, sp); err != nil {
		t.Fatal(err)
	}
	return out.String(), stats, asJSON
}

// A re-run that reuses every outcome passes the entries on as the state
// file holds them, and its report is the cold run's, byte for byte, with
// problems and without.
func TestReusedEntriesAsJSON(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	p := func(s string) string { return filepath.Join(root, filepath.FromSlash(s)) }
	flipByte(t, p("3.12.4/Python-3.12.4.tgz.sigstore"))
	os.Remove(p("3.6.15/python-3.6.15-amd64.exe.asc"))
	state := filepath.Join(t.TempDir(), "state")
	cold, st, n := stateSpoolRun(t, ft.options(root), state)
	if st.Hashed == 0 || n != 0 {
		t.Fatalf("cold run: %+v, %d entries as JSON", st, n)
	}
	warm, st, n := stateSpoolRun(t, ft.options(root), state)
	if st.Reused != st.Artifacts || st.Hashed != 0 || n != st.Reused {
		t.Errorf("re-run: %+v, %d entries as JSON; want every artifact reused, as JSON", st, n)
	}
	if warm != cold {
		t.Errorf("the re-run's report differs from the cold run's:\n%s\nwant\n%s", warm, cold)
	}
	if !strings.Contains(warm, `"bad-signature"`) || !strings.Contains(warm, `"unsigned"`) {
		t.Errorf("report lacks the problems:\n%s", warm)
	}
}

// A state file written with HTML escaping (json.Marshal, as pyverify did
// before) is still reused: those records are decoded, and written again in
// the report's form.
func TestReusedEntriesFromEscapedState(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state")
	cold, _, _ := stateSpoolRun(t, ft.options(root), state)
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	// Re-encode every record as json.Marshal does.
	lines := strings.SplitAfter(string(data), "\n")
	var out strings.Builder
	out.WriteString(lines[0])
	escaped := 0
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		var rec stateRecord
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rec)
		if bytes.Contains(b, []byte(`\u003c`)) {
			escaped++
		}
		out.Write(append(b, '\n'))
	}
	if escaped == 0 {
		t.Fatal("no record has a character json.Marshal escapes: the test shows nothing")
	}
	os.WriteFile(state, []byte(out.String()), 0o600)

	warm, st, n := stateSpoolRun(t, ft.options(root), state)
	if st.Reused != st.Artifacts || n != st.Artifacts-escaped {
		t.Errorf("re-run of an escaped state: %+v, %d as JSON; want all reused, %d as JSON", st, n, st.Artifacts-escaped)
	}
	if warm != cold {
		t.Errorf("the re-run's report differs from the cold run's:\n%s\nwant\n%s", warm, cold)
	}
	if data, _ := os.ReadFile(state); bytes.Contains(data, []byte(`\u003c`)) {
		t.Errorf("the state was not written again in the report's form")
	}
	if _, st, n = stateSpoolRun(t, ft.options(root), state); n != st.Artifacts {
		t.Errorf("next run: %+v, %d as JSON", st, n)
	}
}

// A state file changed between OpenState and the use of a record fails the
// audit with a *StateError naming the record's line: its identity in the
// index no longer speaks for it.
func TestStateChangedWhileInUse(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state")
	stateSpoolRun(t, ft.options(root), state)
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, _ := os.ReadFile(state)
	i := bytes.Index(data, []byte(`"ok":true`))
	copy(data[i:], `"ok":fals`) // same length
	if err := os.WriteFile(state, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []bool{false, true} {
		opt := ft.options(root)
		opt.State = st
		if raw {
			opt.OnEntry = func(Entry) {}
			opt.OnEntryJSON = func(string, bool, []byte) {}
		}
		_, _, err = Run(context.Background(), opt)
		var se *StateError
		if !errors.As(err, &se) || se.Line < 2 || !strings.Contains(err.Error(), "changed while in use") {
			t.Errorf("raw %v: Run: %v, want a *StateError: changed while in use", raw, err)
		}
	}
}

// indexFast and the JSON decoder index a record alike.
func TestIndexFastAgreesWithDecoder(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state")
	stateSpoolRun(t, ft.options(root), state)
	data, _ := os.ReadFile(state)
	lines := bytes.SplitAfter(data, []byte("\n"))[1:]
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		fast, ok := indexFast(l)
		if !ok {
			t.Errorf("indexFast refused a record pyverify wrote: %s", l)
			continue
		}
		// The decoder's path: the same line with a space the fast path
		// does not take.
		spaced := append([]byte("{ "), l[1:]...)
		if _, ok := indexFast(spaced); ok {
			t.Errorf("indexFast took a line with a space")
		}
		slow, err := indexRecord(spaced)
		if err != nil {
			t.Fatal(err)
		}
		slow.sum, fast.sum = 0, 0
		slow.entryOff-- // one byte more before it
		if slow != fast {
			t.Errorf("indexFast %+v, decoder %+v", fast, slow)
		}
	}
}
