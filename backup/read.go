package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/waconsole/waconsole/store"
)

// maxManifest bounds the manifest read into memory.
const maxManifest = 64 << 20

// Summary is what reading an archive found.
type Summary struct {
	Manifest
	Schema int // the store's schema version
}

// Unpack reads an archive from r into dir, which must exist, checking it as
// it goes: the manifest first and of a known format, every file it lists
// present once with its size and SHA-256, nothing else; then it vets the
// store (store.Inspect). With profiles false only the store is written: a
// check. Files are written as they arrive, so nothing in dir is to be
// trusted unless Unpack returns nil.
func Unpack(r io.Reader, dir string, profiles bool) (Summary, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Summary{}, fmt.Errorf("not a waconsole backup (a gzip-compressed tar): %w", err)
	}
	tr := tar.NewReader(gz)
	m, err := readManifest(tr)
	if err != nil {
		return Summary{}, err
	}
	files, err := m.files()
	if err != nil {
		return Summary{}, fmt.Errorf("the manifest is unusable: %w; use another backup", err)
	}
	want := map[string]File{}
	for _, f := range files {
		want[f.Path] = f
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Summary{}, damaged(err)
		}
		f, ok := want[hdr.Name]
		switch {
		case !ok:
			return Summary{}, fmt.Errorf("the archive holds %q, which its manifest does not list (twice, or added): it was altered; use another backup", hdr.Name)
		case hdr.Typeflag != tar.TypeReg:
			return Summary{}, fmt.Errorf("%s is not a regular file in the archive: it was altered; use another backup", hdr.Name)
		case hdr.Size != f.Size:
			return Summary{}, fmt.Errorf("%s is %d bytes in the archive, %d in its manifest: the archive is damaged; use another backup", hdr.Name, hdr.Size, f.Size)
		}
		delete(want, hdr.Name)
		keep := f.Path == StoreName || profiles
		if err := unpackFile(tr, dir, f, keep); err != nil {
			return Summary{}, err
		}
	}
	// The gzip trailer's CRC is checked only when its stream is read to the end.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return Summary{}, damaged(err)
	}
	if len(want) > 0 {
		var missing []string
		for p := range want {
			missing = append(missing, p)
		}
		sort.Strings(missing)
		if len(missing) > 3 {
			missing = append(missing[:3], fmt.Sprintf("and %d more", len(missing)-3))
		}
		return Summary{}, fmt.Errorf("the archive lacks files its manifest lists (%s): it is incomplete; use another backup", strings.Join(missing, ", "))
	}
	schema, err := store.Inspect(filepath.Join(dir, StoreName))
	if err != nil {
		return Summary{}, fmt.Errorf("the store in the archive is unusable: %w; use another backup", err)
	}
	return Summary{Manifest: m, Schema: schema}, nil
}

func readManifest(tr *tar.Reader) (Manifest, error) {
	hdr, err := tr.Next()
	if err != nil {
		return Manifest{}, damaged(err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg || hdr.Size > maxManifest {
		return Manifest{}, fmt.Errorf("not a waconsole backup: its first entry is %q, not %s", hdr.Name, ManifestName)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("the manifest is unreadable: %w; use another backup", err)
	}
	if m.Format != Format {
		return Manifest{}, fmt.Errorf("archive format %d is not known to this waconsole (it reads format %d): restore it with the waconsole version that wrote it (%s)", m.Format, Format, m.Version)
	}
	return m, nil
}

// unpackFile reads f's content from r, writing it under dir when keep,
// and checks its checksum.
func unpackFile(r io.Reader, dir string, f File, keep bool) error {
	h := sha256.New()
	w := io.Writer(h)
	var out *os.File
	if keep {
		dst := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		var err error
		if out, err = os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			return err
		}
		defer out.Close()
		w = io.MultiWriter(out, h)
	}
	if _, err := io.Copy(w, r); err != nil {
		return damaged(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		return fmt.Errorf("%s does not match its SHA-256 in the manifest: the archive is damaged; use another backup", f.Path)
	}
	if out != nil {
		if err := out.Sync(); err != nil {
			return err
		}
		return out.Close()
	}
	return nil
}

func damaged(err error) error {
	return fmt.Errorf("the archive is damaged or cut short (%w); use another backup", err)
}
