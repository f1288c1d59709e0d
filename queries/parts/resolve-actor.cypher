{{- /* The actor a parameter names, by the rule the CLI follows (queries/resolve.go runs this
part, rendered with of=$text, up to its last RETURN). Args: of = the Cypher expression
naming the actor ($from, or a variable such as aid for an element of a list), as = the
variable it binds, vars = the outer variables the subquery imports (aid), return=true
to end an enclosing subquery with RETURN as.
The first step that finds any actor decides, case-insensitively: 0 the ID, 1 the name,
2 an alias, 3 a surname (the name or an alias ends with the words given: Trump is
Donald Trump, not Donald Trump Jr.), 4 a word or words of the name or an alias. One
actor found is the answer; none, or several (ambiguous), fails the query with a message
that says so and names the candidates (raised through point()'s error for an unknown
coordinate system, the one Cypher error that carries a text of ours). */ -}}
CALL ({{index .Args "vars"}}) {
  WITH trim({{.Args.of}}) AS input
  CALL (input) {
    MATCH (n:Actor {id: toLower(input)})
    RETURN n, 0 AS tier
    UNION
    CALL (input) {
      WITH input WHERE input =~ '(?s).*[\\p{L}\\p{N}].*'
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(input, '\\', '\\\\'), '"', '\\"') + '"') YIELD node
      RETURN node AS n
    }
    WITH n, toLower(input) AS t, [s IN coalesce(n.aliases, []) | toLower(s)] AS aliases
    RETURN n, CASE WHEN toLower(n.name) = t THEN 1
                   WHEN t IN aliases THEN 2
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE s ENDS WITH ' ' + t) THEN 3
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE (' ' + s + ' ') CONTAINS (' ' + t + ' ')) THEN 4 END AS tier
    UNION
    RETURN null AS n, null AS tier
  }
  WITH input, n, min(tier) AS tier
  ORDER BY tier, n.id
  WITH input, collect(CASE WHEN tier IS NOT NULL THEN {n: n, tier: tier} END) AS hits
  WITH input, [h IN hits WHERE h.tier = hits[0].tier | h.n] AS candidates
  RETURN candidates[CASE size(candidates) WHEN 1 THEN 0 ELSE toInteger(point({x: 0, y: 0, crs: CASE size(candidates) WHEN 0
           THEN 'backchannel: no actor has the ID, name or alias "' + input + '"; MATCH (a:Actor) RETURN a.id, a.name, a.aliases lists them'
           ELSE 'backchannel: "' + input + '" is ambiguous: it names ' +
                reduce(s = '', c IN candidates | s + CASE s WHEN '' THEN '' ELSE ', ' END + c.id + ' (' + c.name + ', ' + c.kind + ')') +
                '; give the ID' END}).x) END] AS {{.Args.as}}
}
{{if eq (index .Args "return") "true"}}RETURN {{.Args.as}}
{{end}}