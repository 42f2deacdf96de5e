package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/report"
)

// PolicySchema is the value of the "schema" field of a policy file.
const PolicySchema = "pyverify.policy/v1"

// maxPolicySize caps the size of a policy file.
const maxPolicySize = 1 << 20

// ErrPolicyGap is wrapped by errors that say the policy does not name who
// signs an artifact: its series is not in the policy, or no signer is pinned
// for its class. A gap is never a pass. It is [report.ErrPolicyGap].
var ErrPolicyGap = report.ErrPolicyGap

// A Policy says, per release series, whose signatures an artifact must carry.
// It is data, read by ParsePolicy from a JSON file of this form:
//
//	{
//	  "schema": "pyverify.policy/v1",
//	  "sigstore_require_sct": true,
//	  "signers": {
//	    "thomas": {"name": "Thomas Wouters", "email": "thomas@python.org",
//	               "openpgp": ["7169605F62C751356D054A26A821E680E5FA6305"],
//	               "sigstore_identity": "thomas@python.org",
//	               "sigstore_issuer": "https://accounts.google.com"}
//	  },
//	  "series": {
//	    "3.12": {"sigstore": "thomas", "sigstore_since": "3.12.0a1",
//	             "openpgp": {"source": "thomas", "windows": "steve", "macos": "ned"},
//	             "openpgp_legacy": false, "sigstore_only": false}
//	  }
//	}
//
// Fields:
//   - schema: must be "pyverify.policy/v1".
//   - sigstore_require_sct: whether Sigstore certificates must carry a signed
//     certificate timestamp (true for the public-good instance; absent means true).
//   - signers: people, by an ID that series refer to. "openpgp" lists the full
//     40-hex-digit primary-key fingerprints pinned for them (any case, spaces
//     allowed; stored upper-case). "sigstore_identity" (the certificate's email
//     SAN) and "sigstore_issuer" (the OIDC issuer URL) must both be set for a
//     signer that a series names as its Sigstore signer.
//   - series: keyed "MAJOR.MINOR". "sigstore" names the signer whose Sigstore
//     identity signs the series: a bundle that verifies against it is
//     accepted for every release of the series, of every class.
//     "sigstore_since" is the first release signed with Sigstore (absent
//     means the whole series): it says only from when a bundle is expected.
//     "openpgp" maps an artifact class (see names.Class: source, windows,
//     macos, docs, …) to a signer ID or a list of them. "openpgp_legacy" lets
//     OpenPGP signatures of the series use DSA, SHA-1 and RSA keys under 2048
//     bits (accepted with a warning). "sigstore_only" marks series that publish
//     no OpenPGP signatures (PEP 761); such a series must not list OpenPGP
//     signers.
//
// Unknown fields, malformed fingerprints, versions or URLs, and references to
// signers that do not exist are errors.
type Policy struct {
	requireSCT bool
	signers    map[string]*Signer
	series     map[string]*seriesPolicy
	// file is the normalized form, kept for MarshalJSON.
	file policyJSON
	// source is the SHA-256 of the file the policy was parsed from: the
	// verifier's Fingerprint covers the file as written.
	source [32]byte
}

// A Signer is a person whose signatures the policy trusts.
type Signer struct {
	// ID is the key under which the policy lists the signer ("thomas").
	ID    string
	Name  string
	Email string
	// OpenPGP lists the pinned primary-key fingerprints, upper-case hex.
	OpenPGP []string
	// SigstoreIdentity and SigstoreIssuer are the exact certificate identity
	// (email SAN) and OIDC issuer of the signer's Sigstore signatures.
	SigstoreIdentity string
	SigstoreIssuer   string
}

// String returns the signer's name and e-mail address.
func (s Signer) String() string {
	if s.Email == "" {
		return s.Name
	}
	return s.Name + " <" + s.Email + ">"
}

