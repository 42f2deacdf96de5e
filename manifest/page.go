package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParsePage reads a python.org release page (HTML) from r and returns the
// artifacts listed in its file table, validated (see [Manifest.Validate]).
//
// pageURL is the address the page was fetched from. It is used as the
// manifest's Source and to resolve relative links; it may be "" or a file
// name when every link on the page is absolute. The page's <base> element
// is ignored.
//
// want is the version the caller expects, or the zero Version if unknown.
// The page's own version is read from its title ("Python Release Python
// 3.14.0a2 | Python.org") and its heading ("Python 3.14.0a2"). If the page
// and want name different versions, or the page names none and want is
// zero, ParsePage fails.
//
// The file table is the only table whose first row's first cell reads
// "Version" (case-insensitively); other tables, such as footnotes, are
// ignored. Columns are found by their header names (case-insensitively),
// with colspan expanded, so every layout python.org has used since 2016 is
// read. The Version cell's link is the artifact; the GPG, Sigstore and SBOM
// columns hold sidecar links (Sigstore: one ".sigstore" link, or a "CRT"
// and a "SIG" link). Sizes are exact byte counts (Size and SizeText set) or
// human text such as "25.9 MB" (SizeText only, Size 0). Checksums are
// lower-cased; "n/a" and empty cells give "". Other columns are ignored.
//
// Pages larger than [MaxPageSize], tables of more than [MaxArtifacts] rows,
// pages of more than 131,072 tags and texts, and markup too deeply nested
// to read quickly or whose tree would be much larger than the page are
// rejected with an error wrapping [ErrTooLarge]. Malformed data gives a [*DataError]; a failing
// reader gives its own error.
func ParsePage(r io.Reader, pageURL string, want Version) (*Manifest, error) {
	p, err := newPageParser(pageURL)
	if err != nil {
		return nil, err
	}
	doc, err := p.read(r)
	if err != nil {
		return nil, err
	}
	parts := p.find(doc)
	if p.exhausted() {
		return nil, p.tooComplex()
	}
	v, table, header, err := p.identify(parts, want)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Schema: Schema, Version: v.String(), Source: pageURL}
	if m.Artifacts, err = p.artifacts(table, header); err != nil {
		return nil, err
	}
	if err := m.validate(p.src, "row"); err != nil {
		return nil, err
	}
	return m, nil
}

// ErrNotReleasePage is wrapped by the *DataError of a document that is not a
// python.org release page at all: it has neither a release title or heading
// ("Python 3.12.4") nor a file table. A release page with a defect gives a
// *DataError naming the row and field instead.
var ErrNotReleasePage = errors.New("not a python.org release page (no release title, no file table)")

// ErrNoPageVersion is wrapped by the *DataError of a release page that
// names no version (no "Python 3.12.4" title or heading) when the caller
// gave none either.
var ErrNoPageVersion = errors.New("the page names no version and none was given")

// A pageParser holds the state of one ParsePage call.
type pageParser struct {
	work
	src  string   // the page's name in errors
	base *url.URL // resolves relative links; nil when there is no page URL
}

func newPageParser(pageURL string) (*pageParser, error) {
	p := &pageParser{work: work{left: maxNodeVisits}, src: quoteIfNeeded(pageURL)}
	if pageURL == "" {
		p.src = "release page"
		return p, nil
	}
	var err error
	if p.base, err = url.Parse(pageURL); err != nil {
		return nil, fmt.Errorf("page URL %s: %v", quote(pageURL), err)
	}
	return p, nil
}

func (p *pageParser) fail(row, field string, err error) error {
	return &DataError{Source: p.src, Row: row, Field: field, Err: err}
}

func (p *pageParser) tooComplex() error {
	return p.fail("", "", fmt.Errorf("%w: page too complex (more than %d node visits)", ErrTooLarge, maxNodeVisits))
}

// read reads at most MaxPageSize bytes of HTML and parses them.
func (p *pageParser) read(r io.Reader) (*html.Node, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPageSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.src, err)
	}
	if len(data) > MaxPageSize {
		return nil, p.fail("", "", fmt.Errorf("%w: page larger than %d bytes", ErrTooLarge, MaxPageSize))
	}
	if err := p.checkPageBudget(data); err != nil {
		return nil, err
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, p.fail("", "", err)
	}
	return doc, nil
}

// pageParts are the elements of a page that ParsePage reads.
type pageParts struct {
	title            *html.Node // the first <title>
	headings, tables []*html.Node
}

// find collects the page's title, h1 headings and tables.
func (p *pageParser) find(doc *html.Node) pageParts {
	var parts pageParts
	p.walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Table:
				parts.tables = append(parts.tables, n)
			case atom.Title:
				if parts.title == nil {
					parts.title = n
				}
			case atom.H1:
				parts.headings = append(parts.headings, n)
			}
		}
		return true
	})
	return parts
}

