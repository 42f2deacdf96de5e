package lifecycle

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// The lifecycle data built into pyverify; see data/README.md.
var (
	//go:embed data/release-cycle.json
	embeddedData []byte
	//go:embed data/release-cycle.date
	embeddedDate string
)

var embedded = sync.OnceValue(func() *Data {
	d, err := Parse(embeddedData)
	if err != nil {
		// The embedded file is tested; reaching this is a build defect.
		panic(fmt.Sprintf("lifecycle: embedded data/release-cycle.json: %v", err))
	}
	date, err := ParseDay(strings.TrimSpace(embeddedDate))
	if err != nil {
		panic(fmt.Sprintf("lifecycle: embedded data/release-cycle.date: %v", err))
	}
	d.Origin, d.Date, d.DateKind = "embedded", date, "copied"
	return d
})

// Embedded returns the release-cycle.json built into pyverify, with the
// day it was copied from python.org as its Date. It is shared and must not
// be modified.
func Embedded() *Data { return embedded() }

// embeddedJSON returns the bytes of the built-in release-cycle.json.
func embeddedJSON() []byte { return []byte(string(embeddedData)) }
