// Package lifecycle says where a CPython release series stands in its
// lifecycle (PEP 602 and its 2023 amendment) and gates verification on it.
//
// The data is python.org's release-cycle.json: per series, the status the
// release team gives it (feature, prerelease, bugfix, security,
// end-of-life), the date of its first release and its end of life. A copy
// is built into pyverify (Embedded); Parse reads a newer one.
//
// Dates in the data are either full (2025-10-31) or name only a month
// (2028-10): see Date. A month-only date is taken to begin on the first
// day of its month, so pyverify never calls a series supported on a day it
// may already have reached its end of life.
//
// Where the data and the calendar disagree (a series past its end-of-life
// date that the data still lists as security), the calendar wins: At
// returns the status the dates imply and says why it differs from the
// data. Nothing here reads the clock; callers pass today's date.
package lifecycle
