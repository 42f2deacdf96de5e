// Package audit verifies a whole python.org mirror: a tree laid out like
// https://www.python.org/ftp/python/ (release directories X.Y.Z holding the
// artifacts of X.Y.Z and of its pre-releases, with sidecar signature files
// next to each artifact), read from a local directory or, through a fetcher
// the caller supplies, from a web server's directory listings.
//
// Each artifact is verified exactly as pyverify check verifies a file: by a
// [verify.Verifier] under its trust policy. The outcome of every artifact is
// an [Entry] with its [Problem]s, each of a named [ProblemKind]. Optional
// listings (saved manifests or python.org's API, see [Listing]) add the
// files python.org lists that the mirror lacks, files it does not list, and
// size and digest mismatches.
//
// # What the walk covers
//
// A release directory is a top-level directory whose name is a release
// version (3.12.4, 2.7, 3.14.0). Other top-level entries are reported as
// skipped, not audited. Inside a release directory every regular file that
// is not a sidecar (.asc, .sigstore, .crt, .sig, .spdx.json) is an
// artifact. Subdirectories (amd64/, win32/, arm64/: the MSI components of
// old Windows web installers) are walked too, to a depth of 3, and their
// files are audited like any other artifact: the policy decides what they
// need, and a file it cannot judge is a policy gap, never a pass. An
// artifact's version comes from its file name (3.14.0a2 files live under
// 3.14.0/); a name that carries none (core.msi, python3124.chm) takes its
// release directory's version. Symbolic links to directories are not
// followed.
//
// # Incremental audits
//
// With a state file (see [Options].State), an artifact whose size,
// modification time and inode are unchanged, whose sidecars and listed
// values are unchanged, and which was audited under the same trust material
// is not read again: its recorded outcome is reused. Any change to the
// trust material (policy, keyring, trusted root) re-checks every artifact,
// and re-reads it: OpenPGP signatures cover the bytes, and a report must
// have one meaning whatever the state file held. [Stats].Hashed counts the
// artifacts read.
package audit
