package main

import (
	"context"
	"errors"
	"flag"
	"net/url"
	"strings"
	"time"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/manifest/release"
)

// defaultBaseURL is where release data comes from without --base-url.
const defaultBaseURL = release.PythonOrg

// netFlags are the flags that say where release data comes from.
type netFlags struct {
	baseURL         string
	allowHTTPUnsafe bool
	retries         int
	stallTimeout    time.Duration
	minRate         int64
}

func (n *netFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.baseURL, "base-url", defaultBaseURL, "")
	fs.BoolVar(&n.allowHTTPUnsafe, "allow-http-unsafe", false, "")
	fs.IntVar(&n.retries, "retries", 4, "")
	fs.DurationVar(&n.stallTimeout, "stall-timeout", 30*time.Second, "")
	fs.Int64Var(&n.minRate, "min-rate", defaultMinRate, "")
}

// defaultMinRate is --min-rate's default, in bytes per second.
const defaultMinRate = 1024

// client builds the download client for --base-url: links to
// https://www.python.org/ are fetched from the base URL instead.
func (n *netFlags) client(cmd string) (*download.Client, *url.URL, error) {
	base, err := url.Parse(strings.TrimSuffix(n.baseURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") ||
		base.User != nil || base.RawQuery != "" || base.Fragment != "" {
		return nil, nil, usagef(cmd, "--base-url %s: want an http(s) URL such as %s", safetext.Quote(n.baseURL), defaultBaseURL)
	}
	if n.retries < 0 || n.retries > 20 {
		return nil, nil, usagef(cmd, "--retries: want a number from 0 to 20")
	}
	if n.stallTimeout <= 0 {
		return nil, nil, usagef(cmd, "--stall-timeout: want a positive duration such as 30s")
	}
	if n.minRate < 0 {
		return nil, nil, usagef(cmd, "--min-rate: want a number of bytes per second (0: no minimum)")
	}
	retries := n.retries
	if retries == 0 {
		retries = -1 // download.Client: negative means no retries
	}
	c := &download.Client{
		AllowHTTPUnsafe: n.allowHTTPUnsafe,
		Retries:         retries,
		StallTimeout:    n.stallTimeout,
		MinRate:         n.minRate,
		UserAgent:       "pyverify/" + buildVersion(),
	}
	if base.String() != defaultBaseURL {
		c.Mirror = base
	}
	if _, err := c.Resolve(base.String() + "/"); err != nil {
		return nil, nil, withHint(usagef(cmd, "--base-url: %v", err), "use https, or --allow-http-unsafe for a mirror you trust on plain http")
	}
	return c, base, nil
}

// readRelease reads what python.org says release v contains, from the
// sources mode names, and tells the user which sources were read and what
// went wrong with them.
func readRelease(ctx context.Context, u *ui, c *download.Client, base *url.URL, v manifest.Version, mode release.Mode) (*release.Release, error) {
	what := map[release.Mode]string{
		release.Both:     "the release page and the JSON API",
		release.PageOnly: "the release page",
		release.APIOnly:  "the JSON API",
	}[mode]
	u.infof("reading the file table of %s from %s (%s)", v, base, what)
	rel, err := loadFrom(ctx, c, v, mode)
	if err != nil {
		return nil, releaseError(err, mode)
	}
	for _, n := range rel.Notes {
		u.infof("%s", sanitize(n))
	}
	for _, w := range rel.Warnings {
		u.warnf("%s", sanitize(w))
	}
	return rel, nil
}

// releaseError gives a failure to read release data its exit code: a
// release the server does not have is bad input (2), like malformed data.
func releaseError(err error, mode release.Mode) error {
	var de *manifest.DataError
	var ue *release.UnreachableError
	switch {
	case errors.Is(err, download.ErrNotFound) && !errors.As(err, &ue),
		errors.As(err, &ue) && !download.IsNetwork(ue.V2) && !download.IsNetwork(ue.V1):
		// Neither the page nor (with --api) either API has the release.
		return inputError(withHint(err, "%s", checkVersionHint))
	case errors.Is(err, download.ErrTooLarge):
		// A page or API answer larger than any python.org sends (or a
		// gzip bomb) is bad input, like a malformed one.
		return inputError(withHint(err, "is --base-url a python.org mirror? Its release pages and API answers are far smaller"))
	case errors.As(err, &de) && mode == release.Both && errors.Is(err, release.ErrAPI):
		// Only an API answer is blamed on the API: a page that is not a
		// release page gets fallbackHint's question about --base-url.
		return withHint(err, "the JSON API answered with data pyverify cannot use; --page-only verifies against the release page alone")
	case errors.As(err, new(*download.HTTPError)) && !download.IsNetwork(err):
		return withHint(err, "the server refused the request; check --base-url, or try again later")
	}
	return err
}

// loadRelease reads a release's manifest from its page, its API, or both;
// with both, any disagreement is an error (pyverify manifest --cross-check).
func loadRelease(ctx context.Context, c *download.Client, v manifest.Version, page, api bool) (*manifest.Manifest, error) {
	mode := release.PageOnly
	switch {
	case page && api:
		mode = release.BothStrict
	case api:
		mode = release.APIOnly
	}
	rel, err := loadFrom(ctx, c, v, mode)
	if err != nil {
		return nil, releaseError(err, release.PageOnly)
	}
	return rel.Reconciled()
}

// loadFrom loads release v through c, naming in the release and its errors
// the addresses c read (--base-url's), not python.org's.
func loadFrom(ctx context.Context, c *download.Client, v manifest.Version, mode release.Mode) (*release.Release, error) {
	rel, err := release.Load(ctx, c.ReleaseFetcher(), v, mode)
	return release.ReadFrom(rel, err, func(u string) string {
		r, err := c.Resolve(u)
		if err != nil {
			return u
		}
		return r.String()
	})
}
