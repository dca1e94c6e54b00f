// Package termtext draws what both the console and the CLI print: QR
// codes in terminal cells, ages, and the colour of each session state, so
// an operator sees the same thing in `waconsole pair`, `waconsole status`
// and the console.
package termtext
