package verify

import (
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// TestEmbeddedKeysValidWhenTheySigned applies the time rule to each pinned
// key of the embedded keyring at dates its owner signed python.org
// releases (release dates of the series they managed), as a signature made
// then would be judged: the key (or its signing subkey) must be valid, with
// the series' algorithm policy. It catches a keyring update that drops the
// history a release's signature needs.
func TestEmbeddedKeysValidWhenTheySigned(t *testing.T) {
	tests := []struct {
		fpr    string
		dates  []string
		legacy bool
		note   string // expected in the notes of the last date, if any
	}{
		{fpr: "7169605F62C751356D054A26A821E680E5FA6305", // 3.12.0, 3.13.0, 3.13.5, and in the 2026 lapse
			dates: []string{"2023-10-02", "2024-10-07", "2025-06-11", "2026-07-15"},
			note:  "key binding expired 2026-07-02 by the self-signature in force then, lifted 2026-08-05"},
		{fpr: "A035C8C19219BA821ECEA86B64E628F8D684696D", dates: []string{"2021-10-04", "2022-10-24", "2025-06-03"}},
		{fpr: "E3FF2839C048B25C084DEBE9B26995E310250568", dates: []string{"2018-06-27", "2019-10-14", "2020-10-05", "2025-06-03"}},
		{fpr: "0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D", dates: []string{"2016-12-23", "2021-09-04"}},
		{fpr: "7ED10B6531D7C8E1BC296021FC624643487034E5", dates: []string{"2016-12-23", "2024-10-07"}},
		{fpr: "C01E1CAD5EA2C4F0B8E3571504C367C218ADD4FF", dates: []string{"2014-06-01", "2020-04-20"}, legacy: true},
		{fpr: "97FC712E4C024BBEA48A61ED3A5CA953F73C700D", dates: []string{"2014-03-16", "2017-08-09"}, legacy: true},
		{fpr: "26DEA9D4613391EF3E25C9FF0A5B101836580288", dates: []string{"2012-09-29", "2014-10-12"}, legacy: true},
		{fpr: "CBC547978A3964D14B9AB36A6AF053F07D9DC8D2", dates: []string{"2008-12-03", "2012-04-10"}, legacy: true},
		{fpr: "12EF3DC38047DA382D18A5B999CDEA9DA4135B38", dates: []string{"2010-07-03", "2013-04-06"}, legacy: true},
		{fpr: "C9B104B3DD3AA72D7CCB1066FB9921286F5E1540", dates: []string{"2012-04-10", "2014-05-31"}, legacy: true},
	}
	keys := DefaultKeyring()
	pinned := map[string]bool{}
	for _, s := range DefaultPolicy().Signers() {
		for _, f := range s.OpenPGP {
			pinned[f] = true
		}
	}
	for _, tt := range tests {
		delete(pinned, tt.fpr)
		copies, err := keys.parse(func(e *keyringEntry) bool { return e.fpr == tt.fpr })
		if err != nil || len(copies) != 1 {
			t.Fatalf("%s: %d copies, %v", tt.fpr, len(copies), err)
		}
		cfg := strictOpenPGPConfig()
		if tt.legacy {
			cfg = legacyOpenPGPConfig()
		}
		// The key IDs that could have signed: the primary and every subkey.
		ids := []uint64{copies[0].PrimaryKey.KeyId}
		for _, s := range copies[0].Subkeys {
			ids = append(ids, s.PublicKey.KeyId)
		}
		for i, d := range tt.dates {
			var notes []string
			var errs []string
			ok := false
			for _, id := range ids {
				sig := &packet.Signature{IssuerKeyId: &id, CreationTime: day0(d).Add(12 * 3600e9)}
				k, err := signingKeyAt(copies, sig, cfg)
				if err == nil {
					ok, notes = true, k.notes
					break
				}
				errs = append(errs, err.Error())
			}
			if !ok {
				t.Errorf("%s at %s: no key valid: %s", tt.fpr, d, strings.Join(errs, "; "))
				continue
			}
			if i == len(tt.dates)-1 && tt.note != "" {
				if !strings.Contains(strings.Join(notes, "; "), tt.note) {
					t.Errorf("%s at %s: notes %q, want %q", tt.fpr, d, notes, tt.note)
				}
			} else if len(notes) > 0 {
				t.Errorf("%s at %s: valid only with the leniency: %q", tt.fpr, d, notes)
			}
		}
	}
	for f := range pinned {
		t.Errorf("pinned key %s has no dates in this test", f)
	}
}
