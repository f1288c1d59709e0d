package queries

import (
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }
