package audit

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/pyverify/pyverify/internal/fixtureserver"
)

// httpFetch and httpStream read a loopback test server.
func httpFetch(ctx context.Context, u string, limit int64) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: too large", u)
	}
	return data, err
}

func httpStream(ctx context.Context, u string, limit int64, newSink func() (io.Writer, error)) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	w, err := newSink()
	if err != nil {
		return err
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, limit+1))
	if n > limit {
		return fmt.Errorf("%s: %w", u, ErrTooLarge)
	}
	return err
}

func TestHTTPMirrorEqualsLocal(t *testing.T) {
	ft := loadFixtureTrust(t)
	s := fixtureserver.New(filepath.Join("..", "fixtures", "site"))
	s.SetListings(true)
	hs := httptest.NewServer(s)
	defer hs.Close()
	src, err := HTTP(hs.URL+"/ftp/python/", httpFetch, httpStream)
	if err != nil {
		t.Fatal(err)
	}
	opt := ft.options("")
	opt.Source = src
	remote, st := mustRun(t, opt)
	local, _ := mustRun(t, ft.options(filepath.Join("..", "fixtures", "site", "ftp", "python")))
	if !remote.OK || st.Hashed != 15 {
		t.Fatalf("remote audit: ok %v, %+v, problems %v", remote.OK, st, problems(remote))
	}
	if reportJSON(t, remote) != reportJSON(t, local) {
		t.Errorf("the audit over HTTP differs from the local one")
	}
	if _, err := HTTP("ftp://x/", httpFetch, httpStream); err == nil {
		t.Error("HTTP accepted an ftp URL")
	}
}