// identify finds the release the page is for and its file table, telling a
// document that is no release page at all from a release page with a defect.
func (p *pageParser) identify(parts pageParts, want Version) (v Version, table, header *html.Node, err error) {
	named := p.pageVersions(parts.title, parts.headings)
	if p.exhausted() {
		return v, nil, nil, p.tooComplex()
	}
	table, header, terr := p.findFileTable(parts.tables)
	if p.exhausted() {
		return v, nil, nil, p.tooComplex()
	}
	if len(named) == 0 && table == nil && !errors.Is(terr, errBadHeader) {
		return v, nil, nil, p.fail("", "", ErrNotReleasePage)
	}
	if v, err = checkPageVersion(named, want); err != nil {
		return v, nil, nil, p.fail("", fieldVersion, err)
	}
	if terr != nil {
		field := "table"
		if errors.Is(terr, errBadHeader) {
			field = "header"
		}
		return v, nil, nil, p.fail("", field, terr)
	}
	return v, table, header, nil
}

// artifacts reads the body rows of the file table.
func (p *pageParser) artifacts(table, header *html.Node) ([]Artifact, error) {
	cols, err := p.headerColumns(header)
	if p.exhausted() {
		return nil, p.tooComplex()
	}
	if err != nil {
		return nil, p.fail("", "header", err)
	}
	var arts []Artifact
	n := 0
	for _, tr := range tableRows(table) {
		if tr == header {
			continue
		}
		cells := rowCells(tr)
		if len(cells) == 0 {
			continue
		}
		n++
		if n > MaxArtifacts {
			return nil, p.fail("", "table", fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxArtifacts))
		}
		a, field, err := p.parseRow(cols, cells, p.base)
		if p.exhausted() {
			return nil, p.tooComplex()
		}
		if err != nil {
			return nil, p.fail(rowName("row", n, a.Name), field, err)
		}
		arts = append(arts, a)
	}
	if n == 0 {
		return nil, p.fail("", "table", errors.New("the file table has no rows"))
	}
	return arts, nil
}

// work bounds the number of nodes ParsePage visits, so that nested markup
// (text read from an element and again from its ancestors) cannot make
// parsing slow.
type work struct {
	left int
}

// maxNodeVisits is the work budget of one ParsePage call.
const maxNodeVisits = 16 << 20

func (w *work) exhausted() bool { return w.left < 0 }

// walk visits root and its descendants in document order, without
// recursion, until the budget runs out. visit returns whether to visit n's
// children.
func (w *work) walk(root *html.Node, visit func(n *html.Node) bool) {
	n := root
	for n != nil {
		w.left--
		if w.left < 0 {
			return
		}
		if visit(n) && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// textOf returns the text inside n, with runs of ASCII white space collapsed
// to one space and leading and trailing white space (including non-breaking
// spaces) removed.
func (w *work) textOf(n *html.Node) string {
	var b strings.Builder
	w.walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template:
				return false
			case atom.Br, atom.P, atom.Div, atom.Td, atom.Th, atom.Li:
				b.WriteByte(' ')
			}
		}
		return true
	})
	return collapseSpace(b.String())
}

func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, f := range strings.FieldsFunc(s, isHTMLSpace) {
		if space {
			b.WriteByte(' ')
		}
		b.WriteString(f)
		space = true
	}
	return strings.Trim(b.String(), nbsp)
}

// isHTMLSpace reports whether r is ASCII white space as HTML defines it.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
}

// pageVersions returns the distinct versions the page names in its title
// ("Python Release Python 3.14.0a2 | Python.org") and h1 headings
// ("Python 3.14.0a2").
func (w *work) pageVersions(title *html.Node, headings []*html.Node) []Version {
	var found []Version
	add := func(s string) {
		rest, ok := strings.CutPrefix(s, "Python ")
		if !ok || strings.ContainsAny(rest, " \u00a0") {
			return
		}
		v, err := ParseVersion(rest)
		if err != nil {
			return
		}
		for _, f := range found {
			if f.Compare(v) == 0 {
				return
			}
		}
		found = append(found, v)
	}
	if title != nil {
		t := w.textOf(title)
		if i := strings.IndexByte(t, '|'); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
		if rest, ok := strings.CutPrefix(t, "Python Release "); ok {
			add(rest)
		}
	}
	for _, h := range headings {
		add(w.textOf(h))
	}
	return found
}

// checkPageVersion checks the versions a page names against want.
func checkPageVersion(found []Version, want Version) (Version, error) {
	switch {
	case len(found) > 1:
		return Version{}, fmt.Errorf("the page names both %s and %s", found[0], found[1])
	case len(found) == 1 && !want.IsZero() && found[0].Compare(want) != 0:
		return Version{}, fmt.Errorf("the page is for %s, not %s", found[0], want)
	case len(found) == 1:
		return found[0], nil
	case want.IsZero():
		return Version{}, ErrNoPageVersion
	}
	return want, nil
}

