package pins

import (
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// readHomebrew reads a Homebrew formula (Formula/p/python@3.13.rb in
// Homebrew/homebrew-core):
//
//	url "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz"
//	sha256 "e6190f52…"
//	…
//	resource "pip" do
//	  url "https://files.pythonhosted.org/…/pip-25.1.1.tar.gz"
//	  sha256 "3de4…"
//	end
//
// A sha256 "HEX" line pins the url line before it in the same block (the
// formula's own, a resource's or a patch's). Bottle digests
// (sha256 arm64_sonoma: "…") are Homebrew's own builds and are skipped,
// as are urls without a digest (livecheck's). A sha256 with no url before
// it, and a python.org release url followed by a url before its sha256,
// are errors.
func readHomebrew(data []byte) ([]Entry, error) {
	var es []Entry
	type pending struct {
		line int
		url  string
	}
	var cur *pending
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		t := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		word, rest, _ := strings.Cut(t, " ")
		switch word {
		case "url":
			u, ok := rubyString(rest)
			if !ok {
				if strings.HasPrefix(strings.TrimSpace(rest), ":") {
					continue // livecheck: url :stable
				}
				if strings.Contains(rest, "#{") {
					return nil, errAt(n, "url: an interpolated string (#{…}): pyverify reads pins as written")
				}
				return nil, errAt(n, `url: want url "https://…"`)
			}
			if cur != nil && isPythonReleaseURL(cur.url) {
				return nil, errAt(cur.line, "url %s: no sha256 line follows it", safetext.URL(cur.url))
			}
			cur = &pending{line: n, url: u}
		case "sha256":
			r := strings.TrimSpace(rest)
			if !strings.HasPrefix(r, `"`) {
				continue // a bottle's digest: sha256 arm64_sonoma: "…"
			}
			d, ok := rubyString(r)
			if !ok {
				return nil, errAt(n, `sha256: want sha256 "HEX"`)
			}
			if cur == nil {
				return nil, errAt(n, "sha256 with no url before it")
			}
			e, err := entryFromURL(n, cur.url, d)
			if err != nil {
				return nil, err
			}
			es = append(es, e)
			cur = nil
		case "end", "resource", "patch", "stable", "head", "livecheck", "bottle":
			if cur != nil && isPythonReleaseURL(cur.url) && word != "head" {
				return nil, errAt(cur.line, "url %s: no sha256 line follows it", safetext.URL(cur.url))
			}
			cur = nil
		}
	}
	if cur != nil && isPythonReleaseURL(cur.url) {
		return nil, errAt(cur.line, "url %s: no sha256 line follows it", safetext.URL(cur.url))
	}
	return es, nil
}

// rubyString reads the double-quoted literal at the start of s (after
// blanks), ignoring what follows it (", using: …"). Interpolation (#{…})
// is refused: the value could not be read as written.
func rubyString(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, `"`) {
		return "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", false
	}
	v := s[1 : 1+end]
	if strings.Contains(v, "#{") || strings.Contains(v, `\`) {
		return "", false
	}
	return v, true
}