// A Requirement is what the policy demands of one artifact. It answers two
// questions separately: which signatures are accepted (Sigstore, OpenPGP)
// and whether a Sigstore bundle is expected for the release
// (SigstoreExpected).
type Requirement struct {
	// Series is the release series, such as "3.12".
	Series string
	// Sigstore is the signer whose Sigstore identity the series names, or
	// nil when the policy names none for the series. A bundle that verifies
	// against this identity is accepted for any release of the series,
	// including releases signed before SigstoreSince (python.org signed some
	// older releases with Sigstore after the fact).
	Sigstore *Signer
	// SigstoreExpected reports whether the release is one python.org signs
	// with Sigstore (SigstoreSince or later): only then is a missing bundle
	// reported as expected-but-missing, and only then may a bundle stand in
	// for the OpenPGP signature when neither is present.
	SigstoreExpected bool
	// SigstoreSince is the first release of the series signed with
	// Sigstore; zero when the series has no Sigstore signer.
	SigstoreSince names.Version
	// OpenPGP lists the signers whose OpenPGP signature is accepted for the
	// artifact's class; empty when there are none (always so when
	// SigstoreOnly).
	OpenPGP []Signer
	// OpenPGPLegacy reports whether legacy OpenPGP algorithms (DSA, SHA-1,
	// RSA under 2048 bits) are accepted, with a warning.
	OpenPGPLegacy bool
	// SigstoreOnly reports whether the series publishes no OpenPGP
	// signatures (PEP 761).
	SigstoreOnly bool

	// noneExpected, when set, is the policy gap of an artifact that no
	// signature is expected for: no OpenPGP signer is pinned for its class
	// and its release predates Sigstore signing. A bundle by the series'
	// identity still verifies it; without one, this is the outcome.
	noneExpected error
}

// OpenPGPFingerprints returns every fingerprint pinned by r.OpenPGP.
func (r Requirement) OpenPGPFingerprints() []string {
	var out []string
	for _, s := range r.OpenPGP {
		out = append(out, s.OpenPGP...)
	}
	return out
}

// seriesPolicy is one parsed entry of "series".
type seriesPolicy struct {
	name          string
	sigstore      *Signer
	sigstoreSince names.Version
	openpgp       map[names.Class][]*Signer
	legacy        bool
	sigstoreOnly  bool
}

// The JSON form of a policy file.
type policyJSON struct {
	Schema             string                `json:"schema"`
	SigstoreRequireSCT *bool                 `json:"sigstore_require_sct,omitempty"`
	Signers            map[string]signerJSON `json:"signers"`
	Series             map[string]seriesJSON `json:"series"`
}

type signerJSON struct {
	Name             string   `json:"name"`
	Email            string   `json:"email,omitempty"`
	OpenPGP          []string `json:"openpgp,omitempty"`
	SigstoreIdentity string   `json:"sigstore_identity,omitempty"`
	SigstoreIssuer   string   `json:"sigstore_issuer,omitempty"`
}

type seriesJSON struct {
	Sigstore      string                `json:"sigstore,omitempty"`
	SigstoreSince string                `json:"sigstore_since,omitempty"`
	OpenPGP       map[string]signerRefs `json:"openpgp,omitempty"`
	OpenPGPLegacy bool                  `json:"openpgp_legacy"`
	SigstoreOnly  bool                  `json:"sigstore_only"`
}

// signerRefs is a signer ID or a list of them.
type signerRefs []string

func (r *signerRefs) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*r = signerRefs{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("want a signer ID or a list of signer IDs")
	}
	*r = many
	return nil
}

func (r signerRefs) MarshalJSON() ([]byte, error) {
	if len(r) == 1 {
		return json.Marshal(r[0])
	}
	return json.Marshal([]string(r))
}

