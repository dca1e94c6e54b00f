// Command waconsole runs WhatsApp Web sessions in headless Chromium and is
// the terminal console to operate them: pair phones, watch state, send
// through a paced outbox. See the README.
package main

import (
	"os"

	// Named apart: the end-to-end tests of this package have a cli helper.
	wacli "github.com/waconsole/waconsole/cli"
)

func main() {
	os.Exit(wacli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
