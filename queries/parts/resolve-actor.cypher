{{- /* The actor named by an ID, name or alias: an exact ID first, then an exact name, then an
alias, ties by ID. Args: of = the Cypher expression naming the actor ($from, or a
variable), as = the variable it binds, keep = the variables carried through (comma
separated, optional), vars = the outer variables the subquery imports (optional). */ -}}
CALL ({{index .Args "vars"}}) {
  MATCH (n:Actor {id: toLower(trim({{.Args.of}}))}) RETURN n, 0 AS tier
  UNION
  CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim({{.Args.of}}), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
  WITH n WHERE toLower(n.name) = toLower(trim({{.Args.of}})) OR toLower(trim({{.Args.of}})) IN [x IN coalesce(n.aliases, []) | toLower(x)]
  RETURN n, CASE WHEN toLower(n.name) = toLower(trim({{.Args.of}})) THEN 1 ELSE 2 END AS tier
}
{{if eq (index .Args "return") "true"}}RETURN{{else}}WITH{{end}} {{with index .Args "keep"}}{{.}}, {{end}}n AS {{.Args.as}} ORDER BY tier, n.id LIMIT 1
