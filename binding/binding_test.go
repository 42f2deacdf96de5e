package binding

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"
)

// sourceTar returns a tar archive with top folder top and about size bytes
// of incompressible members, in the shape of CPython's release tarballs.
func sourceTar(t testing.TB, top string, size int, pax bool) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if pax {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header",
			PAXRecords: map[string]string{"comment": "0123456789abcdef"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.WriteHeader(&tar.Header{Name: top + "/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; b.Len() < size; i++ {
		data := make([]byte, 64<<10)
		for j := 0; j < len(data); j += 8 {
			binary.LittleEndian.PutUint64(data[j:], r.Uint64())
		}
		if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("%s/Lib/m%d.py", top, i), Size: int64(len(data)), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	return b.Bytes()
}

func gz(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func xzBytes(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw, err := xz.WriterConfig{DictCap: 8 << 20}.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func bz2(t testing.TB, data []byte) []byte {
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("no bzip2 command to make a .tar.bz2")
	}
	cmd := exec.Command("bzip2", "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// feed writes data to a new Head in chunks of n bytes.
func feed(f Format, data []byte, n int) (*Head, Marker) {
	h := NewHead(f)
	for len(data) > 0 {
		k := min(n, len(data))
		h.Write(data[:k])
		data = data[k:]
	}
	return h, h.Marker()
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{
		"Python-3.13.5.tgz":                          TarGzip,
		"Python-3.13.5.tar.xz":                       TarXZ,
		"Python-2.7.3.tar.bz2":                       TarBzip2,
		"python-3.12.0rc2-embed-amd64.zip":           Zip,
		"windows-3.14.1.json":                        WindowsIndex,
		"python-3.14.1-aarch64-linux-android.tar.gz": None,
		"python-3.12.0-amd64.exe":                    None,
		"python-3.13.0-macos11.pkg":                  None,
		".bashrc":                                    None,
	} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestTarFormats(t *testing.T) {
	tarball := sourceTar(t, "Python-3.11.2", 300<<10, false)
	for _, tc := range []struct {
		f    Format
		data []byte
	}{
		{TarGzip, gz(t, tarball)},
		{TarXZ, xzBytes(t, tarball)},
		{TarGzip, gz(t, sourceTar(t, "Python-3.11.2", 100<<10, true))},
		{TarBzip2, bz2(t, tarball)},
	} {
		for _, chunk := range []int{1 << 10, 32 << 10, 1 << 20} {
			h, m := feed(tc.f, tc.data, chunk)
			if m.Err != nil || m.Version != "3.11.2" || m.Found != "Python-3.11.2/" {
				t.Fatalf("%s chunk %d: %+v", tc.f, chunk, m)
			}
			if !h.Done() {
				t.Errorf("%s: not done", tc.f)
			}
			if got := m.Judge("3.11.2"); got != Bound {
				t.Errorf("%s: Judge(3.11.2) = %v, want Bound", tc.f, got)
			}
			if got := m.Judge("3.11.4"); got != Other {
				t.Errorf("%s: Judge(3.11.4) = %v, want Other", tc.f, got)
			}
		}
	}
}

// TestTarStopsEarly checks that the head is decided from the first bytes,
// long before the stream ends.
func TestTarStopsEarly(t *testing.T) {
	data := gz(t, sourceTar(t, "Python-3.12.4", 1<<20, false))
	h := NewHead(TarGzip)
	h.Write(data[:firstTry])
	if !h.Done() {
		t.Fatal("not decided after the first try")
	}
	if h.buf != nil {
		t.Error("the head's buffer was kept after the decision")
	}
	if m := h.Marker(); m.Version != "3.12.4" {
		t.Errorf("marker %+v", m)
	}
}

func TestRealHeads(t *testing.T) {
	for _, tc := range []struct {
		file string
		f    Format
		want string
	}{
		// The first 64 KiB of the real release tarballs (Debian's
		// .orig files are python.org's: SHA-256 2411c74b… and 93e583f2…).
		{"testdata/Python-3.11.2.tgz.head", TarGzip, "3.11.2"},
		{"testdata/Python-3.13.5.tar.xz.head", TarXZ, "3.13.5"},
	} {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		_, m := feed(tc.f, data, 16<<10)
		if m.Err != nil || m.Version != tc.want || m.Found != "Python-"+tc.want+"/" {
			t.Errorf("%s: %+v", tc.file, m)
		}
	}
}

func TestTarFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Format
		data []byte
		err  string
	}{
		{"not gzip", TarGzip, bytes.Repeat([]byte("x"), 20000), "gzip: invalid header"},
		{"not xz", TarXZ, bytes.Repeat([]byte("x"), 20000), "xz: not an xz stream"},
		{"not bzip2", TarBzip2, bytes.Repeat([]byte("x"), 20000), "bzip2: not a bzip2 stream"},
		{"truncated", TarGzip, gz(t, sourceTar(t, "Python-3.11.2", 10<<10, false))[:20], "the archive ends before its first tar header"},
		{"empty", TarXZ, nil, "the archive ends before its first tar header"},
		{"gzip of not tar", TarGzip, gz(t, bytes.Repeat([]byte("hello"), 1000)), "tar.gz: archive/tar: invalid tar header"},
	} {
		_, m := feed(tc.f, tc.data, 4096)
		if m.Err == nil || m.Err.Error() != tc.err {
			t.Errorf("%s: err %v, want %q", tc.name, m.Err, tc.err)
		}
		if m.Judge("3.11.2") != Other {
			t.Errorf("%s: judged %v", tc.name, m.Judge("3.11.2"))
		}
	}
	// A top folder that is not Python-{V}/.
	_, m := feed(TarGzip, gz(t, sourceTar(t, "evil", 10<<10, false)), 4096)
	if m.Err != nil || m.Found != "evil/" || m.Version != "" || m.Judge("3.11.2") != Other {
		t.Errorf("evil/: %+v", m)
	}
}

func TestZip(t *testing.T) {
	mk := func(names ...string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i, n := range names {
			data := bytes.Repeat([]byte{byte(i)}, 5000)
			// Sizes in the local header, as Python's zipfile writes them
			// to a file.
			w, _ := zw.CreateRaw(&zip.FileHeader{Name: n, Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
				CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
			w.Write(data)
		}
		zw.Close()
		return b.Bytes()
	}
	_, m := feed(Zip, mk("python.exe", "python3.dll", "python312.dll", "python312.zip"), 100)
	if m.Err != nil || m.Version != "3.12" || !m.Series || m.Found != "python312.dll" {
		t.Fatalf("%+v", m)
	}
	if m.Judge("3.12.0rc2") != SeriesOnly || m.Judge("3.11.4") != Other {
		t.Errorf("judge: %v %v", m.Judge("3.12.0rc2"), m.Judge("3.11.4"))
	}
	// Every embeddable package holds its series' DLL.
	_, m = feed(Zip, mk("LICENSE.txt"), 7)
	if m.Err != nil || m.Version != "" || m.Judge("3.12.0") != Other {
		t.Errorf("%+v", m)
	}
	_, m = feed(Zip, mk("python311.dll", "python312.zip"), 7)
	if m.Err == nil || m.Err.Error() != "it holds the DLLs of 2 series (python311.dll, python312.zip)" || m.Judge("3.12.0") != Other {
		t.Errorf("%+v", m)
	}
	// zip.Writer puts sizes in a data descriptor when streaming (the
	// fixtures' packages are made so): the walk of the local headers stops
	// after the first member, and the central directory names the rest.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range []string{"python.exe", "python312.dll", "python312.zip", "LICENSE.txt"} {
		w, _ := zw.Create(n)
		w.Write(bytes.Repeat([]byte("MZ\r\n"), 3000))
	}
	zw.Close()
	for _, chunk := range []int{3, 4096, 1 << 21} {
		_, m = feed(Zip, b.Bytes(), chunk)
		if m.Err != nil || m.Version != "3.12" || !m.Series || m.Found != "python312.dll" || m.Judge("3.12.4") != SeriesOnly || m.Judge("3.13.0a1") != Other {
			t.Errorf("data descriptor, chunks of %d: %+v", chunk, m)
		}
	}
	// The central directory names another series than the local headers.
	local := mk("python.exe", "python312.dll")
	other := bytes.Replace(local, []byte("python312.dll"), []byte("python313.dll"), 1) // the first: a local header
	if bytes.Equal(other, local) || bytes.Count(other, []byte("python312.dll")) != 1 {
		t.Fatal("bad test data")
	}
	_, m = feed(Zip, other, 100)
	if m.Err == nil || m.Err.Error() != "it holds the DLLs of 2 series (python313.dll, python312.dll)" {
		t.Errorf("local and central names differ: %+v", m)
	}
	// Cut short: no central directory.
	_, m = feed(Zip, local[:len(local)-10], 100)
	if m.Err == nil || m.Err.Error() != "not a zip archive: no end of central directory record" || m.Judge("3.12.4") != Other {
		t.Errorf("truncated: %+v", m)
	}
	// A zip larger than the tail kept: its central directory is still read.
	var bb bytes.Buffer
	zw = zip.NewWriter(&bb)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "python.exe", Method: zip.Store})
	w.Write(bytes.Repeat([]byte{7}, 3<<20))
	w, _ = zw.Create("python312.dll")
	w.Write([]byte("MZ"))
	zw.Close()
	_, m = feed(Zip, bb.Bytes(), 32<<10)
	if m.Err != nil || m.Version != "3.12" {
		t.Errorf("3 MiB: %+v", m)
	}
	_, m = feed(Zip, []byte("MZ not a zip at all, but long enough for a header"), 5)
	if m.Err == nil || m.Err.Error() != "not a zip archive" {
		t.Errorf("%+v", m)
	}
}

func TestSeriesOfMember(t *testing.T) {
	for in, want := range map[string]string{
		"python312.dll": "3.12", "python27.dll": "2.7", "python313t.dll": "3.13", "PYTHON310.ZIP": "3.10",
		"python312._pth": "3.12", "python3.dll": "", "python.exe": "", "python3x2.dll": "", "libpython312.dll": "",
	} {
		if got := seriesOfMember(in); got != want {
			t.Errorf("seriesOfMember(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWindowsIndex(t *testing.T) {
	doc := func(vs ...string) []byte {
		var parts []string
		for _, v := range vs {
			parts = append(parts, fmt.Sprintf(`{"schema":1,"id":"pythoncore-x","sort-version":%q}`, v))
		}
		return []byte(`{"versions":[` + strings.Join(parts, ",") + `]}`)
	}
	_, m := feed(WindowsIndex, doc("3.13.9", "3.13.9"), 10)
	if m.Err != nil || m.Version != "3.13.9" || m.Judge("3.13.9") != Bound || m.Judge("3.13.8") != Other {
		t.Errorf("%+v", m)
	}
	_, m = feed(WindowsIndex, doc("3.13.9", "3.12.1"), 10)
	if m.Err == nil || m.Err.Error() != "it lists packages of 2 releases (3.13.9, 3.12.1)" {
		t.Errorf("%+v", m)
	}
	_, m = feed(WindowsIndex, []byte("{"), 10)
	if m.Err == nil || m.Judge("3.13.9") != Other {
		t.Errorf("%+v", m)
	}
	_, m = feed(WindowsIndex, []byte(`[{"sort-version": "3.12.1"}]`), 10)
	if m.Err != nil || m.Judge("3.13.9") != Unbound {
		t.Errorf("another shape: %+v", m)
	}
	_, m = feed(WindowsIndex, []byte(`{"versions":[]}`), 10)
	if m.Err != nil || m.Judge("3.13.9") != Unbound {
		t.Errorf("%+v", m)
	}
}

func TestSourceFolderVersion(t *testing.T) {
	for in, want := range map[string]string{
		"Python-3.11.2": "3.11.2", "Python-3.14.0a2/": "3.14.0a2", "Python-3.12.0rc2": "3.12.0rc2",
		"Python-3.11": "3.11", "python-3.11.2": "", "Python-": "", "Python-3..1": "", "Python-3.11.2x": "",
		"Python-3.11.2rc": "", "prefix": "",
	} {
		if got := SourceFolderVersion(in); got != want {
			t.Errorf("SourceFolderVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTarHead(f *testing.F) {
	for _, file := range []string{"testdata/Python-3.11.2.tgz.head", "testdata/Python-3.13.5.tar.xz.head"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:4096], uint8(0))
		f.Add(data[:4096], uint8(1))
	}
	f.Add(gz(f, sourceTar(f, "Python-3.6.15", 1<<10, true)), uint8(0))
	f.Add([]byte("BZh91AY&SY"), uint8(2))
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("python312.dll")
	w.Write([]byte("MZ"))
	zw.Close()
	f.Add(zb.Bytes(), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		format := []Format{TarGzip, TarXZ, TarBzip2, Zip, WindowsIndex}[int(which)%5]
		_, m := feed(format, data, 1000)
		if m.Err == nil && m.Version != "" && !m.Series && !plausibleVersion(m.Version) {
			t.Errorf("implausible version %q", m.Version)
		}
		if len(m.Found) > 300 {
			t.Errorf("marker text not capped: %d bytes", len(m.Found))
		}
		_ = m.Judge("3.13.5")
	})
}

// BenchmarkHead compares the head check with the hashing a full check
// does over the same 25 MB .tgz: the head check must cost under 1% of it.
func BenchmarkHead(b *testing.B) {
	data := gz(b, sourceTar(b, "Python-3.13.5", 25<<20, false))
	b.Run("head", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			h := NewHead(TarGzip)
			for p := data; len(p) > 0; {
				k := min(len(p), 32<<10)
				h.Write(p[:k])
				p = p[k:]
			}
			if h.Marker().Version != "3.13.5" {
				b.Fatal("no marker")
			}
		}
	})
	b.Run("sha256+md5", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			hashBoth(data)
		}
	})
}

// hashBoth is what every full check does to each byte: SHA-256 and MD5.
func hashBoth(data []byte) {
	s, m := sha256.New(), md5.New()
	for p := data; len(p) > 0; {
		k := min(len(p), 32<<10)
		s.Write(p[:k])
		m.Write(p[:k])
		p = p[k:]
	}
	s.Sum(nil)
	m.Sum(nil)
}
