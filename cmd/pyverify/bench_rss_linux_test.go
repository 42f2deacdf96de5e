//go:build linux

package main

import (
	"bytes"
	"crypto"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

// The digests of 1 GiB of zero bytes (head -c 1073741824 /dev/zero | md5sum,
// sha256sum).
const (
	gibZerosMD5    = "cd573cfaace07e7949bc0c46028904ff"
	gibZerosSHA256 = "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14"
)

// BenchmarkPeakRSS1GiB runs the built program's full check of a 1 GiB file
// (size, MD5, SHA-256 and an OpenPGP signature, made with SHA-256 or with
// SHA-512, by the fixture release manager) and reports its peak resident
// memory, as the kernel counts it for the finished process (the rusage
// ru_maxrss that `/usr/bin/time -v` prints as "Maximum resident set size").
// The file is sparse, so that it takes no disk space; its bytes are zeros.
// (Reading holes costs the kernel more than reading cached data, so the time
// per op here is no measure of throughput: see verify's BenchmarkFullCheck.)
// The target is under 64 MB.
func BenchmarkPeakRSS1GiB(b *testing.B) {
	const size = 1 << 30
	bin := buildBinary(b)
	dir := b.TempDir()
	file := filepath.Join(dir, "Python-3.12.4.tgz")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	keyData, err := os.ReadFile(filepath.Join(repoRoot, "fixtures", "trust", "private", "rm.asc"))
	if err != nil {
		b.Fatal(err)
	}
	el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(keyData))
	if err != nil || len(el) != 1 {
		b.Fatalf("fixture key: %v", err)
	}
	trust := filepath.Join(repoRoot, "fixtures", "trust")
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		name := "openpgp_" + map[crypto.Hash]string{crypto.SHA256: "SHA-256", crypto.SHA512: "SHA-512"}[h]
		b.Run(name, func(b *testing.B) {
			asc := filepath.Join(dir, name+".asc")
			var sig bytes.Buffer
			zeros := io.LimitReader(zeroReader{}, size)
			if err := openpgp.ArmoredDetachSign(&sig, el, zeros, &openpgp.SignParams{Config: &packet.Config{DefaultHash: h}}); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(asc, sig.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			args := []string{"check", file, "--asc", asc, "--size", strconv.Itoa(size), "--md5", gibZerosMD5, "--sha256", gibZerosSHA256,
				"--policy", filepath.Join(trust, "policy.json"), "--keyring", filepath.Join(trust, "keyring.asc"),
				"--trusted-root", filepath.Join(trust, "trusted_root.json")}
			var maxKB int64
			for b.Loop() {
				cmd := exec.Command(bin, args...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					maxKB = max(maxKB, ru.Maxrss)
				}
			}
			if maxKB == 0 {
				b.Skip("no peak memory reported for the child process")
			}
			b.ReportMetric(float64(maxKB)/1024, "peak-RSS-MiB")
		})
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
