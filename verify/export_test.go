package verify

// Exported for tests only: what the package's tests use and no caller
// needs (a verifier judging signing times by another table of release
// dates, a policy written back out, a keyring's contents).

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"

	"github.com/pyverify/pyverify/releasedate"
)

// WithReleaseDates makes the verifier judge signing times against t
// instead of the embedded table (releasedate.Embedded), for tests and for
// a newer table.
func WithReleaseDates(t *releasedate.Table) Option {
	return func(o *verifierOptions) error {
		if t == nil {
			return errors.New("WithReleaseDates: no table")
		}
		if o.dates != nil {
			return errors.New("WithReleaseDates given more than once")
		}
		o.dates = t
		return nil
	}
}

// WriteTo writes the policy to w as indented JSON in the file format.
func (p *Policy) WriteTo(w io.Writer) (int64, error) {
	raw, err := p.MarshalJSON()
	if err != nil {
		return 0, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return 0, err
	}
	b.WriteByte('\n')
	return b.WriteTo(w)
}

// Len returns the number of keys (copies included) in k.
func (k Keyring) Len() int { return len(k.keys) }

// Fingerprints returns the distinct primary-key fingerprints in k, as
// upper-case hex, sorted.
func (k Keyring) Fingerprints() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range k.keys {
		if !seen[e.fpr] {
			seen[e.fpr] = true
			out = append(out, e.fpr)
		}
	}
	sort.Strings(out)
	return out
}

// Merge returns a keyring holding the keys of k and then those of other.
func (k Keyring) Merge(other Keyring) Keyring {
	keys := make([]*keyringEntry, 0, len(k.keys)+len(other.keys))
	keys = append(keys, k.keys...)
	keys = append(keys, other.keys...)
	return Keyring{keys: keys}
}
