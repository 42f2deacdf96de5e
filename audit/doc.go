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
// release directory's version, and so does a name of another release (a
// 3.6.15 installer in 3.12.4/), whose release check then fails: a
// WrongRelease problem. The MSI parts in amd64/, win32/ and arm64/ are
// named without a version on python.org (names.CheckReleasePath).
// Symbolic links to directories are not followed.
//
// # Incremental audits
//
// With a state file (see [OpenState] and [Options].State), each artifact's
// outcome is recorded with its size, modification time (nanoseconds),
// inode, digests, the identities of its sidecars, what the listing said of
// it, and the fingerprint of the trust material (verify.Verifier.Fingerprint). On the next run:
//
//   - nothing changed: the recorded outcome is reused, and the file is not
//     read ([Stats].Reused);
//   - the file, a sidecar or its listing changed, or --full: the artifact
//     is verified again from its bytes ([Stats].Hashed);
//   - only the trust material changed: every signature is re-checked. A
//     Sigstore bundle signs the file's SHA-256, so an artifact without an
//     .asc is re-checked against its recorded digest without reading it
//     ([Stats].Rechecked; size and MD5 do not depend on trust). An OpenPGP
//     signature covers the bytes themselves: an artifact with an .asc is
//     read again.
//
// The state file is replaced atomically (written beside it, synced,
// renamed), so an interrupted audit leaves the previous state, or, when
// committed after a cancellation, the outcomes decided so far; and a state
// file that cannot be read is an error ([StateError]), never ignored.
package audit
