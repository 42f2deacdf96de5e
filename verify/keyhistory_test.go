package verify

import (
	"bytes"
	"crypto"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

// A histKey builds an OpenPGP key with a history: self-signatures,
// subkey bindings and revocations made at chosen times, as a release
// manager's key accumulates them over the years (and loses them when it is
// re-published minimal). Keys are Ed25519 (v4: EdDSA; v6: Ed25519), which
// go-crypto makes in microseconds, so the tests need no pre-made keys.
type histKey struct {
	t   testing.TB
	e   *openpgp.Entity
	uid string
	cfg *packet.Config
	// noFlags: certify writes no key flags subpacket, as gpg did before
	// 2003 or so.
	noFlags bool
}

func day0(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// newHistKey makes a key created at created, with no self-signature yet
// (add them with certify); v6 makes an RFC 9580 v6 key.
func newHistKey(t testing.TB, name string, created time.Time, v6 bool) *histKey {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return created }, DefaultHash: crypto.SHA256}
	if v6 {
		cfg.Algorithm, cfg.V6Keys = packet.PubKeyAlgoEd25519, true
	}
	e, err := openpgp.NewEntity(name, "", "", cfg)
	if err != nil {
		t.Fatal(err)
	}
	k := &histKey{t: t, e: e, cfg: cfg}
	for uid, id := range e.Identities {
		k.uid = uid
		id.SelfCertifications = nil
	}
	e.DirectSignatures = nil
	return k
}

func (k *histKey) newSig(signer *packet.PublicKey, typ packet.SignatureType, at time.Time) *packet.Signature {
	return &packet.Signature{
		Version: signer.Version, SigType: typ, PubKeyAlgo: signer.PubKeyAlgo, Hash: crypto.SHA256,
		CreationTime: at, IssuerKeyId: &signer.KeyId, IssuerKeyVersion: uint8(signer.Version),
		IssuerFingerprint: signer.Fingerprint,
	}
}

// lifetime returns the key lifetime from the key's creation to until (zero:
// no expiry).
func lifetime(pk *packet.PublicKey, until time.Time) *uint32 {
	var secs uint32
	if !until.IsZero() {
		secs = uint32(until.Sub(pk.CreationTime) / time.Second)
	}
	return &secs
}

// certify adds a self-signature made at at saying the key expires at until
// (zero: never). sign says whether the primary key may sign data. For a v4
// key it certifies the user ID; for a v6 key it is a direct-key signature.
func (k *histKey) certify(at, until time.Time, sign bool) *histKey {
	k.t.Helper()
	pk := k.e.PrimaryKey
	typ := packet.SigTypePositiveCert
	if pk.Version == 6 {
		typ = packet.SigTypeDirectSignature
	}
	s := k.newSig(pk, typ, at)
	s.FlagsValid, s.FlagCertify, s.FlagSign = true, true, sign
	if k.noFlags {
		s.FlagsValid, s.FlagCertify, s.FlagSign = false, false, false
	}
	s.KeyLifetimeSecs = lifetime(pk, until)
	var err error
	if pk.Version == 6 {
		err = s.SignDirectKeyBinding(pk, k.e.PrivateKey, k.cfg)
		k.e.DirectSignatures = append(k.e.DirectSignatures, packet.NewVerifiableSig(s))
	} else {
		err = s.SignUserId(k.uid, pk, k.e.PrivateKey, k.cfg)
		id := k.e.Identities[k.uid]
		id.SelfCertifications = append(id.SelfCertifications, packet.NewVerifiableSig(s))
	}
	if err != nil {
		k.t.Fatal(err)
	}
	return k
}

// addSigningSubkey adds a signing subkey created at created, with no
// binding yet (add them with bind).
func (k *histKey) addSigningSubkey(created time.Time) *histKey {
	k.t.Helper()
	cfg := *k.cfg
	cfg.Time = func() time.Time { return created }
	if err := k.e.AddSigningSubkey(&cfg); err != nil {
		k.t.Fatal(err)
	}
	k.e.Subkeys[len(k.e.Subkeys)-1].Bindings = nil
	return k
}

