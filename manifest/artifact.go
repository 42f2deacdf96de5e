package manifest

// Schema is the value of Manifest.Schema for the format this package writes.
const Schema = "pyverify.manifest/v1"

// A Manifest lists the artifacts python.org says a release contains.
// Its JSON form is a stable contract (see the README).
type Manifest struct {
	Schema    string     `json:"schema"`
	Version   string     `json:"version"`
	Source    string     `json:"source"`
	Artifacts []Artifact `json:"artifacts"`
}

// An Artifact is one downloadable file of a release and what python.org
// publishes about it. Empty strings mean "not listed".
type Artifact struct {
	// Name is the file name, taken from the last element of URL.
	Name string `json:"name"`
	URL  string `json:"url"`
	// Label is the text of the table's Version cell ("Gzipped source tarball").
	Label       string `json:"label"`
	OS          string `json:"os"`
	Description string `json:"description"`
	Class       Class  `json:"class"`
	// Size is the exact size in bytes, or 0 when only SizeText is known.
	Size int64 `json:"size,omitempty"`
	// SizeText is the size as the page shows it ("25.9 MB" or "27174203").
	SizeText        string `json:"size_text"`
	MD5             string `json:"md5"`
	SHA256          string `json:"sha256"`
	GPGURL          string `json:"gpg_url"`
	SigstoreURL     string `json:"sigstore_url"`
	SigstoreCertURL string `json:"sigstore_cert_url"`
	SigstoreSigURL  string `json:"sigstore_sig_url"`
	SBOMURL         string `json:"sbom_url"`
}