// ParsePolicy parses and checks a policy file (see Policy for the format).
func ParsePolicy(data []byte) (*Policy, error) {
	if len(data) > maxPolicySize {
		return nil, fmt.Errorf("policy: larger than %d bytes", maxPolicySize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f policyJSON
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("policy: %s", jsonError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("policy: unexpected data after the JSON object")
	}
	p, err := buildPolicy(f)
	if err != nil {
		return nil, err
	}
	p.source = sha256.Sum256(data)
	return p, nil
}

// jsonError words an encoding/json error so that it names the field.
func jsonError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "top level"
		}
		return fmt.Sprintf("%s: cannot use a JSON %s here", field, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	if err == io.EOF {
		return "empty file"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// buildPolicy checks a decoded policy file and builds the Policy: the
// schema, then every signer, then every series (which refer to signers).
func buildPolicy(f policyJSON) (*Policy, error) {
	if f.Schema != PolicySchema {
		return nil, fmt.Errorf("policy: schema: want %q, got %q", PolicySchema, escape(f.Schema))
	}
	if len(f.Series) == 0 {
		return nil, errors.New("policy: series: no series listed")
	}
	p := &Policy{
		requireSCT: f.SigstoreRequireSCT == nil || *f.SigstoreRequireSCT,
		signers:    map[string]*Signer{},
		series:     map[string]*seriesPolicy{},
	}
	p.file = policyJSON{
		Schema:             f.Schema,
		SigstoreRequireSCT: &p.requireSCT,
		Signers:            map[string]signerJSON{},
		Series:             map[string]seriesJSON{},
	}
	for id, sj := range f.Signers {
		if err := p.addSigner(id, sj); err != nil {
			return nil, err
		}
	}
	for key, sj := range f.Series {
		if err := p.addSeries(key, sj); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// addSigner checks one entry of "signers" and adds it to p.
func (p *Policy) addSigner(id string, sj signerJSON) error {
	field := fmt.Sprintf("signers[%q]", id)
	if !validID(id) {
		return fmt.Errorf("policy: %s: IDs are 1-64 of a-z, 0-9, '-', '_', '.'", field)
	}
	s := &Signer{ID: id, Name: sj.Name, Email: sj.Email,
		SigstoreIdentity: sj.SigstoreIdentity, SigstoreIssuer: sj.SigstoreIssuer}
	if strings.TrimSpace(sj.Name) == "" || !printable(sj.Name) {
		return fmt.Errorf("policy: %s.name: missing or not printable", field)
	}
	if sj.Email != "" && !printable(sj.Email) {
		return fmt.Errorf("policy: %s.email: not printable", field)
	}
	fprs, err := signerFingerprints(field, sj.OpenPGP)
	if err != nil {
		return err
	}
	s.OpenPGP = fprs
	if err := checkSigstoreIdentity(field, sj); err != nil {
		return err
	}
	if len(s.OpenPGP) == 0 && s.SigstoreIdentity == "" {
		return fmt.Errorf("policy: %s: has neither openpgp fingerprints nor a sigstore identity", field)
	}
	p.signers[id] = s
	p.file.Signers[id] = signerJSON{Name: s.Name, Email: s.Email, OpenPGP: s.OpenPGP,
		SigstoreIdentity: s.SigstoreIdentity, SigstoreIssuer: s.SigstoreIssuer}
	return nil
}

// signerFingerprints normalizes a signer's pinned fingerprints: full ones
// only, each once.
func signerFingerprints(field string, list []string) ([]string, error) {
	var out []string
	for i, fpr := range list {
		n := normalizeFingerprint(fpr)
		if !isFingerprint(n) {
			return nil, fmt.Errorf("policy: %s.openpgp[%d]: %q is not a full fingerprint (40 hex digits)", field, i, escape(fpr))
		}
		if slices.Contains(out, n) {
			return nil, fmt.Errorf("policy: %s.openpgp[%d]: %s listed twice", field, i, n)
		}
		out = append(out, n)
	}
	return out, nil
}

// checkSigstoreIdentity checks a signer's Sigstore identity and issuer:
// both or neither, an identity without spaces, an https issuer.
func checkSigstoreIdentity(field string, sj signerJSON) error {
	if (sj.SigstoreIdentity == "") != (sj.SigstoreIssuer == "") {
		return fmt.Errorf("policy: %s: sigstore_identity and sigstore_issuer must be set together", field)
	}
	if sj.SigstoreIdentity == "" {
		return nil
	}
	if !printable(sj.SigstoreIdentity) || strings.ContainsAny(sj.SigstoreIdentity, " \t") {
		return fmt.Errorf("policy: %s.sigstore_identity: %q is not a valid identity", field, escape(sj.SigstoreIdentity))
	}
	u, err := url.Parse(sj.SigstoreIssuer)
	if err != nil || u.Scheme != "https" || u.Host == "" || !printable(sj.SigstoreIssuer) {
		return fmt.Errorf("policy: %s.sigstore_issuer: %q is not an https URL", field, escape(sj.SigstoreIssuer))
	}
	return nil
}

// addSeries checks one entry of "series" and adds it to p: its key, its
// Sigstore signer and first Sigstore release, the sigstore_only rules and
// its OpenPGP signers per class.
func (p *Policy) addSeries(key string, sj seriesJSON) error {
	field := fmt.Sprintf("series[%q]", key)
	v, err := names.ParseVersion(key)
	if err != nil || v.HasPatch || v.IsPrerelease() || v.String() != key {
		return fmt.Errorf("policy: %s: series keys are MAJOR.MINOR, such as \"3.12\"", field)
	}
	sp := &seriesPolicy{name: key, legacy: sj.OpenPGPLegacy, sigstoreOnly: sj.SigstoreOnly,
		openpgp: map[names.Class][]*Signer{}}
	if err := p.seriesSigstore(field, key, sj, sp); err != nil {
		return err
	}
	if err := checkSigstoreOnly(field, sj, sp); err != nil {
		return err
	}
	for cname, refs := range sj.OpenPGP {
		if err := p.seriesOpenPGP(fmt.Sprintf("%s.openpgp[%q]", field, cname), cname, refs, sp); err != nil {
			return err
		}
	}
	if sp.sigstore == nil && len(sp.openpgp) == 0 {
		return fmt.Errorf("policy: %s: names no signer", field)
	}
	p.series[key] = sp
	nj := sj
	if sp.sigstore != nil {
		nj.SigstoreSince = sp.sigstoreSince.String()
	}
	p.file.Series[key] = nj
	return nil
}

// seriesSigstore resolves a series' Sigstore signer and the release from
// which its bundles are expected (absent: the whole series).
func (p *Policy) seriesSigstore(field, key string, sj seriesJSON, sp *seriesPolicy) error {
	if sj.Sigstore == "" {
		if sj.SigstoreSince != "" {
			return fmt.Errorf("policy: %s.sigstore_since: set without a sigstore signer", field)
		}
		return nil
	}
	s, ok := p.signers[sj.Sigstore]
	if !ok {
		return fmt.Errorf("policy: %s.sigstore: unknown signer %q", field, escape(sj.Sigstore))
	}
	if s.SigstoreIdentity == "" {
		return fmt.Errorf("policy: %s.sigstore: signer %q has no sigstore_identity and sigstore_issuer", field, sj.Sigstore)
	}
	sp.sigstore = s
	since := key + ".0a1"
	if sj.SigstoreSince != "" {
		since = sj.SigstoreSince
	}
	sv, err := names.ParseVersion(since)
	if err != nil || !sv.HasPatch || sv.Series() != key {
		return fmt.Errorf("policy: %s.sigstore_since: %q is not a release of series %s", field, escape(since), key)
	}
	sp.sigstoreSince = sv
	return nil
}

// checkSigstoreOnly enforces that a sigstore_only series has a Sigstore
// signer and no OpenPGP entries.
func checkSigstoreOnly(field string, sj seriesJSON, sp *seriesPolicy) error {
	if !sj.SigstoreOnly {
		return nil
	}
	switch {
	case sp.sigstore == nil:
		return fmt.Errorf("policy: %s.sigstore_only: set without a sigstore signer", field)
	case len(sj.OpenPGP) > 0:
		return fmt.Errorf("policy: %s.openpgp: a sigstore_only series must not list OpenPGP signers", field)
	case sj.OpenPGPLegacy:
		return fmt.Errorf("policy: %s.openpgp_legacy: a sigstore_only series has no OpenPGP signatures", field)
	}
	return nil
}

// seriesOpenPGP resolves the OpenPGP signers of one artifact class.
func (p *Policy) seriesOpenPGP(cfield, cname string, refs signerRefs, sp *seriesPolicy) error {
	c, ok := names.ParseClass(cname)
	if !ok {
		return fmt.Errorf("policy: %s: unknown artifact class", cfield)
	}
	if len(refs) == 0 {
		return fmt.Errorf("policy: %s: no signer listed", cfield)
	}
	for _, id := range refs {
		s, ok := p.signers[id]
		if !ok {
			return fmt.Errorf("policy: %s: unknown signer %q", cfield, escape(id))
		}
		if len(s.OpenPGP) == 0 {
			return fmt.Errorf("policy: %s: signer %q has no openpgp fingerprints", cfield, id)
		}
		if slices.Contains(sp.openpgp[c], s) {
			return fmt.Errorf("policy: %s: signer %q listed twice", cfield, id)
		}
		sp.openpgp[c] = append(sp.openpgp[c], s)
	}
	return nil
}

// validID reports whether id is a usable signer ID.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// printable reports whether s has no control characters and is at most
// 256 bytes.
func printable(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\uFFFD' {
			return false
		}
	}
	return true
}

// SigstoreRequireSCT reports whether Sigstore certificates must carry a
// signed certificate timestamp.
func (p *Policy) SigstoreRequireSCT() bool { return p.requireSCT }

// Series returns the series the policy covers, oldest first.
func (p *Policy) Series() []string {
	out := make([]string, 0, len(p.series))
	for k := range p.series {
		out = append(out, k)
	}
	sortSeries(out)
	return out
}

// hasSigstore reports whether the policy names a Sigstore identity for the
// series ("3.12"): only then can a bundle count as a signature of its
// releases.
func (p *Policy) hasSigstore(series string) bool {
	sp, ok := p.series[series]
	return ok && sp.sigstore != nil
}

// Signers returns the policy's signers, sorted by ID.
func (p *Policy) Signers() []Signer {
	out := make([]Signer, 0, len(p.signers))
	for _, s := range p.signers {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func sortSeries(s []string) {
	sort.Slice(s, func(i, j int) bool {
		return names.MustParseVersion(s[i]).Less(names.MustParseVersion(s[j]))
	})
}

// Lookup returns what the policy demands of an artifact of class c in
// release v. The error wraps ErrPolicyGap when the series is not in the
// policy or when nobody is pinned to sign such an artifact.
//
// A series' Sigstore identity is accepted for every release of the series
// (Requirement.Sigstore); its "sigstore_since" release only says from when
// a bundle is expected (Requirement.SigstoreExpected).
func (p *Policy) Lookup(v names.Version, c names.Class) (Requirement, error) {
	if v.IsZero() {
		return Requirement{}, errors.New("policy: no version given")
	}
	sp, ok := p.series[v.Series()]
	if !ok {
		return Requirement{}, fmt.Errorf("%w: series %s is not in the policy", ErrPolicyGap, v.Series())
	}
	if _, ok := names.ParseClass(string(c)); !ok {
		return Requirement{}, fmt.Errorf("%w: unknown artifact class %q", ErrPolicyGap, escape(string(c)))
	}
	r := Requirement{Series: sp.name, OpenPGPLegacy: sp.legacy, SigstoreOnly: sp.sigstoreOnly}
	if sp.sigstore != nil {
		s := *sp.sigstore
		r.Sigstore = &s
		r.SigstoreSince = sp.sigstoreSince
		r.SigstoreExpected = v.Compare(sp.sigstoreSince) >= 0
	}
	if !sp.sigstoreOnly {
		for _, s := range sp.openpgp[c] {
			r.OpenPGP = append(r.OpenPGP, *s)
		}
	}
	switch {
	case r.Sigstore == nil && len(r.OpenPGP) == 0:
		return Requirement{}, fmt.Errorf("%w: no signer is pinned for %s files of %s", ErrPolicyGap, c, sp.name)
	case !r.SigstoreExpected && len(r.OpenPGP) == 0:
		r.noneExpected = fmt.Errorf("%w: no OpenPGP signer is pinned for %s files of %s, and %s predates Sigstore signing (first: %s)",
			ErrPolicyGap, c, sp.name, v, sp.sigstoreSince)
	}
	return r, nil
}

// MarshalJSON returns the policy in the file format ParsePolicy reads, with
// fingerprints normalized and series in version order.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"schema":`)
	schema, _ := json.Marshal(p.file.Schema)
	b.Write(schema)
	fmt.Fprintf(&b, `,"sigstore_require_sct":%t,"signers":`, p.requireSCT)
	signers, err := json.Marshal(p.file.Signers)
	if err != nil {
		return nil, err
	}
	b.Write(signers)
	b.WriteString(`,"series":{`)
	for i, k := range p.Series() {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		val, err := json.Marshal(p.file.Series[k])
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}