var errBadHeader = errors.New("bad header")

// findFileTable returns the file table and its header row.
func (w *work) findFileTable(tables []*html.Node) (table, header *html.Node, err error) {
	looksLikeFiles := false
	for _, t := range tables {
		var h *html.Node
		for _, tr := range tableRows(t) {
			if len(rowCells(tr)) > 0 {
				h = tr
				break
			}
		}
		if h == nil {
			continue
		}
		cells := rowCells(h)
		if strings.EqualFold(w.headerText(cells[0]), "version") {
			if table != nil {
				return nil, nil, errors.New("more than one file table (a table whose header row starts with \"Version\")")
			}
			table, header = t, h
			continue
		}
		for _, c := range cells {
			if k := headerKey(w.headerText(c)); k != colNone && k != colOS && k != colDesc {
				looksLikeFiles = true
			}
		}
	}
	if table == nil {
		if looksLikeFiles {
			return nil, nil, fmt.Errorf("%w: the file table's header row does not start with a Version column", errBadHeader)
		}
		return nil, nil, errors.New("no file table (a table whose header row starts with \"Version\")")
	}
	return table, header, nil
}

// tableRows returns t's own rows (not those of nested tables).
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.Type == html.ElementNode && r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// rowCells returns the td and th cells of tr.
func rowCells(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells = append(cells, c)
		}
	}
	return cells
}

// A colKey says what a column of the file table holds.
type colKey int

const (
	colNone colKey = iota
	colVersion
	colOS
	colDesc
	colMD5
	colSHA256
	colSize
	colGPG
	colSigstore
	colSBOM
)

var colNames = [...]string{"", "Version", "Operating System", "Description", "MD5", "SHA-256", "File Size", "GPG", "Sigstore", "SBOM"}

func (w *work) headerText(cell *html.Node) string {
	return strings.ToLower(strings.ReplaceAll(w.textOf(cell), nbsp, " "))
}

// headerKey maps a lower-cased header cell text to a column key.
func headerKey(h string) colKey {
	switch {
	case h == "version":
		return colVersion
	case h == "operating system" || h == "os":
		return colOS
	case h == "description":
		return colDesc
	case strings.HasPrefix(h, "md5"):
		return colMD5
	case strings.HasPrefix(h, "sha256") || strings.HasPrefix(h, "sha-256") || strings.HasPrefix(h, "sha 256"):
		return colSHA256
	case strings.HasPrefix(h, "file size") || h == "size":
		return colSize
	case h == "gpg" || h == "openpgp" || h == "pgp":
		return colGPG
	case h == "sigstore":
		return colSigstore
	case h == "sbom" || strings.HasPrefix(h, "sbom "):
		return colSBOM
	}
	return colNone
}

// maxColumns bounds the width of the file table, colspan included.
const maxColumns = 64

// colspan returns the colspan of a cell, clamped to [1, maxColumns].
func colspan(cell *html.Node) int {
	for _, a := range cell.Attr {
		if a.Namespace == "" && a.Key == "colspan" {
			n, err := strconv.Atoi(strings.TrimSpace(a.Val))
			if err != nil || n < 1 {
				return 1
			}
			return min(n, maxColumns)
		}
	}
	return 1
}

// headerColumns maps each column of the file table to its key.
func (w *work) headerColumns(header *html.Node) ([]colKey, error) {
	var cols []colKey
	seen := map[colKey]bool{}
	for _, c := range rowCells(header) {
		k := headerKey(w.headerText(c))
		if k != colNone {
			if seen[k] {
				return nil, fmt.Errorf("two %s columns", colNames[k])
			}
			seen[k] = true
		}
		for range colspan(c) {
			cols = append(cols, k)
		}
		if len(cols) > maxColumns {
			return nil, fmt.Errorf("more than %d columns", maxColumns)
		}
	}
	return cols, nil
}

// columnCells returns the distinct cells of a row that lie in columns of
// kind k.
func columnCells(cols []colKey, spread []*html.Node, k colKey) []*html.Node {
	var out []*html.Node
	for i, c := range spread {
		if i < len(cols) && cols[i] == k && (len(out) == 0 || out[len(out)-1] != c) {
			out = append(out, c)
		}
	}
	return out
}

// a link found in a cell.
type link struct {
	href, text string
}

func (w *work) cellLinks(cells []*html.Node) []link {
	var out []link
	for _, cell := range cells {
		w.walk(cell, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.DataAtom == atom.A {
				for _, a := range n.Attr {
					if a.Namespace == "" && a.Key == "href" {
						out = append(out, link{strings.Trim(a.Val, " \t\n\f\r"), w.textOf(n)})
						break
					}
				}
			}
			return true
		})
	}
	return out
}

