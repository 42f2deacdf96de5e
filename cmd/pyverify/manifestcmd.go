package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
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
		v, perr := manifest.ParseVersion(pos[0])
		if perr != nil {
			return usagef(cmd, "%v", perr)
		}
		c, _, cerr := nf.client(cmd)
		if cerr != nil {
			return cerr
		}
		m, err = loadRelease(ctx, c, v, !useAPI || crossCheck, useAPI || crossCheck)
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
				return nil, inputError(fmt.Errorf("--page: %w", err))
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
				de.Source = src
			}
			return nil, err
		}
		pm.Source = src
		if want.IsZero() {
			// The API data carries no version: use the page's.
			want, _ = manifest.ParseVersion(pm.Version)
		}
	}
	if apiFile != "" {
		data, err := readCapped(apiFile, manifest.MaxAPISize)
		if err != nil {
			return nil, inputError(fmt.Errorf("--api-file: %w", err))
		}
		// The v2 API answers with a plain list, v1 with a paged object.
		parse := manifest.ParseAPIv1
		if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			parse = manifest.ParseAPIv2
		}
		if am, err = parse(data, apiFile, want); err != nil {
			return nil, err
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