// bind adds a binding of the last subkey for signing, made at at, saying
// it expires at until (zero: never), with the subkey's cross-signature.
func (k *histKey) bind(at, until time.Time) *histKey {
	k.t.Helper()
	sub := &k.e.Subkeys[len(k.e.Subkeys)-1]
	s := k.newSig(k.e.PrimaryKey, packet.SigTypeSubkeyBinding, at)
	s.FlagsValid, s.FlagSign = true, true
	s.KeyLifetimeSecs = lifetime(sub.PublicKey, until)
	s.EmbeddedSignature = k.newSig(sub.PublicKey, packet.SigTypePrimaryKeyBinding, at)
	if err := s.EmbeddedSignature.CrossSignKey(sub.PublicKey, k.e.PrimaryKey, sub.PrivateKey, k.cfg); err != nil {
		k.t.Fatal(err)
	}
	if err := s.SignKey(sub.PublicKey, k.e.PrivateKey, k.cfg); err != nil {
		k.t.Fatal(err)
	}
	sub.Bindings = append(sub.Bindings, packet.NewVerifiableSig(s))
	return k
}

// revoke adds a revocation of the primary key (or, if subkey, of the last
// subkey) made at at, with reason (nil: no reason subpacket).
func (k *histKey) revoke(at time.Time, reason *packet.ReasonForRevocation, subkey bool) *histKey {
	k.t.Helper()
	pk := k.e.PrimaryKey
	if subkey {
		sub := &k.e.Subkeys[len(k.e.Subkeys)-1]
		s := k.newSig(pk, packet.SigTypeSubkeyRevocation, at)
		s.RevocationReason = reason
		if err := s.RevokeSubkey(sub.PublicKey, k.e.PrivateKey, k.cfg); err != nil {
			k.t.Fatal(err)
		}
		sub.Revocations = append(sub.Revocations, packet.NewVerifiableSig(s))
		return k
	}
	s := k.newSig(pk, packet.SigTypeKeyRevocation, at)
	s.RevocationReason = reason
	if err := s.RevokeKey(pk, k.e.PrivateKey, k.cfg); err != nil {
		k.t.Fatal(err)
	}
	k.e.Revocations = append(k.e.Revocations, packet.NewVerifiableSig(s))
	return k
}

