package main

import (
	"strings"

	"github.com/pyverify/pyverify/audit"
	"github.com/pyverify/pyverify/verify"
)

// A run with --json that fails before it prints its report (a bad flag,
// release data that cannot be read, an interrupt) still writes one JSON
// object on standard output, so that a CI step reading it with jq sees the
// failure rather than nothing:
//
//	{"schema": "pyverify.report/v1", "ok": false, "error": "…", "exit_code": 3, "artifacts": []}
//
// (audit: "entries": [] in its schema; check proving pins by digest:
// "pins": [] in pyverify.pins-check/v1.)
type failedRun struct {
	Schema    string `json:"schema,omitempty"`
	OK        bool   `json:"ok"`
	Error     string `json:"error"`
	Hint      string `json:"hint,omitempty"`
	ExitCode  int    `json:"exit_code"`
	Artifacts *[]any `json:"artifacts,omitempty"`
	Entries   *[]any `json:"entries,omitempty"`
	Pins      *[]any `json:"pins,omitempty"`
}

// wantsJSON reports whether args ask for a --json report.
func wantsJSON(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--json", "-json", "--json=true", "-json=true":
			return true
		}
	}
	return false
}

// failureJSON is the report of a run of cmd that failed with msg before
// printing one.
func failureJSON(cmd string, pinsProof bool, msg, hint string, code int) failedRun {
	r := failedRun{Error: msg, Hint: hint, ExitCode: code}
	empty := []any{}
	switch {
	case cmd == "check" && pinsProof:
		r.Schema, r.Pins = PinsCheckSchema, &empty
	case cmd == "check" || cmd == "verify":
		r.Schema, r.Artifacts = verify.ReportSchema, &empty
	case cmd == "audit":
		r.Schema, r.Entries = audit.Schema, &empty
	}
	r.Error = strings.TrimSpace(r.Error)
	return r
}
