package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
)

// bbolt's on-disk format (go.etcd.io/bbolt/internal/common), in host byte
// order: a 16-byte page header (id u64, flags u16, count u16, overflow u32),
// then on a meta page: magic, version, pageSize, flags (u32 each), root
// bucket (root pgid, sequence), freelist pgid, high-water pgid, txid and an
// FNV-64a checksum of the meta bytes before it (u64 each).
const (
	pageHeaderSize   = 16
	metaSize         = 64
	metaChecksumAt   = 56
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	freelistPageFlag = 0x10
	noFreelist       = ^uint64(0)
	minPageSize      = 1024
	maxPageSize      = 1 << 24
)

var native = binary.NativeEndian

type meta struct {
	pageSize             uint32
	root, freelist, pgid uint64
	txid                 uint64
}

type header struct {
	size     int64
	pageSize int64
	meta     meta // the one bbolt will use: valid, highest txid
}

// readMeta reads the meta page at off; ok is false if it is not a valid one.
func readMeta(f *os.File, off int64) (m meta, ok bool) {
	buf := make([]byte, pageHeaderSize+metaSize)
	if _, err := f.ReadAt(buf, off); err != nil {
		return meta{}, false
	}
	b := buf[pageHeaderSize:]
	sum := fnv.New64a()
	sum.Write(b[:metaChecksumAt])
	if native.Uint32(b[0:]) != boltMagic || native.Uint32(b[4:]) != boltVersion || native.Uint64(b[metaChecksumAt:]) != sum.Sum64() {
		return meta{}, false
	}
	return meta{
		pageSize: native.Uint32(b[8:]),
		root:     native.Uint64(b[16:]),
		freelist: native.Uint64(b[32:]),
		pgid:     native.Uint64(b[40:]),
		txid:     native.Uint64(b[48:]),
	}, true
}

// readHeader finds the page size the way bbolt does (meta 0, else a second
// meta at 1 KiB..16 MiB) and checks that every valid meta points inside the
// file, so that a truncated file is refused rather than faulted on.
func readHeader(f *os.File) (header, error) {
	info, err := f.Stat()
	if err != nil {
		return header{}, err
	}
	h := header{size: info.Size()}
	if m, ok := readMeta(f, 0); ok {
		h.pageSize = int64(m.pageSize)
	} else {
		for off := int64(minPageSize); off <= maxPageSize; off *= 2 {
			if m, ok := readMeta(f, off); ok && int64(m.pageSize) == off {
				h.pageSize = off
				break
			}
		}
	}
	if h.pageSize == 0 {
		return header{}, fmt.Errorf("%w: no valid bbolt meta page (not a bbolt file, or its header is destroyed)", ErrNotDatabase)
	}
	if h.pageSize < minPageSize || h.pageSize > maxPageSize || h.pageSize&(h.pageSize-1) != 0 || h.size < 2*h.pageSize {
		return header{}, fmt.Errorf("%w: page size %d does not fit a %d-byte file (truncated or damaged); restore a backup", ErrNotDatabase, h.pageSize, h.size)
	}
	found := false
	for _, off := range []int64{0, h.pageSize} {
		m, ok := readMeta(f, off)
		if !ok {
			continue // bbolt falls back to the other meta page
		}
		if err := h.checkMeta(m); err != nil {
			return header{}, err
		}
		if !found || m.txid > h.meta.txid {
			h.meta, found = m, true
		}
	}
	return h, nil
}

func (h header) checkMeta(m meta) error {
	pages := uint64(h.size / h.pageSize)
	switch {
	case int64(m.pageSize) != h.pageSize:
		return fmt.Errorf("%w: meta pages disagree on the page size; restore a backup", ErrNotDatabase)
	case m.pgid > pages:
		return fmt.Errorf("%w: it is truncated: %d bytes, its data needs %d (%d pages of %d); restore a backup", ErrNotDatabase, h.size, m.pgid*uint64(h.pageSize), m.pgid, h.pageSize)
	case m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)):
		return fmt.Errorf("%w: meta page points outside the data; restore a backup", ErrNotDatabase)
	}
	return nil
}

// checkFreelist vets the freelist page that a read-write open loads
// without any bounds check. Only stable under the file lock.
func (h header) checkFreelist(f *os.File) error {
	m := h.meta
	if m.freelist == noFreelist {
		return nil // bbolt rebuilds it from the pages it reaches
	}
	bad := func(why string) error {
		return fmt.Errorf("%w: freelist page %d %s; restore a backup", ErrNotDatabase, m.freelist, why)
	}
	off := int64(m.freelist) * h.pageSize
	hdr := make([]byte, pageHeaderSize+8)
	if _, err := f.ReadAt(hdr, off); err != nil {
		return bad("is unreadable")
	}
	id, flags, overflow := native.Uint64(hdr), native.Uint16(hdr[8:]), uint64(native.Uint32(hdr[12:]))
	if id != m.freelist || flags != freelistPageFlag || m.freelist+overflow >= m.pgid {
		return bad("has a damaged header")
	}
	// A count of 0xFFFF means the real count is the first element.
	first, count := uint64(0), uint64(native.Uint16(hdr[10:]))
	if count == 0xFFFF {
		first, count = 1, native.Uint64(hdr[pageHeaderSize:])
	}
	room := (uint64(h.pageSize)*(overflow+1) - pageHeaderSize) / 8
	if count > room-first {
		return bad("lists more pages than it holds")
	}
	ids := make([]byte, count*8)
	if _, err := f.ReadAt(ids, off+pageHeaderSize+int64(first*8)); err != nil {
		return bad("is unreadable")
	}
	for i := 0; i < len(ids); i += 8 {
		if p := native.Uint64(ids[i:]); p < 2 || p >= m.pgid {
			return bad(fmt.Sprintf("frees page %d, outside the data", p))
		}
	}
	return nil
}

