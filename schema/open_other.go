//go:build !unix

package schema

// oNonblock is 0 where there is no O_NONBLOCK; PathInputs checks the file's mode first.
const oNonblock = 0
