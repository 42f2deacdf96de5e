package pins

import (
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// readGitHubOutput reads key=value lines for $GITHUB_OUTPUT, as
// 'pyverify pins --format github-output' writes them:
//
//	python_version=3.12.4
//	python_sha256_tgz=aaa5f9af…
//	python_sha256=f6595b71…
//
// The keys are FormatDockerfile's in lower case. Blank lines and lines
// starting with "#" are skipped; multi-line values (key<<DELIMITER) are
// an error, as is a line that is not key=value. Keys other than
// python_version and python_sha256… are skipped, except …_sha256 keys,
// which are listed as not ours.
func readGitHubOutput(data []byte) ([]Entry, error) {
	var kvs []keyValue
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := strings.TrimSuffix(raw, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			if strings.Contains(line, "<<") {
				return nil, errAt(n, "a multi-line value (KEY<<DELIMITER): pins are one line each")
			}
			return nil, errAt(n, "%s: want key=value", safetext.Quote(line))
		}
		if k == "" || strings.ContainsAny(k, " \t") {
			return nil, errAt(n, "%s: want a key without spaces", safetext.Quote(k))
		}
		kvs = append(kvs, keyValue{line: n, key: k, value: v})
	}
	return pinsOfVariables(kvs, false, true)
}
