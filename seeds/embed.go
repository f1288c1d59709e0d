// Package seeds holds the curated dataset, embedded in the binary as the default input
// of validate, plan and load. The copies of sources kept in sources/ are embedded too.
package seeds

import "embed"

// FS holds the seed files (*.yaml) and the source copies (sources/*.txt).
//
//go:embed *.yaml sources/*.txt
var FS embed.FS
