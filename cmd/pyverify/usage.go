package main

const exitCodesText = `Exit status:
    0  success: every selected artifact verified
    1  verification failed: a size, digest or signature check failed, or a
       lifecycle gate (--deny-eol, …) refused the release
    2  usage error, or unreadable or invalid input (flags, pages, manifests,
       trust material)
    3  network or I/O failure (download failed, destination not writable)
    4  policy gap: nothing to verify against (unknown series, or no pinned
       signer for an artifact's class, or a gate asked for on a series the
       lifecycle data does not know)
`

const trustFlagsText = `Trust flags (all commands that verify):
    --policy FILE        replace the embedded trust policy (see 'pyverify policy')
    --keyring FILE       replace the embedded release-manager OpenPGP keys
    --trusted-root FILE  replace the embedded Sigstore trusted_root.json
    --require KINDS      demand these signatures even where one would do:
                         openpgp, sigstore, or openpgp,sigstore
`

const lifecycleFlagsText = `Lifecycle gates (evaluated after the signatures; a refusal fails the file,
and 'verify' never places it in --dest):
    --deny-eol            refuse a release whose series is end-of-life
    --deny-prerelease     refuse an alpha, beta or release candidate
    --deny-security-only  refuse a series that no longer gets bugfix
                          releases (security-only or end-of-life)
    --today DATE          the day to judge by, YYYY-MM-DD (default: today, UTC)
    --release-cycle FILE  replace the embedded release-cycle.json
                          (see 'pyverify lifecycle')
`

const usageMain = `pyverify proves that CPython release files are exactly what python.org's
release managers published: sizes, MD5 and SHA-256 digests, OpenPGP
signatures (up to 3.13) and Sigstore bundles (the only signatures from 3.14
on, PEP 761), checked against trust material built into pyverify.

Usage:
    pyverify verify VERSION [--os CLASSES] [--file NAME]... [--dest DIR]
    pyverify check FILE... [--manifest FILE]
    pyverify check sha256:HEX --name FILE --sigstore BUNDLE
    pyverify check --pins PINFILE FILE...
    pyverify check --pins PINFILE|DIR... [--bundles DIR] [--download]
    pyverify pins VERSION [--os CLASSES] [--file NAME]... --format FORMAT
    pyverify manifest VERSION [--json] [--api]
    pyverify manifest --page FILE|URL [--api-file FILE] [--json]
    pyverify policy [--json]
    pyverify lifecycle [VERSION|SERIES] [--json]
    pyverify audit ROOT [--state FILE] [--manifests DIR | --api] [--shard I/N]
    pyverify audit --merge REPORT...
    pyverify --version

Commands:
    verify    download a release from python.org (or a mirror) and verify it
    check     verify files you already have, or a digest, or prove the
              digests a pin file holds (pyenv, Docker, Homebrew, SHA256SUMS)
    pins      verify a release, then print the digests that verified, for a
              Dockerfile, sha256sum -c or a CI step
    manifest  show what python.org says a release contains
    policy    print the trust policy: who signs what, per series
    lifecycle show where a series stands: bugfix, security, end of life
    audit     verify a whole python.org mirror, incrementally, in shards

Run 'pyverify COMMAND --help' or 'pyverify help COMMAND' for a command's
flags and examples.

Examples:
    $ pyverify verify 3.13.1 --os source --dest ./downloads
    $ pyverify check Python-3.12.4.tgz
    $ pyverify pins 3.13.1 --os source --dest dl > SHA256SUMS
    $ pyverify manifest 3.14.0 --json > manifest.json
    $ pyverify policy
    $ pyverify lifecycle 3.12
    $ pyverify verify 3.12.4 --os source --deny-eol --deny-prerelease
    $ pyverify audit /srv/mirror/python --state audit.state

MD5 is checked for integrity only: it is not a signature and proves nothing
about who made a file.

` + exitCodesText

