// Package verify decides whether a CPython release artifact is what
// python.org's release managers published: its size and digests against
// the release data, its OpenPGP signature (up to 3.13) and its Sigstore
// bundle (the only signatures from 3.14 on, PEP 761) against trust material
// the caller chooses, by default the material embedded here
// ([DefaultPolicy], [DefaultKeyring], [DefaultTrustedRoot]).
//
// A [Verifier] is built once from a [Policy] (who signs what, per release
// series and artifact class), a [Keyring] and a Sigstore trusted root
// ([NewVerifier]; [Verifier.Fingerprint] identifies that material). It
// checks a [Target] (an artifact's name, release, listed values and
// signatures) from the artifact's bytes, read once: from a reader
// ([Verifier.VerifyReader]), a local file ([Verifier.VerifyFile]; a named
// pipe or a device is refused without blocking; [Verifier.VerifyFileContext]
// stops when its context ends, [Verifier.VerifyOpenFile] reads a file the
// caller opened), a transfer that may start over ([Verifier.NewStream]), or by digest alone
// ([Verifier.VerifyDigest]). The outcome is a report.Artifact (aliased
// here as [ArtifactReport]) whose verdict package report owns; the error
// is the verdict's (report.Artifact.Err): nil, a [*VerificationError]
// listing every check that failed, or a policy gap matching
// [ErrPolicyGap].
//
// Defaults are the secure ones: what the policy requires for an artifact
// must verify, whatever sidecar files happen to be available, and the
// package does no network I/O.
package verify
