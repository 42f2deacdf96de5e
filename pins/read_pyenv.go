package pins

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// readPyenv reads a pyenv python-build definition file
// (plugins/python-build/share/python-build/3.13.5 in pyenv's repository):
//
//	install_package "Python-3.13.5" "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz#93e5…d640" standard verify_py313 …
//
// Every install_package line (and every other install_* command whose
// second argument is a URL: install_script for Anaconda, install_zip…) is
// read: its second argument is the URL, and what follows "#" the SHA-256
// python-build checks. Commands that download no pinned file (install_git,
// install_hg) pin nothing. A URL without "#" pins nothing: it is an error for python.org
// release files (the definition would install an unchecked download) and
// skipped for others. Other lines (shell around them) are skipped.
func readPyenv(data []byte) ([]Entry, error) {
	var es []Entry
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimSuffix(lines[i], "\r")
		// A command continued on the next lines.
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, `\`) + " " + strings.TrimSuffix(lines[i], "\r")
		}
		t := strings.TrimSpace(line)
		cmd, _, _ := strings.Cut(t, " ")
		if !strings.HasPrefix(cmd, "install_") || cmd == "install_git" || cmd == "install_hg" {
			continue
		}
		words, err := shellWords(t)
		if err != nil {
			return nil, errAt(n, "%s: %v", cmd, err)
		}
		if len(words) < 3 || !strings.Contains(words[2], "://") {
			if cmd == "install_package" {
				return nil, errAt(n, `%s: want a package name and "URL#SHA256"`, cmd)
			}
			continue
		}
		rawURL, digest, hasDigest := strings.Cut(words[2], "#")
		if !hasDigest {
			if isPythonReleaseURL(rawURL) {
				return nil, errAt(n, "%s: %s pins no SHA-256 (want URL#SHA256)", cmd, safetext.URL(rawURL))
			}
			continue
		}
		e, err := entryFromURL(n, rawURL, digest)
		if err != nil {
			return nil, err
		}
		if e.Ours && !strings.EqualFold(strings.TrimSuffix(strings.TrimSuffix(e.Name, ".tgz"), ".tar.xz"), words[1]) &&
			!strings.HasPrefix(strings.ToLower(e.Name), strings.ToLower(words[1])) {
			return nil, errAt(n, "%s %s: the URL downloads %s", cmd, safetext.Quote(words[1]), safetext.Word(e.Name))
		}
		es = append(es, e)
	}
	return es, nil
}

// shellWords splits a simple shell command line into words: blanks
// separate words, double and single quotes group them, a backslash
// escapes the next character outside single quotes. Expansions ($…,
// backquotes) are not done: a word that has one is an error, since the
// pin it holds could not be read as written. A comment ends the line.
func shellWords(s string) ([]string, error) {
	var words []string
	var b strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			return words, nil
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("a single quote is not closed")
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				switch s[i] {
				case '\\':
					if i+1 < len(s) {
						i++
					}
				case '$', '`':
					return nil, fmt.Errorf("a shell expansion (%c) in a quoted word: pyverify reads pins as written", s[i])
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("a double quote is not closed")
			}
			inWord = true
		case c == '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
			inWord = true
		case c == '$' || c == '`':
			return nil, fmt.Errorf("a shell expansion (%c): pyverify reads pins as written", c)
		case c == ';' || c == '|' || c == '&':
			if inWord {
				words = append(words, b.String())
			}
			return words, nil
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, nil
}