const usageVerify = `Usage:
    pyverify verify VERSION [flags]

Reads the release's file table from python.org (or --base-url), downloads
the selected files and their signatures, verifies each one under the trust
policy, and moves only verified files into --dest, each with the
signatures that verified it (FILE.asc, FILE.sigstore). Files are downloaded
into a cache first; a failed file never appears in --dest.

The file table is read from the release page and from the JSON API (v2,
or v1 where v2 cannot be read) and cross-checked: the API's exact sizes and
digests fill what the page lacks, and a file on which they disagree (a
file listed by one only, a different MD5, SHA-256, size or signature URL)
fails, with both values. If the API cannot be reached (or rate-limits
the run: a 429 is neither retried nor waited for), the run goes on
with the page alone and warns; an API that answers with malformed data
stops the run (exit 2). The report lists the sources read.

Each file is bound to the release asked for (the report's release check):
the listing may name only files python.org's naming gives that release
(anything else stops the run, exit 2, before any download); a source
tarball must unpack into Python-VERSION/ (read from the head of the
stream while it is hashed); and no signature may be dated well before the
release came out (pyverify's own table of release dates). A file whose
content or signing time names another release never reaches --dest.

Flags:
    --os CLASSES      only these classes: source, windows, macos, android, ios,
                      windows-manifest, docs, other (comma-separated)
    --file NAME       only this file (repeatable)
    --dest DIR        where verified files go (default: the current directory)
    --base-url URL    python.org or a mirror with its layout
                      (default https://www.python.org); links to
                      https://www.python.org/ are fetched from it instead
    --mirror URL      download the files and their signatures from this
                      mirror (python.org's layout), while the file table
                      comes from python.org (or --base-url); the report
                      names both addresses
    --page-only       read the file table from the release page alone,
                      without the cross-check
    --api             read the file table from the JSON API alone
    --jobs N          parallel downloads (default 2)
    --cache DIR       download cache (default: the user cache directory)
    --retries N       retries after a connection error or a 5xx answer (default 4;
                      not for an unknown host or a refusal by this machine)
    --stall-timeout D give up on a download that receives nothing for D
                      (default 30s), then retry; it resumes where it stopped
    --min-rate N      give up, then retry, when a download brings fewer than
                      N bytes a second over a stretch of --stall-timeout
                      (default 1024; 0: no minimum)
    --allow-http-unsafe
                      allow plain http to hosts other than loopback
    --sbom            also fetch each file's SPDX SBOM, where the release lists
                      one, and check that it describes the verified file (its
                      CPython package's SHA-256 is the file's); an SBOM that
                      is listed but missing, malformed or another file's
                      fails the file (exit 1)
    --sbom-dest DIR   keep the SBOMs that bound in DIR (implies --sbom)
    --json            print the report as JSON on standard output
    --quiet           no progress or informational output

` + trustFlagsText + `
` + lifecycleFlagsText + `
Examples:
    Download and verify the source tarballs of 3.13.1:
    $ pyverify verify 3.13.1 --os source --dest ./downloads

    Gate a CI job on one installer, with a JSON report:
    $ pyverify verify 3.14.1 --file python-3.14.1-amd64.exe --json > report.json

    Verify against a mirror with python.org's layout:
    $ pyverify verify 3.12.4 --base-url https://mirror.example.org/python

    Take the file table from python.org, the files from a mirror:
    $ pyverify verify 3.12.4 --os source --mirror https://mirror.example.org/python

    Keep the SBOMs, bound to the verified tarballs, next to them:
    $ pyverify verify 3.13.1 --os source --dest ./dl --sbom-dest ./dl

    Refuse an end-of-life series or a pre-release in CI:
    $ pyverify verify 3.12.4 --os source --deny-eol --deny-prerelease

` + exitCodesText

