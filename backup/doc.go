// Package backup is the format of waconsole's backup archive: a
// gzip-compressed tar whose first entry, manifest.json, lists every other
// file with its size and SHA-256. It holds the store, without the proxy
// passwords (Stage.AddStore), and, per session, the part of its browser
// profile a WhatsApp Web login lives in. Those logins are what a password
// is to the accounts: the archive is as sensitive as they are, and is
// written with mode 0600. It holds no webhook secret, API key, SSH host key
// or proxy password.
//
// Writing gathers the files in a stage first (the manifest, which comes
// first, needs their checksums); reading checks every file against the
// manifest before anything is made final. It imports store alone, to copy
// the store into an archive and to vet the store an archive holds.
package backup
