package loader

import (
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestLastCommit(t *testing.T) {
	for _, c := range []struct {
		bookmarks neo4j.Bookmarks
		want      commit
		ok        bool
	}{
		// Read from a Neo4j 5.26 server: list of one (16-byte database id, INT_16 tx).
		{neo4j.Bookmarks{"FB:kcwQYFI1LDcUQzaynX6kOFSeDckWBpA="}, commit{"6052352c37144336b29d7ea438549e0d", 0x1606}, true},
		{neo4j.Bookmarks{"FB:kcwQYFI1LDcUQzaynX6kOFSeDckAnZA="}, commit{"6052352c37144336b29d7ea438549e0d", 157}, true},
		{nil, commit{}, false},
		{neo4j.Bookmarks{"FB:kcwQYFI1LDcUQzaynX6kOFSeDckWBpA=", "FB:kcwQYFI1LDcUQzaynX6kOFSeDckAnZA="}, commit{}, false},
		{neo4j.Bookmarks{"neo4j:bookmark:v1:tx42"}, commit{}, false}, // Neo4j 4
		{neo4j.Bookmarks{"FB:not base64!"}, commit{}, false},
		{neo4j.Bookmarks{"FB:kcwQYFI1LDcUQzaynX6kOFSeDckWBg=="}, commit{}, false}, // truncated
	} {
		got, ok := lastCommit(c.bookmarks)
		if got != c.want || ok != c.ok {
			t.Errorf("lastCommit(%q) = %v, %v; want %v, %v", c.bookmarks, got, ok, c.want, c.ok)
		}
	}
}