const usageCheck = `Usage:
    pyverify check FILE... [flags]
    pyverify check sha256:HEX --name FILE --sigstore BUNDLE [flags]
    pyverify check --pins PINFILE|DIR... [flags]

Verifies files you already have, offline. The version and class come from
each file's name; signatures are found next to the file (FILE.asc,
FILE.sigstore, FILE.crt and FILE.sig). Each file is read once.

Among several files (check DIR/*), signature files are read as the
signatures of the files they sit beside, and a folder, a special file or a
file whose name is not one python.org gives a release file (SHA256SUMS,
Python-3.12.4.tgz.sha256, wget's Python-3.12.4.tgz.1, a .part, a copy
under another name) is noted as not a release file and not checked. One
file named alone is checked as given: a name python.org gives no file of
its release is an error (use --as NAME for a file saved under another name).

The second form verifies a Sigstore bundle against a known SHA-256 digest,
without the file: useful for auditing from a hash database. OpenPGP
signatures cannot be checked this way.

The third form, --pins with no FILE, proves the SHA-256 digests that other
people's pin files hold for python.org downloads, without the files: for
each pin, the release's Sigstore bundle ({base}/ftp/python/X.Y.Z/NAME.sigstore)
must verify over the pinned digest under the trust policy. Pin files are
read strictly, their format detected from the content: SHA256SUMS, pyverify's
pins JSON and GitHub-output pins, pyenv python-build definitions (or a
folder of them), docker-library's versions.json, Homebrew formulae and
Dockerfiles (ENV PYTHON_VERSION / PYTHON_SHA256). Pins of other software
(OpenSSL, pip...) are listed and not checked. Each pin ends:
    signed      a signature the policy accepts covers the pinned digest
    WRONG       the release manager signed another digest (both are shown)
    failed      a signature is there and does not verify
    unsigned    a Sigstore-only release has no bundle for the file
    unproven    an OpenPGP-only release: the signature covers the bytes,
                so proving the pin needs the file (--download)
    policy-gap  the policy does not say who signs the file
    error       the bundle or file could not be fetched
The table goes to standard error; standard output has --json or --jsonl.
Exit status 0 only when every pin was proven (unproven ones too with
--allow-unproven); 1 for any WRONG, failed, unsigned or unproven pin.

Flags:
    --version VERSION  the release the files belong to (default: from the name)
    --as NAME          check one FILE saved under another name (a packager's
                       python3.13_3.13.5.orig.tar.xz) as the python.org file
                       NAME, such as Python-3.13.5.tar.xz; signatures are still
                       looked for next to FILE, or given with --asc, --sigstore
    --manifest FILE    expected sizes and digests from a saved manifest
                       ('pyverify manifest --json')
    --size N           expected size in bytes (one file only)
    --md5 HEX          expected MD5 (one file only; integrity, not trust)
    --sha256 HEX       expected SHA-256 (one file only)
    --asc FILE         the OpenPGP signature (one file only)
    --sigstore FILE    the Sigstore bundle (one file only)
    --name NAME        the file name a digest stands for (digest form)
    --sbom             also check the SBOM next to each file (FILE.spdx.json):
                       it must describe the verified file. No SBOM there is
                       "skipped", unless --manifest lists one (then it fails)
    --spdx FILE        the SBOM (one file, or the digest form; implies --sbom)
    --pins FILE        expected SHA-256 digests from a pin file ('pyverify pins',
                       SHA256SUMS or JSON form): every FILE must be pinned, and
                       signatures are checked as ever. With no FILE, proves
                       every pin by digest (repeatable; a folder reads every
                       file in it)
    --jobs N           files checked in parallel (default: 1 on one CPU, else
                       2/3 of the CPUs, at least 2 and at most 64; each file
                       uses two already); pins proven in parallel (default 8)
    --json             print the report as JSON on standard output

Flags of --pins with no FILE:
    --format FORMAT    read the pin files as FORMAT instead of detecting it:
                       sha256sums, json, pyenv, docker-versions, homebrew,
                       dockerfile, github-output
    --bundles DIR      read bundles from DIR, a local tree laid out like
                       /ftp/python/ (DIR/3.13.5/Python-3.13.5.tar.xz.sigstore):
                       offline, nothing is downloaded
    --base-url URL     fetch bundles from a mirror with python.org's layout
                       (default https://www.python.org)
    --download         prove pins that have no bundle (OpenPGP-only releases)
                       by downloading the file and checking its .asc
    --allow-unproven   exit 0 even if some pins are unproven
    --jsonl            print one JSON result per pin as it is done
    --cache DIR        where fetched bundles and downloads are kept (default:
                       the user cache directory); a cached bundle is verified
                       again each time
    --retries N, --stall-timeout D, --min-rate N, --allow-http-unsafe
                       as for 'verify'

` + trustFlagsText + `
` + lifecycleFlagsText + `
Examples:
    $ pyverify check Python-3.12.4.tgz python-3.12.4-amd64.exe
    $ pyverify check --manifest manifest.json downloads/*
    $ pyverify check --pins SHA256SUMS downloads/Python-3.13.1.tar.xz
    $ pyverify check Python-3.12.4.tgz --deny-eol --deny-security-only
    $ pyverify check python3.13_3.13.5.orig.tar.xz --as Python-3.13.5.tar.xz
    $ pyverify check sha256:64424e96e2457abbac899b90f9530985b51eef2905951febd935f0e73414caeb \
          --name Python-3.11.0.tgz --sigstore Python-3.11.0.tgz.sigstore

    Prove the digests pyenv pins, a Dockerfile's, and a Homebrew formula's:
    $ pyverify check --pins pyenv/plugins/python-build/share/python-build
    $ pyverify check --pins Dockerfile --pins python@3.13.rb --json
    Offline, from a mirror's tree of bundles; OpenPGP-only releases downloaded:
    $ pyverify check --pins versions.json --bundles /srv/mirror/ftp/python
    $ pyverify check --pins SHA256SUMS --download

` + exitCodesText

