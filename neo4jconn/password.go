package neo4jconn

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// DevPassword is the documented password of the local development server that
// scripts/neo4j and docker-compose.yml start. It is used when no password is given.
const DevPassword = "backchannel-dev"

// ErrEmptyPassword is returned for a password file whose first line is empty: an empty or
// unmounted secret must not fall back to the development password.
var ErrEmptyPassword = errors.New("the password file's first line is empty: write the password on it")

// ReadPasswordFile reads the password from the first line of a file (a trailing "\r" is
// dropped). warning is set when the file may be read by users other than its owner.
func ReadPasswordFile(path string) (password, warning string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("read password file: %w", err)
	}
	password, _, _ = strings.Cut(string(b), "\n")
	password = strings.TrimRight(password, "\r")
	if password == "" {
		return "", "", fmt.Errorf("password file %s: %w", path, ErrEmptyPassword)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		warning = fmt.Sprintf("password file %s may be read by others (mode %04o): chmod 600 %s", path, info.Mode().Perm(), path)
	}
	return password, warning, nil
}
