// name: shortest-path
// description: The paths with the fewest hops from one actor to another along influence relationships, respecting direction, strongest first, with sign, route and evidence.
// param: from actor default usa - the actor whose influence is traced
// param: to actor default hamas - the actor the influence reaches
// param: limit int default 10 min 1 max 100 - how many of the shortest paths to return
// columns: strength, sign, hops, route, evidence, path
//
// In Neo4j Browser, set the parameters first:
// :param from => 'usa';
// :param to => 'hamas';
// :param limit => 10;
//
// The same relationships as influence-paths (any relationship with a strength between
// two actors; directed ones from their start node, symmetric ones both ways), searched
// breadth-first with ALL SHORTEST: every path of the least length, up to 8 hops. Among
// equally short paths the strongest (product of strengths) comes first.
MATCH p = ALL SHORTEST (a:Actor {id: $from})
          ((x)-[r]-(y:Actor)
            WHERE r.strength IS NOT NULL AND (r.symmetric OR startNode(r) = x)){1,8}
          (b:Actor {id: $to})
WITH p, reduce(s = 1.0, r IN relationships(p) | s * r.strength) AS strength
ORDER BY strength DESC, [n IN nodes(p) | n.id], [r IN relationships(p) | r.id]
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
