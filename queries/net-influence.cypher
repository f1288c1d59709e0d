// name: net-influence
// description: For each ordered pair of the given actors on a date, the strongest cooperative and the strongest coercive influence path, and the net of the two.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors, each paired with each other one (IDs, names or aliases)
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: maxHops int default 4 min 1 max 5 - the longest path, in relationships
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// columns: from, to, net, cooperative, coercive, cooperativeRoute, coerciveRoute
// view: from, to, net, cooperative, coercive
// evidence: cooperativeRoute, coerciveRoute
//
// In Neo4j Browser, set the parameters first (actors by ID, name or alias):
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param asOf => date('2025-06-02');
// :param maxHops => 4;
// :param attenuation => 0.8;
//
// Paths, strengths and kinds are those of influence-paths (relationships in force on
// $asOf, weight = Goldstein strength x confidence weight, every hop but the last
// positive, strength = product of weights x attenuation^(hops - 1); a cooperative path
// ends positive, a coercive one in one negative hop). cooperative and coercive are the
// strongest path of each kind (0 when there is none), each route the strongest of its
// kind (ties: fewer hops, then the actor IDs); net = cooperative - coercive, the
// max-aggregation of the domain notes' path-scoring recipe: a pair is net negative when
// its strongest channel is pressure. Pairs joined by no path are left out. Sorted by
// net, most negative first, then by from and to.
CALL () {
  UNWIND $actors AS aid
  CALL (aid) {
    CALL (aid) {
      MATCH (n:Actor {id: toLower(trim(aid))}) RETURN n, 0 AS tier
      UNION
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim(aid), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
      WITH n WHERE toLower(n.name) = toLower(trim(aid)) OR toLower(trim(aid)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
      RETURN n, CASE WHEN toLower(n.name) = toLower(trim(aid)) THEN 1 ELSE 2 END AS tier
    }
    RETURN n AS x ORDER BY tier, n.id LIMIT 1
  }
  RETURN collect(DISTINCT x) AS xs
}
UNWIND xs AS s
UNWIND xs AS t
WITH xs, s, t WHERE s <> t
CALL (s, t) {
  MATCH p = (s)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.sign * r.weight
                         WHEN r.symmetric THEN coalesce(r.reverseSign * r.reverseWeight, r.sign * r.weight) END > 0){0,3}
            (m:Actor)-[last]-(t)
  WHERE length(p) <= $maxHops
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd)
    AND CASE WHEN startNode(last) = m THEN last.weight WHEN last.symmetric THEN coalesce(last.reverseWeight, last.weight) END > 0
  RETURN p
  UNION ALL
  MATCH p = (s)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.sign * r.weight
                         WHEN r.symmetric THEN coalesce(r.reverseSign * r.reverseWeight, r.sign * r.weight) END > 0){4}
            (m:Actor)-[last]-(t)
  WHERE $maxHops >= 5
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd)
    AND CASE WHEN startNode(last) = m THEN last.weight WHEN last.symmetric THEN coalesce(last.reverseWeight, last.weight) END > 0
  RETURN p
}
WITH s, t, p, nodes(p) AS ns, relationships(p) AS rs
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
// each hop as followed: its sign and weight in the direction of travel
WITH s, t, p, ns, rs, [i IN range(0, size(rs) - 1) |
       CASE WHEN startNode(rs[i]) = ns[i] OR rs[i].reverseWeight IS NULL
            THEN {sign: rs[i].sign, weight: rs[i].weight}
            ELSE {sign: rs[i].reverseSign, weight: rs[i].reverseWeight} END] AS scored
WITH s, t, p, ns, rs,
     reduce(s = 1, h IN scored | s * h.sign) AS sign,
     reduce(w = 1.0, h IN scored | w * h.weight) * $attenuation ^ (size(rs) - 1) AS strength,
     CASE WHEN scored[-1].sign > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
WITH s, t, kind, strength, [n IN ns | n.id] AS ids, rs
ORDER BY strength DESC, size(ids), ids, [r IN rs | type(r)]
WITH s, t, kind, collect({strength: strength, ids: ids, rs: rs})[0] AS best
WITH s, t, collect(kind) AS kinds, collect(best) AS bests
WITH s, t,
     [i IN range(0, size(kinds) - 1) WHERE kinds[i] = 'cooperative' | bests[i]][0] AS co,
     [i IN range(0, size(kinds) - 1) WHERE kinds[i] = 'coercive' | bests[i]][0] AS cr
WITH s, t, co, cr, coalesce(co.strength, 0.0) AS cooperative, coalesce(cr.strength, 0.0) AS coercive
RETURN s.id AS from, t.id AS to, round(cooperative - coercive, 4) AS net,
       round(cooperative, 4) AS cooperative, round(coercive, 4) AS coercive,
       CASE WHEN co IS NOT NULL THEN reduce(route = co.ids[0], i IN range(0, size(co.rs) - 1) |
         route + ' -[' + type(co.rs[i]) + CASE WHEN co.rs[i].symmetric THEN ']- ' ELSE ']-> ' END + co.ids[i + 1]) END AS cooperativeRoute,
       CASE WHEN cr IS NOT NULL THEN reduce(route = cr.ids[0], i IN range(0, size(cr.rs) - 1) |
         route + ' -[' + type(cr.rs[i]) + CASE WHEN cr.rs[i].symmetric THEN ']- ' ELSE ']-> ' END + cr.ids[i + 1]) END AS coerciveRoute
ORDER BY net, from, to
