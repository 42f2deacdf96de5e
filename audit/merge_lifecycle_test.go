package audit

import (
	"testing"

	"github.com/pyverify/pyverify/verify"
)

func TestSameLifecycle(t *testing.T) {
	a := &verify.LifecycleContext{Data: "embedded", DataDate: "2026-12-03", DataDateKind: "copied", Today: "2026-01-01", Gates: []string{"deny-eol"}}
	same := *a
	same.Gates = []string{"deny-eol"}
	for _, tc := range []struct {
		name string
		b    *verify.LifecycleContext
		want bool
	}{
		{"same", &same, true},
		{"no-gates-either", nil, false},
		{"other-day", &verify.LifecycleContext{Data: "embedded", DataDate: "2026-12-03", DataDateKind: "copied", Today: "2026-01-02", Gates: []string{"deny-eol"}}, false},
		{"other-gates", &verify.LifecycleContext{Data: "embedded", DataDate: "2026-12-03", DataDateKind: "copied", Today: "2026-01-01", Gates: []string{"deny-eol", "deny-prerelease"}}, false},
		{"other-data", &verify.LifecycleContext{Data: "cycle.json", DataDate: "2026-12-03", DataDateKind: "modified", Today: "2026-01-01", Gates: []string{"deny-eol"}}, false},
	} {
		if got := sameLifecycle(a, tc.b); got != tc.want {
			t.Errorf("%s: sameLifecycle = %v", tc.name, got)
		}
	}
	if !sameLifecycle(nil, nil) {
		t.Error("two reports without gates differ")
	}
}
