// name: influence-paths
// description: The strongest influence paths from one actor to another, ranked by strength (the product of edge strengths), each with its sign, route and the evidence for every hop.
// param: from actor default usa - the actor whose influence is traced
// param: to actor default hamas - the actor the influence reaches
// param: maxHops int default 4 min 1 max 5 - the longest path, in relationships
// param: limit int default 10 min 1 max 100 - how many paths to return
// columns: strength, sign, hops, route, evidence, path
//
// In Neo4j Browser, set the parameters first:
// :param from => 'usa';
// :param to => 'hamas';
// :param maxHops => 4;
// :param limit => 10;
//
// An influence relationship is any relationship with a strength between two actors: its
// type is scored on the Goldstein scale (strength = |goldstein| / 10, sign = its sign) or
// is an affiliation (a person acting for a body, strength 1). No type is named here, so a
// type added to schema/vocabulary.yaml is followed without editing this query. Directed
// relationships are followed from their start node only (A pressures B: influence flows
// A -> B); symmetric ones (r.symmetric: negotiates with, ceasefire with) both ways.
// Paths are simple (no actor twice). A path's strength is the product of its edges'
// strengths, its sign the product of their signs (structural balance: the friend of an
// enemy is an enemy). Ties are broken by fewer hops, then by the actor and relationship
// IDs, so the order is stable. In route, -[T]-> is a directed hop, -[T]- a symmetric one.
//
// A pattern's bounds can't be parameters, so the paths are matched in two parts: up to
// 4 hops (cut to $maxHops by the filter), and exactly 5 hops only when $maxHops is 5 (the
// planner checks that guard before expanding, so the common case never expands a fifth
// hop, which on a large graph costs more than the first four together).
CALL () {
  MATCH p = (a:Actor {id: $from})
            ((x)-[r]-(y:Actor)
              WHERE r.strength IS NOT NULL AND (r.symmetric OR startNode(r) = x)){1,4}
            (b:Actor {id: $to})
  WHERE length(p) <= $maxHops
  RETURN p
  UNION ALL
  MATCH p = (a:Actor {id: $from})
            ((x)-[r]-(y:Actor)
              WHERE r.strength IS NOT NULL AND (r.symmetric OR startNode(r) = x)){5}
            (b:Actor {id: $to})
  WHERE $maxHops >= 5
  RETURN p
}
WITH p
WHERE all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
WITH p, reduce(s = 1.0, r IN relationships(p) | s * r.strength) AS strength
ORDER BY strength DESC, length(p), [n IN nodes(p) | n.id], [r IN relationships(p) | r.id]
LIMIT $limit
WITH p, strength, nodes(p) AS ns, relationships(p) AS rs
RETURN round(strength, 4) AS strength,
       reduce(s = 1, r IN rs | s * r.sign) AS sign,
       size(rs) AS hops,
       reduce(route = ns[0].id, i IN range(0, size(rs) - 1) |
         route + CASE WHEN rs[i].symmetric THEN ' -[' + type(rs[i]) + ']- ' ELSE ' -[' + type(rs[i]) + ']-> ' END + ns[i + 1].id) AS route,
       COLLECT {
         UNWIND range(0, size(rs) - 1) AS i
         UNWIND range(0, size(coalesce(rs[i].evidenceSources, [])) - 1) AS j
         OPTIONAL MATCH (s:Source {id: rs[i].evidenceSources[j]})
         WITH i, j, rs[i] AS r, s
         ORDER BY i, j
         RETURN (i + 1) + '. ' + r.id + ': ' +
                CASE WHEN r.evidenceQuotes[j] <> '' THEN '"' + r.evidenceQuotes[j] + '"' ELSE '(' + r.evidenceNotes[j] + ')' END +
                ' - ' + coalesce(s.title, r.evidenceSources[j]) + coalesce(' <' + s.url + '>', ' <' + s.file + '>', '')
       } AS evidence,
       p AS path