const usageManifest = `Usage:
    pyverify manifest VERSION [flags]
    pyverify manifest --page FILE|URL [--page-url URL] [--api-file FILE] [flags]

Shows what python.org says a release contains: each file with its size,
checksums and signature links. Release data is untrusted input: malformed
pages are rejected with the row and field at fault.

Flags:
    --json           print the manifest as JSON (format: see the README)
    --api            read the JSON API instead of the release page
    --cross-check    read both the page and the API and report disagreements
    --base-url URL   python.org or a mirror (default https://www.python.org)
    --page FILE|URL  read a saved release page (or one at URL)
    --page-url URL   the address a saved page came from, for relative links
    --api-file FILE  read a saved API release_file JSON (v1 or v2); with
                     --page, the two are cross-checked
    --retries N      retries after a connection error or a 5xx answer (default 4)
    --stall-timeout D  give up on a response that sends nothing for D (default 30s)
    --min-rate N     give up on a response slower than N bytes a second
                     (default 1024; 0: no minimum)
    --allow-http-unsafe
                     allow plain http to hosts other than loopback

Examples:
    $ pyverify manifest 3.12.0rc2
    $ pyverify manifest 3.14.0 --json > manifest.json
    $ pyverify manifest --page saved.html --page-url https://www.python.org/downloads/release/python-3140/

Exit status:
    0  the manifest was printed
    2  usage error, or invalid input: a version python.org does not have, a
       malformed page or API answer, a page and API that disagree
       (--cross-check)
    3  network or I/O failure (python.org unreachable, standard output
       not writable)
`

const usagePolicy = `Usage:
    pyverify policy [--policy FILE] [--json]

Prints the effective trust policy: for each release series, the Sigstore
identity and OIDC issuer that must have signed it, the first release signed
with Sigstore, and the OpenPGP key fingerprints per artifact class. From
3.14 on releases are signed with Sigstore only (PEP 761). Then, for each
pinned OpenPGP key in the built-in keyring, its creation, its expiry and the
periods its self-signatures cover: an OpenPGP signature verifies only if
one of them covers the date it was made.

Flags:
    --policy FILE  show this policy file instead of the embedded one
    --json         print the policy in its file format

Examples:
    $ pyverify policy
    $ pyverify policy --json > policy.json
    $ pyverify policy --policy policy.json

Exit status:
    0  the policy was printed
    2  usage error, or a policy file that cannot be read or is invalid
    3  standard output could not be written
`

