package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// HTTPFetcher returns a Fetcher that reads documents with client (nil means
// http.DefaultClient), one GET each, without retries. When mirror is set
// (such as "http://127.0.0.1:8080"), addresses on python.org are read from
// it instead, under the same path. It is meant for programs that need no
// more; pyverify itself reads through its own client (retries, resumes,
// caps on redirects).
func HTTPFetcher(client *http.Client, mirror string) Fetcher {
	if client == nil {
		client = http.DefaultClient
	}
	mirror = strings.TrimSuffix(mirror, "/")
	return func(ctx context.Context, url string, limit int64) ([]byte, error) {
		if mirror != "" {
			if rest, ok := strings.CutPrefix(url, PythonOrg); ok {
				url = mirror + rest
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &FetchError{Err: err}
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, &FetchError{Err: fmt.Errorf("%s: HTTP %s", url, resp.Status), Brief: "HTTP " + resp.Status,
				StatusCode: resp.StatusCode,
				NotFound:   resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone}
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			return nil, &FetchError{Err: fmt.Errorf("%s: %w", url, err)}
		}
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("%s: larger than %d bytes", url, limit)
		}
		return data, nil
	}
}
