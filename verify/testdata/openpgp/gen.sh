#!/bin/sh
# Regenerates the OpenPGP fixtures made with real gpg. Run from this folder:
#   sh gen.sh
# Every key is made in a throw-away GNUPGHOME without a passphrase. Dates are
# faked so that expiry is tested against fixed times.
set -eu
export GNUPGHOME="$(mktemp -d)"
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
gpg_() { gpg --batch --yes --pinentry-mode loopback --passphrase '' --no-tty -q "$@"; }
fpr() { gpg --with-colons --list-keys "$1" | awk -F: '/^fpr/{print $10; exit}'; }

printf 'pretend this is Python-3.13.1.tgz\n' > artifact.bin
head -c 70000 /dev/zero | tr '\0' 'x' >> artifact.bin

# rm: an RSA-3072 release key (good signature; wrong signer for others).
gpg_ --quick-gen-key 'Release Manager <rm@example.org>' rsa3072 sign never
gpg_ --local-user rm@example.org --armor --detach-sign -o artifact.bin.rm.asc artifact.bin
gpg_ --armor --export rm@example.org > rm.pub.asc

# other: a valid key that no policy pins for the artifact.
gpg_ --quick-gen-key 'Someone Else <other@example.org>' ed25519 sign never
gpg_ --local-user other@example.org --armor --detach-sign -o artifact.bin.other.asc artifact.bin
gpg_ --armor --export other@example.org > other.pub.asc

# expiring: made 2020-01-01, expires 2020-12-31, signed 2020-06-01. The key
# has expired now; the signature was made while it was valid.
gpg_ --faked-system-time 20200101T000000 --quick-gen-key 'Expiring <exp@example.org>' ed25519 sign 2020-12-31
gpg_ --faked-system-time 20200601T000000 --local-user exp@example.org --armor --detach-sign -o artifact.bin.expiring.asc artifact.bin
gpg_ --armor --export exp@example.org > expiring.pub.asc

# revoked: signed, then revoked with gpg's own revocation certificate
# (reason: none given).
gpg_ --quick-gen-key 'Revoked <revoked@example.org>' ed25519 sign never
gpg_ --local-user revoked@example.org --armor --detach-sign -o artifact.bin.revoked.asc artifact.bin
R=$(fpr revoked@example.org)
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$R.rev" > rev.tmp
gpg_ --import rev.tmp; rm rev.tmp
gpg_ --armor --export revoked@example.org > revoked.pub.asc

# subkey: certify-only primary with a signing subkey; the signature is made
# by the subkey and must verify against the pinned primary.
gpg_ --quick-gen-key 'Subkey Signer <sub@example.org>' rsa3072 cert never
S=$(fpr sub@example.org)
gpg_ --quick-add-key "$S" rsa3072 sign never
gpg_ --local-user sub@example.org --armor --detach-sign -o artifact.bin.subkey.asc artifact.bin
gpg_ --armor --export sub@example.org > subkey.pub.asc

# legacy: DSA-1024 with a SHA-1 signature, as some old python.org keys.
gpg_ --expert --quick-gen-key 'Legacy DSA <dsa@example.org>' dsa1024 sign never
gpg_ --local-user dsa@example.org --digest-algo SHA1 --armor --detach-sign -o artifact.bin.dsa-sha1.asc artifact.bin
gpg_ --armor --export dsa@example.org > dsa.pub.asc

# RIPEMD-160 signature by rm (go-crypto skips such packets).
gpg_ --local-user rm@example.org --digest-algo RIPEMD160 --armor --detach-sign -o artifact.bin.rm-ripemd160.asc artifact.bin || true

# twocopies: like Łukasz Langa's key. Made 2020-01-01 expiring 2021-01-01
# (copy "old"); in 2022 the expiry was extended to 2060 and the key
# re-published with only the new self-signature (copy "new", exported
# minimal). A 2020 signature verifies only with the old copy, a 2022
# signature only with the new one.
gpg_ --faked-system-time 20200101T000000 --quick-gen-key 'Two Copies <two@example.org>' ed25519 sign 2021-01-01
gpg_ --faked-system-time 20200601T000000 --local-user two@example.org --armor --detach-sign -o artifact.bin.two-2020.asc artifact.bin
gpg_ --armor --export two@example.org > two.old.pub.asc
T=$(fpr two@example.org)
gpg_ --faked-system-time 20220101T000000 --quick-set-expire "$T" 2060-01-01
gpg_ --faked-system-time 20220601T000000 --local-user two@example.org --armor --detach-sign -o artifact.bin.two-2022.asc artifact.bin
gpg_ --armor --export-options export-minimal --export two@example.org > two.new.pub.asc

# Several armored blocks in one keyring file, with text between them.
{ echo "# keys of the fixture signers"; cat rm.pub.asc; echo; echo "# second"; cat subkey.pub.asc; cat dsa.pub.asc; } > multi.keyring.asc

for k in rm other exp revoked sub dsa two; do echo "$k $(fpr $k@example.org)"; done > fingerprints.txt