const usagePins = `Usage:
    pyverify pins VERSION [flags] [--format FORMAT]

Verifies the selected files of a release exactly as 'pyverify verify' does
(same flags: --os, --file, --dest, --base-url, cache, trust, --sbom, the
--deny-* gates), then prints the SHA-256 of every file that verified, on
standard output. A file that fails gets no pin: it is named on standard
error, and the exit status is 1 (or that of the worst failure).

Formats (--format, default sha256sums):
    sha256sums     HEX  NAME lines; 'sha256sum -c' and 'pyverify check --pins'
                   read them
    dockerfile     ENV PYTHON_VERSION=… and ENV PYTHON_SHA256=… as the official
                   Docker python images pin: PYTHON_SHA256 is the .tar.xz
                   source tarball; any other file is PYTHON_SHA256_<REST>, the
                   rest of its name without Python-VERSION, upper-case, for
                   example PYTHON_SHA256_TGZ, PYTHON_SHA256_AMD64_EXE
    json           a pyverify.pins/v1 document (see the README), with each
                   file's URL and who signed it; 'pyverify check --pins' reads it
    github-output  key=value lines for $GITHUB_OUTPUT: python_version,
                   python_sha256, python_sha256_tgz, … (the dockerfile names,
                   lower-case)

Flags: those of 'pyverify verify' (see 'pyverify verify --help'), without
--json, plus --format.

Examples:
    $ pyverify pins 3.13.1 --file Python-3.13.1.tar.xz --format dockerfile --dest /tmp/py
    $ pyverify pins 3.13.1 --os source --dest dl > SHA256SUMS && (cd dl && sha256sum -c ../SHA256SUMS)
    $ pyverify pins 3.13.1 --os source --dest dl > pins.txt
    $ pyverify check --pins pins.txt dl/Python-3.13.1.tgz     # later, offline
    $ pyverify pins 3.13.1 --os source --format github-output >> "$GITHUB_OUTPUT"

` + exitCodesText

const usageLifecycle = `Usage:
    pyverify lifecycle [VERSION|SERIES] [flags]

Shows where Python release series stand, from python.org's release-cycle.json
(a copy is built into pyverify; 'pyverify --version' prints its date):

    status         as the data gives it: feature, prerelease, bugfix, security
                   or end-of-life; where the date and the data disagree (a
                   series past its end-of-life date still listed as security),
                   the date wins and the output says so
    first release  the date of 3.X.0
    end of bugfix  PEP 602: 18 months after the first release up to 3.12,
                   24 months from 3.13 (the 2023 amendment); none before 3.9
    end of life    the data's date, or five years after the first release
                   (PEP 602) when the data gives none

Dates such as 2028-10 name a month; pyverify takes them to begin on its
first day. With a VERSION (3.12.4, 3.14.0rc1) it also says whether the
release is a pre-release. The data lists series, not releases: it cannot
name the newest release of a series, and pyverify says so.

Flags:
    --json                print the report as JSON (format: see the README)
    --today DATE          the day to judge by, YYYY-MM-DD (default: today, UTC)
    --release-cycle FILE  use this release-cycle.json instead of the embedded one
                          (https://peps.python.org/api/release-cycle.json)

Examples:
    $ pyverify lifecycle
    $ pyverify lifecycle 3.12
    $ pyverify lifecycle 3.14.0rc1 --json
    $ pyverify lifecycle --today 2027-01-01 --release-cycle release-cycle.json

Exit status:
    0  the report was printed
    2  usage error, or an invalid VERSION, --today or --release-cycle file
    3  standard output could not be written
    4  the data does not know the VERSION's or SERIES' series (its
       lifecycle is unknown)
`

