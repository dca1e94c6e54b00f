// Package backuptest alters backup archives, for the tests that show a
// damaged or altered archive is refused.
package backuptest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
)

// KeepAll is an edit of Repack that changes nothing.
func KeepAll(_ string, data []byte) ([]byte, bool) { return data, true }

// Repack rewrites a gzip-compressed tar entry by entry: edit returns an
// entry's new content, or false to leave it out; entries named in added
// are appended, each holding "extra".
func Repack(t testing.TB, archive []byte, edit func(name string, data []byte) ([]byte, bool), added ...string) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	write := func(hdr *tar.Header, data []byte) {
		hdr.Size = int64(len(data))
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if data, keep := edit(hdr.Name, data); keep {
			write(hdr, data)
		}
	}
	for _, name := range added {
		write(&tar.Header{Name: name, Mode: 0o600, Typeflag: tar.TypeReg}, []byte("extra"))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Tar returns an archive's tar stream, decompressed: every byte the
// archive holds, to be searched.
func Tar(t testing.TB, archive []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Names lists an archive's entries in order.
func Names(t testing.TB, archive []byte) []string {
	t.Helper()
	var names []string
	Repack(t, archive, func(name string, data []byte) ([]byte, bool) {
		names = append(names, name)
		return data, true
	})
	return names
}
