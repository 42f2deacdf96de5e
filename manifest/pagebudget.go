package manifest

import (
	"bytes"
	"fmt"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The tree html.Parse builds costs about 150 bytes a node, and nothing in
// x/net/html bounds it: an 8 MiB page of 900,000 tiny table rows made a
// 420 MB tree before the row cap could refuse it, and misnested formatting
// elements (<b> closed by an ancestor's end tag, then re-opened by the tree
// builder's "reconstruct the active formatting elements" before every
// later text) make a tree far larger than the page. checkPageBudget reads
// the page once with the tokenizer, which allocates nothing per token, and
// refuses a page that would build too large a tree, before html.Parse
// runs. Real python.org release pages use a few thousand tokens, and a file
// table of MaxArtifacts rows some 40,000.
const (
	// maxPageTokens bounds the tags, texts and comments of a page.
	maxPageTokens = 1 << 17
	// maxPageClones bounds an over-estimate of the elements the tree
	// builder re-creates for formatting elements left open.
	maxPageClones = 1 << 16
	// maxBudgetDepth bounds how deep checkPageBudget looks for the start
	// tag an end tag closes (html.Parse refuses pages nested deeper).
	maxBudgetDepth = 512
)

// isFormatting reports whether the tree builder keeps a at in its list of
// active formatting elements (HTML § 13.2.4.3).
func isFormatting(a atom.Atom) bool {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr,
		atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

// isVoid reports whether an element of type a has no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// checkPageBudget refuses, with an error wrapping ErrTooLarge, a page with
// more than maxPageTokens tokens, or whose formatting elements the tree
// builder could re-create more than maxPageClones times.
//
// The estimate of re-created elements follows a simplified tree: a stack
// of open elements and a list of the formatting elements that are open or
// may be re-opened. A formatting element leaves the list only when its own
// end tag closes it as the innermost open element (well-nested markup);
// one closed in any other way (by an ancestor's end tag, or never) stays,
// as the tree builder may keep it. Every text and every other start tag
// may re-create each element of the list, and is counted so. Well-nested
// pages thus count only the formatting elements open around each text (a
// link around a code element: two), and misnested ones far more than the
// tree builder would make: the estimate errs on the side of refusing.
func (p *pageParser) checkPageBudget(data []byte) error {
	z := html.NewTokenizer(bytes.NewReader(data))
	var stack []atom.Atom // open elements (tag atoms; 0 for unknown names)
	var names [][]byte    // their names, when the atom is 0
	var afe []atom.Atom   // formatting elements open or that may re-open
	tokens, clones := 0, 0
	tooLarge := func(what string, n int) error {
		return p.fail("", "", fmt.Errorf("%w: page too complex (more than %d %s)", ErrTooLarge, n, what))
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return nil // EOF, or an error html.Parse reports
		}
		tokens++
		if tokens > maxPageTokens {
			return tooLarge("tags and texts", maxPageTokens)
		}
		switch tt {
		case html.TextToken:
			clones += len(afe)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if isFormatting(a) {
				afe = append(afe, a)
			} else {
				clones += len(afe)
			}
			if tt == html.StartTagToken && !isVoid(a) {
				stack = append(stack, a)
				if a == 0 {
					names = append(names, bytes.Clone(name))
				} else {
					names = append(names, nil)
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			for i := len(stack) - 1; i >= 0 && i >= len(stack)-maxBudgetDepth; i-- {
				if stack[i] != a || (a == 0 && !bytes.Equal(names[i], name)) {
					continue
				}
				if i == len(stack)-1 && isFormatting(a) {
					// Well nested: its own end tag closes it.
					for j := len(afe) - 1; j >= 0; j-- {
						if afe[j] == a {
							afe = append(afe[:j], afe[j+1:]...)
							break
						}
					}
				}
				stack, names = stack[:i], names[:i]
				break
			}
		}
		if clones > maxPageClones {
			return tooLarge("re-opened formatting elements", maxPageClones)
		}
	}
}