const usageAudit = `Usage:
    pyverify audit ROOT [flags]
    pyverify audit --merge REPORT... [--quiet]

Verifies every release file of a mirror of https://www.python.org/ftp/python/:
ROOT is a local directory with its layout (X.Y.Z/<files>, with subfolders
such as amd64/ and win32/), or the URL of one, read through the web server's
directory listings. Each artifact is paired with its sidecars (.asc,
.sigstore, .crt and .sig, .spdx.json) and verified exactly as 'pyverify
check' verifies a file. Expected values come from the signatures; with
--manifests or --api, also from python.org's listing, which adds files the
mirror lacks or should not have, and wrong sizes and digests. An SBOM next
to an artifact must describe it: its CPython package's SHA-256 must be the
verified artifact's.

Every problem has a kind: missing, extra, size, digest, bad-signature,
missing-signature, unsigned, policy-gap, unreadable, link-outside-root (a
symbolic link to a file outside ROOT, never read), orphan-sidecar,
lifecycle (a release a --deny-* gate refuses), and sbom (an SBOM that is
malformed or describes another file).
Problems are listed on standard output (or the report, with --json or
--jsonl), a summary per release on standard error.

Flags:
    --state FILE     record each file's size, time, inode, digests and verdict
                     in FILE, and on the next run re-read only what changed
                     (local mirrors only). New trust material re-checks every
                     signature. The file is replaced atomically.
    --full           with --state: check everything again (and record it)
    --manifests DIR  python.org's listing from saved manifests, DIR/*.json
                     ('pyverify manifest VERSION --json')
    --api            python.org's listing from its JSON API (--base-url)
    --shard I/N      audit slice I of N (release directories split by a hash
                     of their name, stable as releases are added)
    --merge          merge the --json reports of shards 1/N ... N/N into the
                     report of a whole run
    --jobs N         artifacts verified in parallel (default: the CPUs)
    --json           print one report object on standard output
                     (format pyverify.audit/v1: see the README)
    --jsonl          print one JSON line per artifact as it is decided; memory
                     stays flat however large the mirror
    --quiet          no summary table, progress or counts on standard error
    --base-url URL   where --api reads python.org
                     (default https://www.python.org)
    --retries N, --stall-timeout D, --min-rate N, --allow-http-unsafe
                     as for 'pyverify verify', for a mirror given by URL
    --max-depth N    folder levels walked below a release directory
                     (default 3); deeper folders are listed as skipped
    --max-listings N folders listed at most (default 20000): a tree larger
                     than that (a web server generating listings without
                     end) stops the audit (exit 2)

` + trustFlagsText + `
` + lifecycleFlagsText + `
Examples:
    Audit a local mirror nightly, re-reading only what changed:
    $ pyverify audit /srv/mirror/python --state /var/lib/pyverify/audit.state

    Compare a mirror with python.org's own listing:
    $ pyverify audit https://mirror.example.org/python/ --api --json >a.json

    Split the work over three CI jobs, then merge:
    $ pyverify audit /srv/mirror/python --shard 2/3 --json > shard-2.json
    $ pyverify audit --merge shard-1.json shard-2.json shard-3.json > audit.json

    List the files of end-of-life releases a mirror still serves:
    $ pyverify audit /srv/mirror/python --deny-eol

Exit status:
    0  no problem found
    1  at least one problem (any kind, policy gaps included)
    2  usage error, or unreadable or invalid input (flags, manifests, trust
       material, a state file that cannot be used, shard reports that
       do not merge, a ROOT with no release directory)
    3  the audit could not finish: the mirror, a listing or the network
       failed, or it was interrupted
`

var commandUsage = map[string]string{
	"lifecycle": usageLifecycle,
	"verify":    usageVerify,
	"check":     usageCheck,
	"manifest":  usageManifest,
	"policy":    usagePolicy,
	"pins":      usagePins,
	"audit":     usageAudit,
}
