// name: brokers
// description: How often each of the given actors sits on the strongest influence path between an ordered pair of the others, ranked.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors, both the candidate brokers and the ends of the paths
// param: maxHops int default 4 min 2 max 5 - the longest path considered, in relationships
// columns: broker, name, paths, pairs, share, between
//
// In Neo4j Browser, set the parameters first:
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param maxHops => 4;
//
// For every ordered pair (s, t) of the actors, the strongest path from s to t is found
// as in influence-paths (influence relationships, direction respected, simple paths,
// strength = product of edge strengths; ties go to fewer hops, then actor IDs). An actor
// X of the list brokers that pair when X is not s or t and the path passes through X or
// through someone acting for X: an actor joined to X by a chain of affiliations (an
// influence relationship without a CAMEO code, e.g. SPEAKS_FOR, MEMBER_OF, LEADS, followed
// from the member to the body), so that an envoy on the path counts for their state.
// paths = the pairs X brokers; pairs = the ordered pairs of the others that are joined by
// a path at all; share = paths / pairs; between lists the pairs brokered. Paths are
// matched in two parts, as in influence-paths, so that a fifth hop is expanded only when
// $maxHops is 5.
UNWIND $actors AS sid
UNWIND $actors AS tid
WITH sid, tid WHERE sid <> tid
MATCH (s:Actor {id: sid}), (t:Actor {id: tid})
CALL (s, t) {
  CALL (s, t) {
    MATCH p = (s)
              ((x)-[r]-(y:Actor)
                WHERE r.strength IS NOT NULL AND (r.symmetric OR startNode(r) = x)){1,4}
              (t)
    WHERE length(p) <= $maxHops
    RETURN p
    UNION ALL
    MATCH p = (s)
              ((x)-[r]-(y:Actor)
                WHERE r.strength IS NOT NULL AND (r.symmetric OR startNode(r) = x)){5}
              (t)
    WHERE $maxHops >= 5
    RETURN p
  }
  WITH p
  WHERE all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  WITH p, reduce(v = 1.0, r IN relationships(p) | v * r.strength) AS strength
  ORDER BY strength DESC, length(p), [n IN nodes(p) | n.id], [r IN relationships(p) | r.id]
  LIMIT 1
  RETURN nodes(p)[1..-1] AS inner
}
WITH s, t, COLLECT {
  UNWIND inner AS n
  MATCH (n) ((u)-[f]->(w:Actor) WHERE f.strength IS NOT NULL AND f.cameo IS NULL){0,3} (x:Actor)
  WHERE x.id IN $actors AND x <> s AND x <> t
  RETURN DISTINCT x.id
} AS brokers
WITH collect({s: s.id, t: t.id, brokers: brokers}) AS found
UNWIND $actors AS xid
MATCH (x:Actor {id: xid})
WITH x, [f IN found WHERE f.s <> x.id AND f.t <> x.id] AS others
WITH x, size(others) AS pairs, [f IN others WHERE x.id IN f.brokers | f.s + ' -> ' + f.t] AS between
RETURN x.id AS broker, x.name AS name, size(between) AS paths, pairs,
       CASE WHEN pairs = 0 THEN 0.0 ELSE round(toFloat(size(between)) / pairs, 3) END AS share,
       between
ORDER BY paths DESC, broker
