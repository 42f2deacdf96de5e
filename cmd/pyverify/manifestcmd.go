package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"

	"github.com/pyverify/pyverify/manifest"
)

func cmdManifest(ctx context.Context, u *ui, args []string) error {
	const cmd = "manifest"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var (
		nf                         netFlags
		asJSON, useAPI, crossCheck bool
		page, pageURLFlag, apiFile string
	)
	nf.register(fs)
	fs.BoolVar(&asJSON, "json", false, "")
	fs.BoolVar(&useAPI, "api", false, "")
	fs.BoolVar(&crossCheck, "cross-check", false, "")
	fs.StringVar(&page, "page", "", "")
	fs.StringVar(&pageURLFlag, "page-url", "", "")
	fs.StringVar(&apiFile, "api-file", "", "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}

	var m *manifest.Manifest
	switch {
	case page != "" || apiFile != "":
		if len(pos) > 1 {
			return usagef(cmd, "with --page or --api-file, give at most one VERSION")
		}
		if useAPI || crossCheck {
			return usagef(cmd, "--api and --cross-check read python.org; with saved data use --page and --api-file")
		}
		if page == "" && len(pos) == 0 {
			return withHint(usagef(cmd, "--api-file alone needs the VERSION: the API's data does not name its release"),
				"give it: pyverify manifest 3.12.4 --api-file %s", sanitize(apiFile))
		}
		var want manifest.Version
		if len(pos) == 1 {
			if want, err = manifest.ParseVersion(pos[0]); err != nil {
				return usagef(cmd, "%v", err)
			}
		}
		m, err = readSaved(ctx, u, &nf, page, pageURLFlag, apiFile, want)
	default:
		if len(pos) != 1 {
			return usagef(cmd, "want one VERSION, such as 3.13.1")
		}
		if pageURLFlag != "" {
			return usagef(cmd, "--page-url goes with --page")
		}
		if useAPI && crossCheck {
			return usagef(cmd, "--api and --cross-check exclude each other (--api reads the JSON API instead of the page; --cross-check reads both)")
		}
		v, perr := manifest.ParseVersion(pos[0])
		if perr != nil {
			return usagef(cmd, "%v", perr)
		}
		c, _, cerr := nf.client(cmd)
		if cerr != nil {
			return cerr
		}
		m, err = loadRelease(ctx, c, v, !useAPI, useAPI || crossCheck)
	}
	if err != nil {
		return err
	}
	if asJSON {
		return u.printJSON(m)
	}
	u.printManifest(m)
	return nil
}

// readSaved reads a saved page (a file, or a URL), a saved API file, or
// both, cross-checked.
func readSaved(ctx context.Context, u *ui, nf *netFlags, page, pageURL, apiFile string, want manifest.Version) (*manifest.Manifest, error) {
	var pm, am *manifest.Manifest
	if page != "" {
		var data []byte
		var err error
		src := page
		if strings.HasPrefix(page, "https://") || strings.HasPrefix(page, "http://") {
			c, _, cerr := nf.client("manifest")
			if cerr != nil {
				return nil, cerr
			}
			if data, err = c.Fetch(ctx, page, manifest.MaxPageSize); err != nil {
				return nil, err
			}
			if pageURL == "" {
				pageURL = page
			}
		} else {
			if data, err = readCapped(page, manifest.MaxPageSize); err != nil {
				return nil, inputError(withHint(err, "--page wants a release page saved from python.org, such as %s", pageURLExample))
			}
			if pageURL == "" {
				if !want.IsZero() {
					pageURL = defaultBaseURL + "/downloads/release/" + want.Slug() + "/"
				} else {
					pageURL = defaultBaseURL + "/downloads/release/"
				}
			}
		}
		pm, err = manifest.ParsePage(bytes.NewReader(data), pageURL, want)
		if err != nil {
			// Name the file the user gave, not the URL it stands for.
			var de *manifest.DataError
			if errors.As(err, &de) {
				de.Source = sanitize(src)
			}
			return nil, pageHint(err, src)
		}
		pm.Source = src
		if want.IsZero() {
			// The API data carries no version: use the page's.
			if want, err = manifest.ParseVersion(pm.Version); err != nil {
				return nil, &manifest.DataError{Source: sanitize(src), Field: "version", Err: err}
			}
		}
	}
	if apiFile != "" {
		data, err := readCapped(apiFile, manifest.MaxAPISize)
		if err != nil {
			return nil, inputError(withHint(err, "--api-file wants a saved answer of python.org's JSON API (/api/v2/downloads/release_file/?release=ID)"))
		}
		// The v2 API answers with a plain list, v1 with a paged object.
		parse := manifest.ParseAPIv1
		if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			parse = manifest.ParseAPIv2
		}
		if am, err = parse(data, apiFile, want); err != nil {
			return nil, withHint(err, "--api-file wants a saved answer of python.org's JSON API (/api/v2/downloads/release_file/?release=ID)")
		}
	}
	if pm != nil && am != nil {
		return manifest.Reconcile(pm, am)
	}
	if pm != nil {
		return pm, nil
	}
	return am, nil
}

// pageURLExample is a release page's address, for hints.
const pageURLExample = defaultBaseURL + "/downloads/release/python-3124/"

// pageHint adds the next step to an error about a release page read from
// src (a file or a URL).
func pageHint(err error, src string) error {
	switch {
	case errors.Is(err, manifest.ErrNotReleasePage):
		return withHint(err, "--page wants a release page saved from python.org, such as %s", pageURLExample)
	case errors.Is(err, manifest.ErrNoPageVersion):
		return withHint(err, "give the VERSION too: pyverify manifest VERSION --page %s", sanitize(src))
	}
	return err
}
