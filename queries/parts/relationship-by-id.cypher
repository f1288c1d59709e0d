{{- /* The relationship a relationship parameter names, whatever its type, through the
any_relationship_id full-text index (the id of every type, keyword-analysed: the quoted
id is one exact term) instead of a scan of every relationship. Args: of = the Cypher
expression naming it ($relationship); binds r and its ends a and b. For evidence.cypher,
in place of its MATCH (a)-[r]->(b) WHERE r.id = $relationship. */ -}}
CALL db.index.fulltext.queryRelationships('any_relationship_id', '"' + replace(replace({{.Args.of}}, '\\', '\\\\'), '"', '\\"') + '"') YIELD relationship AS r
WITH r WHERE r.id = {{.Args.of}}
MATCH (a)-[r]->(b)
