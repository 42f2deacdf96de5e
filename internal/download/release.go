package download

import (
	"context"
	"errors"
	"fmt"

	"github.com/pyverify/pyverify/manifest/release"
)

// ReleaseFetcher returns c as the Fetcher that release.Load reads
// python.org's release data through: a server c cannot read (a network
// failure, an HTTP error status) gives a *release.FetchError that says
// whether the document is not there and, for an HTTP status, the status.
func (c *Client) ReleaseFetcher() release.Fetcher {
	return func(ctx context.Context, url string, limit int64) ([]byte, error) {
		data, err := c.Fetch(ctx, url, limit)
		var he *HTTPError
		isHTTP := errors.As(err, &he)
		if err == nil || !isHTTP && !IsNetwork(err) {
			return data, err
		}
		fe := &release.FetchError{Err: err, NotFound: errors.Is(err, ErrNotFound)}
		if isHTTP {
			fe.Brief = "HTTP " + he.Status
			fe.StatusCode = he.StatusCode
			if he.Attempts > 1 {
				fe.Brief += fmt.Sprintf(" after %d attempts", he.Attempts)
			}
		}
		return nil, fe
	}
}
