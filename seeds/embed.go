// Package seeds holds the curated dataset, embedded in the binary as the default input
// of validate, plan and load. The copies of sources kept in sources/ are embedded too.
package seeds

import "embed"

// FS holds the seed files (*.yaml), the source copies (sources/*.txt) and README.md
// (its traceability table is checked by the tests).
//
//go:embed *.yaml sources/*.txt README.md
var FS embed.FS
