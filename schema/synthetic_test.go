package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// writeSyntheticSeeds writes files of about fileMB each, up to totalMB, of valid records:
// each file a source, actors, events and relationships citing it. It returns the bytes
// written.
func writeSyntheticSeeds(tb testing.TB, dir string, totalMB, fileMB int) int64 {
	tb.Helper()
	var total int64
	kinds := []string{"State", "NonStateArmedGroup", "GovernmentBody", "IntergovernmentalOrganization"}
	types := []string{"NEGOTIATES_WITH", "MEDIATES_FOR", "SUPPORTS_MILITARILY", "THREATENS", "CONSULTS"}
	for f := 0; total < int64(totalMB)<<20; f++ {
		path := filepath.Join(dir, fmt.Sprintf("part-%04d.yaml", f))
		fh, err := os.Create(path)
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(fh)
		fmt.Fprintf(w, "sources:\n  - id: src-%d\n    publisher: Synthetic Wire\n    title: \"Report %d\"\n    url: https://example.org/report/%d\n    published: 2025-05-%02d\n    reliability: reputable\nnodes:\n", f, f, f, 1+f%28)
		var written int
		n := 0
		for ; written < fileMB<<20/2; n++ {
			k := kinds[n%len(kinds)]
			s := fmt.Sprintf("  - id: a-%d-%d\n    kind: %s\n    name: \"Actor %d of file %d\"\n    aliases: [\"A%d\", \"Alias %d\"]\n    wikidata: Q%d\n    description: \"A synthetic actor with a description long enough to look like a curated one, quoting nothing.\"\n    evidence:\n      - source: src-%d\n        quote: \"Actor %d said something quotable about the talks in Doha.\"\n",
				f, n, k, n, f, n, n, 1000+n, f, n)
			written += len(s)
			w.WriteString(s)
		}
		w.WriteString("relationships:\n")
		for r := 0; written < fileMB<<20; r++ {
			s := fmt.Sprintf("  - id: r-%d-%d\n    type: %s\n    from: a-%d-%d\n    to: a-%d-%d\n    since: 2025-0%d\n    until: 2025-06-30\n    confidence: medium\n    evidence:\n      - source: src-%d\n        quote: \"A verbatim sentence of the synthetic report, number %d, about these two actors.\"\n",
				f, r, types[r%len(types)], f, r%n, f, (r*7+1)%n, 1+r%5, f, r)
			written += len(s)
			w.WriteString(s)
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		fh.Close()
		total += int64(written)
	}
	return total
}