func (w *work) cellsText(cells []*html.Node) string {
	var parts []string
	for _, c := range cells {
		if t := w.textOf(c); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// checksumText returns a checksum cell's text: the text of its <code>
// elements if it has any (2026 pages split the digest into pieces with
// <span> and <wbr>), else the cell's text, without any white space,
// lower-cased, and "" for "n/a".
func (w *work) checksumText(cells []*html.Node) string {
	var b strings.Builder
	for _, cell := range cells {
		var codes []*html.Node
		w.walk(cell, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.DataAtom == atom.Code {
				codes = append(codes, n)
				return false
			}
			return true
		})
		if len(codes) == 0 {
			codes = []*html.Node{cell}
		}
		for _, c := range codes {
			b.WriteString(w.textOf(c))
		}
	}
	s := strings.ToLower(strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool {
		return isHTMLSpace(r) || r == '\u00a0'
	}), ""))
	if s == "n/a" {
		return ""
	}
	return s
}

// resolve resolves a link against the page URL and returns it in canonical
// form.
func resolve(base *url.URL, href string) (string, error) {
	u, err := url.Parse(href)
	if err != nil {
		return "", fmt.Errorf("link %s does not parse", quote(href))
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String(), nil
}

// parseRow reads one body row of the file table.
func (w *work) parseRow(cols []colKey, cells []*html.Node, base *url.URL) (Artifact, string, error) {
	var a Artifact
	var spread []*html.Node
	for _, c := range cells {
		for range colspan(c) {
			spread = append(spread, c)
		}
		if len(spread) > maxColumns {
			return a, "", fmt.Errorf("more than %d columns", maxColumns)
		}
	}
	in := func(k colKey) []*html.Node { return columnCells(cols, spread, k) }

	vcells := in(colVersion)
	links := w.cellLinks(vcells)
	if len(links) == 0 {
		return a, fieldURL, errors.New("no link in the Version cell")
	}
	for _, l := range links[1:] {
		if l.href != links[0].href {
			return a, fieldURL, errors.New("more than one link in the Version cell")
		}
	}
	u, err := resolve(base, links[0].href)
	if err != nil {
		return a, fieldURL, err
	}
	a.URL = u
	if pu, err := url.Parse(u); err == nil {
		a.Name = fileName(pu)
	}
	a.Class = ClassOf(a.Name)
	a.Label = w.cellsText(vcells)
	a.OS = w.cellsText(in(colOS))
	a.Description = w.cellsText(in(colDesc))
	a.MD5 = w.checksumText(in(colMD5))
	a.SHA256 = w.checksumText(in(colSHA256))

	if st := w.cellsText(in(colSize)); st != "" && !strings.EqualFold(st, "n/a") {
		n, exact, err := parseSizeText(st)
		if err != nil {
			return a, fieldSizeText, err
		}
		a.SizeText = st
		if exact {
			a.Size = n
		}
	}

	// set stores a sidecar link, refusing two different ones.
	set := func(dst *string, href string) error {
		u, err := resolve(base, href)
		if err != nil {
			return err
		}
		if *dst != "" && *dst != u {
			return errors.New("more than one link")
		}
		*dst = u
		return nil
	}
	for _, l := range w.cellLinks(in(colGPG)) {
		if err := set(&a.GPGURL, l.href); err != nil {
			return a, fieldGPG, err
		}
	}
	for _, l := range w.cellLinks(in(colSBOM)) {
		if err := set(&a.SBOMURL, l.href); err != nil {
			return a, fieldSBOM, err
		}
	}
	for _, l := range w.cellLinks(in(colSigstore)) {
		var dst *string
		var field string
		switch t, h := strings.ToLower(l.text), strings.ToLower(l.href); {
		case t == ".sigstore" || t == "sigstore" || t == "bundle":
			dst, field = &a.SigstoreURL, fieldSigstore
		case t == "crt" || t == "cert" || t == "certificate":
			dst, field = &a.SigstoreCertURL, fieldSigCert
		case t == "sig" || t == "signature":
			dst, field = &a.SigstoreSigURL, fieldSigSig
		case strings.HasSuffix(h, ".sigstore"):
			dst, field = &a.SigstoreURL, fieldSigstore
		case strings.HasSuffix(h, ".crt"):
			dst, field = &a.SigstoreCertURL, fieldSigCert
		case strings.HasSuffix(h, ".sig"):
			dst, field = &a.SigstoreSigURL, fieldSigSig
		default:
			return a, fieldSigstore, fmt.Errorf("link %s in the Sigstore column is neither a bundle, a certificate nor a signature", quote(l.text))
		}
		if err := set(dst, l.href); err != nil {
			return a, field, err
		}
	}
	return a, "", nil
}
