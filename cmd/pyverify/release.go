package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
)

const defaultBaseURL = "https://www.python.org"

// netFlags are the flags that say where release data comes from.
type netFlags struct {
	baseURL         string
	allowHTTPUnsafe bool
	retries         int
	stallTimeout    time.Duration
}

func (n *netFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.baseURL, "base-url", defaultBaseURL, "")
	fs.BoolVar(&n.allowHTTPUnsafe, "allow-http-unsafe", false, "")
	fs.IntVar(&n.retries, "retries", 4, "")
	fs.DurationVar(&n.stallTimeout, "stall-timeout", 30*time.Second, "")
}

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
	retries := n.retries
	if retries == 0 {
		retries = -1 // download.Client: negative means no retries
	}
	c := &download.Client{
		AllowHTTPUnsafe: n.allowHTTPUnsafe,
		Retries:         retries,
		StallTimeout:    n.stallTimeout,
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

// pageURL is the address of a release's page on python.org.
func pageURL(v manifest.Version) string {
	return defaultBaseURL + "/downloads/release/" + v.Slug() + "/"
}

// fetchPage reads and parses the release page of v.
func fetchPage(ctx context.Context, c *download.Client, v manifest.Version) (*manifest.Manifest, error) {
	u := pageURL(v)
	data, err := c.Fetch(ctx, u, manifest.MaxPageSize)
	if errors.Is(err, download.ErrNotFound) {
		return nil, inputError(withHint(fmt.Errorf("Python %s: no release page: %w", v, err),
			"check the version: python.org lists its releases at %s/downloads/", defaultBaseURL))
	}
	if err != nil {
		return nil, err
	}
	m, err := manifest.ParsePage(bytes.NewReader(data), u, v)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// fetchAPI reads the release's files from the JSON API.
func fetchAPI(ctx context.Context, c *download.Client, v manifest.Version) (*manifest.Manifest, error) {
	fetch := func(ctx context.Context, u string) ([]byte, error) {
		return c.Fetch(ctx, u, manifest.MaxAPISize)
	}
	return manifest.FetchAPI(ctx, fetch, defaultBaseURL, v)
}

// loadRelease reads a release's manifest from its page, its API, or both
// (cross-checked).
func loadRelease(ctx context.Context, c *download.Client, v manifest.Version, page, api bool) (*manifest.Manifest, error) {
	var pm, am *manifest.Manifest
	var err error
	if page {
		if pm, err = fetchPage(ctx, c, v); err != nil {
			return nil, err
		}
	}
	if api {
		if am, err = fetchAPI(ctx, c, v); err != nil {
			return nil, err
		}
	}
	switch {
	case pm != nil && am != nil:
		return manifest.Reconcile(pm, am)
	case pm != nil:
		return pm, nil
	}
	return am, nil
}
