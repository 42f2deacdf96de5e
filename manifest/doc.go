// Package manifest reads what python.org publishes about a CPython release
// and turns it into a normalized, validated [Manifest]: the release page's
// file table ([ParsePage]), the JSON API ([ParseAPIv2], [ParseAPIv1],
// [FetchAPIv2], [FetchAPI]), the two cross-checked ([Reconcile], or [Merge]
// to keep every artifact and list the differences), and the saved form
// ([ReadManifest], [Manifest.WriteJSON]).
//
// Everything read here is untrusted. Inputs are size-capped, parsers never
// panic, and every manifest a function returns has passed
// [Manifest.Validate]. Malformed or inconsistent release data is reported
// as a [*DataError], so callers can tell bad data from I/O failures.
//
// The package does no network I/O of its own: callers pass readers, bytes or
// a [Fetcher].
package manifest
