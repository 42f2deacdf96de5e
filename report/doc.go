// Package report holds the outcome of verifying CPython release artifacts
// and owns its verdict: a [Report] lists an [Artifact] per file, each with
// its [Check]s; a check knows whether it fails its artifact
// ([Check.FailsArtifact]); adding or replacing a check ([Artifact.Add],
// [Artifact.Replace], [Artifact.AddAfter]) keeps the verdict (Artifact.OK)
// right; and [Artifact.Err] derives the error the verdict stands for.
// No other package sets OK or builds a [VerificationError].
//
// The JSON form of a Report (schema [Schema]) is a stable contract; see
// the README. The package depends only on the standard library,
// so that packages that add checks (sbom, lifecycle) need not link the
// verifier.
package report