// sign returns an armored detached signature of data made at at with hash
// h, by the primary key or, if bySubkey, by the last subkey.
func (k *histKey) sign(data []byte, at time.Time, h crypto.Hash, bySubkey bool) []byte {
	k.t.Helper()
	signer, priv := k.e.PrimaryKey, k.e.PrivateKey
	if bySubkey {
		sub := &k.e.Subkeys[len(k.e.Subkeys)-1]
		signer, priv = sub.PublicKey, sub.PrivateKey
	}
	s := k.newSig(signer, packet.SigTypeBinary, at)
	s.Hash = h
	hh, err := s.PrepareSign(k.cfg)
	if err != nil {
		k.t.Fatal(err)
	}
	hh.Write(data)
	if err := s.Sign(hh, priv, k.cfg); err != nil {
		k.t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.SignatureType, nil)
	if err != nil {
		k.t.Fatal(err)
	}
	if err := s.Serialize(w); err != nil {
		k.t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

// public returns the key's public packets (a binary keyring of one key).
func (k *histKey) public() []byte {
	k.t.Helper()
	var b bytes.Buffer
	if err := k.e.Serialize(&b); err != nil {
		k.t.Fatal(err)
	}
	return b.Bytes()
}

func (k *histKey) fingerprint() string { return fingerprintOf(k.e) }

func TestKeyringKeyHistory(t *testing.T) {
	k := newHistKey(t, "History", day0("2020-01-01"), false).
		certify(day0("2020-01-01"), day0("2021-01-01"), false).
		certify(day0("2022-06-01"), day0("2030-01-01"), false).
		addSigningSubkey(day0("2020-02-01")).bind(day0("2020-02-01"), zero).
		revoke(day0("2023-01-01"), reason(packet.KeyRetired), true)
	keys, err := ReadKeyring(bytes.NewReader(k.public()))
	if err != nil {
		t.Fatal(err)
	}
	h, err := keys.KeyHistory(strings.ToLower(k.fingerprint()))
	if err != nil {
		t.Fatal(err)
	}
	sub := fingerprintHex(k.e.Subkeys[len(k.e.Subkeys)-1].PublicKey)
	want := KeyHistory{
		Fingerprint: k.fingerprint(), Name: "History", Created: day0("2020-01-01"), Expires: day0("2030-01-01"),
		Bindings: []KeyBinding{
			{Made: day0("2020-01-01"), Until: day0("2021-01-01")},
			{Made: day0("2022-06-01"), Until: day0("2030-01-01")},
			{Subkey: sub, Made: day0("2020-02-01")},
		},
		Revocations: []KeyRevocation{{Subkey: sub, Made: day0("2023-01-01"), Reason: "retired", Soft: true}},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("KeyHistory =\n%+v\nwant\n%+v", h, want)
	}
	if _, err := keys.KeyHistory("0000000000000000000000000000000000000000"); err == nil {
		t.Error("no error for a key not in the keyring")
	}
}

// TestKeyCopiesPooled: a keyring holding two copies of a key, the old one
// with the key's first self-signature and the new one with a later
// self-signature and a signing subkey it alone binds, judges signatures
// with their union.
func TestKeyCopiesPooled(t *testing.T) {
	data := []byte("pooled copies")
	k := newHistKey(t, "Pooled", day0("2020-01-01"), false).certify(day0("2020-01-01"), day0("2021-01-01"), true)
	old := k.public()
	early := k.sign(data, day0("2020-06-01"), crypto.SHA256, false)
	k.e.Identities[k.uid].SelfCertifications = nil // re-published minimal
	k.certify(day0("2022-01-01"), day0("2030-01-01"), false).addSigningSubkey(day0("2022-01-01")).bind(day0("2022-01-01"), zero)
	newCopy := k.public()
	late := k.sign(data, day0("2023-06-01"), crypto.SHA256, true)
	var keys Keyring
	for _, b := range [][]byte{old, newCopy} {
		kr, err := ReadKeyring(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		keys = keys.Merge(kr)
	}
	req := testReq(false, Signer{Name: "Pooled", OpenPGP: []string{k.fingerprint()}})
	for _, asc := range [][]byte{early, late} {
		if res, _ := runOpenPGP(t, keys, req, data, asc); res.Status != StatusPass || strings.Contains(res.Detail, ";") {
			t.Errorf("%s %q, want a pass needing no leniency", res.Status, res.Detail)
		}
	}
}

// TestFutureSelfSignatureIgnored: a self-signature dated after now cannot
// lift an expiry (nor can one whose own validity has ended).
func TestFutureSelfSignatureIgnored(t *testing.T) {
	data := []byte("future")
	k := newHistKey(t, "Future", day0("2020-01-01"), false).
		certify(day0("2020-01-01"), day0("2021-01-01"), true).
		certify(time.Now().AddDate(1, 0, 0), day0("2090-01-01"), true)
	asc := k.sign(data, day0("2021-06-01"), crypto.SHA256, false)
	keys, err := ReadKeyring(bytes.NewReader(k.public()))
	if err != nil {
		t.Fatal(err)
	}
	req := testReq(false, Signer{Name: "Future", OpenPGP: []string{k.fingerprint()}})
	if res, _ := runOpenPGP(t, keys, req, data, asc); res.Status != StatusFail || !strings.Contains(res.Detail, "had expired when the signature was made") {
		t.Errorf("%s %q", res.Status, res.Detail)
	}
}
