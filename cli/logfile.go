package cli

import (
	"fmt"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// The console's log file rotates at logMaxMB, keeping logBackups old files
// (waconsole-<time>.log) beside it: a console left running for months must
// not fill the disk.
const (
	logMaxMB   = 10
	logBackups = 3
)

// logFilePath is where the console logs, in the data dir.
func logFilePath(dir string) string { return filepath.Join(dir, "waconsole.log") }

// openLogFile opens the console's rotating log file (mode 0600: the log
// names sessions and chats), failing now rather than at the first line.
func openLogFile(dir string) (*lumberjack.Logger, error) {
	f := &lumberjack.Logger{Filename: logFilePath(dir), MaxSize: logMaxMB, MaxBackups: logBackups}
	if _, err := f.Write(nil); err != nil {
		return nil, fmt.Errorf("opening the log file: %w; check the data dir's permissions and free space", err)
	}
	return f, nil
}
