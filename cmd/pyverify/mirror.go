package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/verify"
)

// origins says where 'pyverify verify' read the release listing and the
// files: the real addresses, for the report.
type origins struct {
	listing *url.URL // python.org or --base-url
	files   *url.URL // --mirror, else the listing's
	// filesClient fetches the files and their sidecars.
	filesClient *download.Client
}

// mirrorOrigins builds the client for --mirror: bytes and sidecars come
// from it, at python.org's paths, while the release page and API come
// from the listing client (python.org or --base-url). Without --mirror,
// the files come from where the listing does.
func (f *verifyFlags) mirrorOrigins(cmd string, listing *download.Client, base *url.URL) (*origins, error) {
	o := &origins{listing: base, files: base, filesClient: listing}
	if f.mirror == "" {
		return o, nil
	}
	m, err := f.mirrorURL(cmd)
	if err != nil {
		return nil, err
	}
	n := f.net
	n.baseURL = m.String()
	c, mu, err := n.client(cmd)
	if err != nil {
		// The checks are --base-url's; name the flag that was given.
		return nil, fmt.Errorf("--mirror: %w", err)
	}
	if c.Mirror == nil && mu.String() == defaultBaseURL {
		// --mirror https://www.python.org: the same as no mirror.
		return o, nil
	}
	o.files, o.filesClient = mu, c
	return o, nil
}

// mirrorURL parses --mirror.
func (f *verifyFlags) mirrorURL(cmd string) (*url.URL, error) {
	m, err := url.Parse(strings.TrimSuffix(f.mirror, "/"))
	if err != nil || m.Host == "" || (m.Scheme != "https" && m.Scheme != "http") ||
		m.User != nil || m.RawQuery != "" || m.Fragment != "" {
		return nil, usagef(cmd, "--mirror %s: want an http(s) URL with python.org's layout, such as https://mirror.example.org/python", safetext.Quote(f.mirror))
	}
	return m, nil
}

// isPythonOrg reports whether u is python.org itself.
func isPythonOrg(u *url.URL) bool { return u != nil && u.String() == defaultBaseURL }

// describe adds, to what the release data says of a target, the host the
// listing came from when it is not python.org: the release check then says
// that a binding by the listing alone rests on that host.
func (o *origins) describe(next func(manifest.Artifact, *verify.Target)) func(manifest.Artifact, *verify.Target) {
	if isPythonOrg(o.listing) {
		return next
	}
	return func(a manifest.Artifact, t *verify.Target) {
		if next != nil {
			next(a, t)
		}
		t.ListingHost = o.listing.Host
	}
}

// report records in rep where the listing and the files came from, when
// either was not python.org.
func (o *origins) report(rep *verify.Report) {
	if o == nil || isPythonOrg(o.listing) && isPythonOrg(o.files) {
		return
	}
	rep.ListingFrom, rep.FilesFrom = o.listing.String(), o.files.String()
}

// checkAs checks 'pyverify check FILE --as NAME': one file, and a name
// python.org gives a release file (its release is the one the name says,
// unless --version says otherwise).
func checkAs(cmd string, f *checkFlags, digestForm bool, files int) error {
	if f.as == "" {
		return nil
	}
	switch {
	case digestForm:
		return usagef(cmd, "--as goes with a FILE; a digest takes its name from --name")
	case files != 1:
		return usagef(cmd, "--as names one file")
	}
	if err := names.CheckFileName(f.as); err != nil {
		return usagef(cmd, "--as: %v", err)
	}
	v, err := names.VersionFromFileName(f.as)
	if err != nil && f.version == "" {
		return withHint(usagef(cmd, "--as %s: no release version in the name", safetext.Quote(f.as)),
			"give the file's name on python.org, such as --as Python-3.13.5.tar.xz")
	}
	if err == nil {
		if err := names.CheckReleaseName(f.as, v); err != nil {
			return withHint(usagef(cmd, "--as: %v", err), "give the file's name on python.org, such as --as Python-3.13.5.tar.xz")
		}
	}
	return nil
}

// packagerName refuses, with a hint to --as, a FILE whose name is no name
// python.org gives a file of its release (python.tar.xz checked with
// --version 3.13.5): its class, and so its signers, cannot be told from
// it. A name of another release is left to the report's release check.
func packagerName(f *checkFlags, name string, v names.Version) error {
	var rn *names.ReleaseNameError
	if f.as != "" || !errors.As(names.CheckReleaseName(name, v), &rn) || !rn.Other.IsZero() {
		return nil
	}
	err := fmt.Errorf("%s: not a name python.org gives a file of %s", sanitize(name), v)
	if as := suggestAs(name, v); as != "" {
		return inputError(withHint(err, "if it is a python.org file saved under another name, give that name with --as, such as --as %s", sanitize(as)))
	}
	return inputError(withHint(err, "if it is a python.org file saved under another name, give that name with --as ('pyverify manifest %s' lists them)", v))
}

// asExamples are python.org names of release v's files, by the extension
// a file saved under another name keeps (most specific first).
var asExamples = []struct{ ext, example string }{
	{".tgz", "Python-%s.tgz"},
	{".tar.xz", "Python-%s.tar.xz"},
	{".tar.bz2", "Python-%s.tar.bz2"},
	{".tar.gz", "Python-%s.tgz"}, // a source tarball, most often
	{".exe", "python-%s-amd64.exe"},
	{".zip", "python-%s-embed-amd64.zip"},
	{".pkg", "python-%s-macos11.pkg"},
	{".json", "windows-%s.json"},
}

// suggestAs returns a name of release v's to suggest with --as for a file
// named name: the python.org name it starts with (Python-3.12.4.tgz for
// wget's Python-3.12.4.tgz.1), else one with its extension (python.tgz:
// Python-3.12.4.tgz), or "" when there is none to suggest.
func suggestAs(name string, v names.Version) string {
	for i := len(name) - 1; i > 0; i-- {
		if name[i] == '.' && names.CheckReleaseName(name[:i], v) == nil {
			return name[:i]
		}
	}
	lower := strings.ToLower(name)
	for _, e := range asExamples {
		if strings.HasSuffix(lower, e.ext) {
			if as := fmt.Sprintf(e.example, v); names.CheckReleaseName(as, v) == nil {
				return as
			}
			return ""
		}
	}
	return ""
}
