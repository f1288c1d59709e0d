package queries

// Actors lists the actors: their ID, name, kind and aliases, by ID (backchannel actors).
// It is defined here rather than as a stored file: it takes no parameters and is the
// list the other queries' actor parameters name (ID, name or alias). Its table shows
// the name and, under it, each alias ("aka ..."), in one column (names), so that the
// longest ID, kind and name still fit 100 columns.
var Actors = &Query{
	Name:        "actors",
	Description: "Every actor with its ID, name, kind and aliases: the names an actor parameter takes.",
	Columns:     []string{"id", "name", "kind", "aliases", "names"},
	View:        []string{"id", "kind", "names"},
	Cypher: `MATCH (a:Actor)
WITH a, coalesce(a.aliases, []) AS aliases
RETURN a.id AS id, a.name AS name, a.kind AS kind, aliases,
       [a.name] + [x IN aliases | 'aka ' + x] AS names
ORDER BY id`,
}
