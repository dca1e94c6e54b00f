package backup

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes the archive of manifest m, whose files are in stage, to w
// and returns the bytes written. A staged file that no longer matches its
// entry's size fails the write rather than cut the archive.
func Write(w io.Writer, m Manifest, stage *Stage) (int64, error) {
	m.Format = Format
	files, err := m.files()
	if err != nil {
		return 0, err
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: w}
	gz := gzip.NewWriter(cw)
	tw := tar.NewWriter(gz)
	header := func(name string, size int64) *tar.Header {
		return &tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: m.Created, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(header(ManifestName, int64(len(manifest)))); err != nil {
		return cw.n, err
	}
	if _, err := tw.Write(manifest); err != nil {
		return cw.n, err
	}
	for _, f := range files {
		if err := tw.WriteHeader(header(f.Path, f.Size)); err != nil {
			return cw.n, err
		}
		if err := copyStaged(tw, stage, f); err != nil {
			return cw.n, err
		}
	}
	if err := tw.Close(); err != nil {
		return cw.n, err
	}
	err = gz.Close()
	return cw.n, err
}

// WriteStaged writes the archive of manifest m, whose files are in the
// stage, into a new file of the stage (mode 0600) and returns it open at
// its start, so that it is sent after the stage is gone: on unix an open
// file outlives its name.
func (s *Stage) WriteStaged(m Manifest) (*os.File, error) {
	f, err := os.CreateTemp(s.dir, "archive-*")
	if err != nil {
		return nil, fmt.Errorf("backup: writing the archive: %w", err)
	}
	if _, err := Write(f, m, s); err != nil {
		f.Close()
		return nil, fmt.Errorf("backup: writing the archive: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func copyStaged(w io.Writer, stage *Stage, f File) error {
	src, err := os.Open(filepath.Join(stage.dir, filepath.FromSlash(f.Path)))
	if err != nil {
		return err
	}
	defer src.Close()
	n, err := io.Copy(w, src)
	if err == nil && n != f.Size {
		err = fmt.Errorf("staged %s changed size (%d bytes, %d listed)", f.Path, n, f.Size)
	}
	return err
}