// Page flags and element layout of branch and leaf pages. An element is 16
// bytes at 16+16*i into its page; its key starts pos bytes after the
// element itself. Branch: pos, ksize (u32), child pgid (u64). Leaf: flags,
// pos, ksize, vsize (u32); the value follows the key. A leaf value flagged
// as a bucket starts with the bucket header (root pgid, sequence); root 0
// means an inline bucket whose page follows the header.
const (
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	bucketLeafFlag   = 0x01
	elementSize      = 16
	bucketHeaderSize = 16
)

// checkTree walks every page reachable from the root bucket with
// bounds-checked reads, so that bbolt, which does not check, cannot be
// led outside the file.
func (h header) checkTree(f *os.File) error {
	w := treeWalker{f: f, h: h, seen: make(map[uint64]bool)}
	return w.walk(h.meta.root)
}

type treeWalker struct {
	f    *os.File
	h    header
	seen map[uint64]bool
}

func (w *treeWalker) damaged(id uint64, format string, args ...any) error {
	return fmt.Errorf("%w: page %d is damaged (%s); restore a backup", ErrNotDatabase, id, fmt.Sprintf(format, args...))
}

// walk reads page id and everything below it.
func (w *treeWalker) walk(id uint64) error {
	if id < 2 || id >= w.h.meta.pgid {
		return w.damaged(id, "outside the data")
	}
	if w.seen[id] {
		return w.damaged(id, "referenced twice")
	}
	w.seen[id] = true
	off := int64(id) * w.h.pageSize
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, off); err != nil {
		return w.damaged(id, "unreadable")
	}
	overflow := uint64(native.Uint32(hdr[12:]))
	if native.Uint64(hdr) != id || id+overflow >= w.h.meta.pgid {
		return w.damaged(id, "bad header")
	}
	page := make([]byte, int64(overflow+1)*w.h.pageSize)
	if _, err := w.f.ReadAt(page, off); err != nil {
		return w.damaged(id, "unreadable")
	}
	return w.node(id, page, false)
}

// node checks one page held in page (from the file, or inline in a bucket
// value) and descends into its children. id names it in errors. Beyond
// bounds it checks what bbolt asserts (by panicking) when reading or
// writing: page types, non-empty keys in order, a branch has children, an
// inline page is a leaf.
func (w *treeWalker) node(id uint64, page []byte, inline bool) error {
	if len(page) < pageHeaderSize {
		return w.damaged(id, "inline page too short")
	}
	flags, count := native.Uint16(page[8:]), int(native.Uint16(page[10:]))
	switch {
	case flags != leafPageFlag && (inline || flags != branchPageFlag):
		return w.damaged(id, "wrong page type %#x", flags)
	case flags == branchPageFlag && count == 0:
		return w.damaged(id, "branch without children")
	case pageHeaderSize+count*elementSize > len(page):
		return w.damaged(id, "%d elements do not fit", count)
	}
	var prev []byte
	for i := range count {
		at := pageHeaderSize + i*elementSize
		e := page[at : at+elementSize]
		var pos, ksize, vsize uint32
		if flags == branchPageFlag {
			pos, ksize = native.Uint32(e[0:]), native.Uint32(e[4:])
		} else {
			pos, ksize, vsize = native.Uint32(e[4:]), native.Uint32(e[8:]), native.Uint32(e[12:])
		}
		kv, ok := span(page, at, pos, ksize, vsize)
		if !ok {
			return w.damaged(id, "element %d out of bounds", i)
		}
		key, value := kv[:ksize], kv[ksize:]
		if len(key) == 0 || (prev != nil && bytes.Compare(prev, key) >= 0) {
			return w.damaged(id, "key %d empty or out of order", i)
		}
		prev = key
		var err error
		switch {
		case flags == branchPageFlag:
			err = w.walk(native.Uint64(e[8:]))
		case native.Uint32(e[0:])&bucketLeafFlag == 0:
		case len(value) < bucketHeaderSize:
			return w.damaged(id, "bucket header %d too short", i)
		case native.Uint64(value) == 0:
			err = w.node(id, value[bucketHeaderSize:], true)
		default:
			err = w.walk(native.Uint64(value))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// span returns the key (and value) of the element at page[at:], or false
// if they do not lie inside page.
func span(page []byte, at int, pos, ksize, vsize uint32) ([]byte, bool) {
	start := uint64(at) + uint64(pos)
	end := start + uint64(ksize) + uint64(vsize)
	if end > uint64(len(page)) {
		return nil, false
	}
	return page[start:end], true
}
