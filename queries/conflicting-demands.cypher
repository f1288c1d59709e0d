// name: conflicting-demands
// description: Pairs of demands that contradict each other (CONTRADICTS), with the actors who hold each (HOLDS_DEMAND) and the evidence for the contradiction.
// columns: demand, heldBy, versus, versusHeldBy, relationships, evidence
// view: demand, heldBy, versus, versusHeldBy
// evidence: relationships, evidence
//
// No parameters: paste and run.
//
// CONTRADICTS is symmetric, so each pair is listed once, the demand with the smaller ID
// first, whichever way the relationship was written; relationships lists every
// CONTRADICTS relationship between the two. heldBy and versusHeldBy are actor IDs.
MATCH (d1:Demand)-[c:CONTRADICTS]-(d2:Demand)
WHERE d1.id < d2.id
WITH d1, d2, c
ORDER BY c.id
WITH d1, d2, collect(c) AS cs
RETURN d1.id AS demand,
       COLLECT { MATCH (h:Actor)-[:HOLDS_DEMAND]->(d1) RETURN h.id ORDER BY h.id } AS heldBy,
       d2.id AS versus,
       COLLECT { MATCH (h:Actor)-[:HOLDS_DEMAND]->(d2) RETURN h.id ORDER BY h.id } AS versusHeldBy,
       [c IN cs | c.id] AS relationships,
       COLLECT {
         UNWIND cs AS c
         UNWIND range(0, size(coalesce(c.evidenceSources, [])) - 1) AS j
         OPTIONAL MATCH (s:Source {id: c.evidenceSources[j]})
         WITH c, j, s
         ORDER BY c.id, j
         RETURN CASE WHEN c.evidenceQuotes[j] <> '' THEN '"' + c.evidenceQuotes[j] + '"' ELSE '(' + c.evidenceNotes[j] + ')' END +
                ' - ' + coalesce(s.title, c.evidenceSources[j]) + coalesce(' <' + s.url + '>', ' <' + s.file + '>', '')
       } AS evidence
ORDER BY demand, versus
