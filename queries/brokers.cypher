// name: brokers
// description: How often each of the given actors sits on the strongest influence path between an ordered pair of the others, ranked.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors, both the candidate brokers and the ends of the paths
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: maxHops int default 4 min 2 max 5 - the longest path considered, in relationships
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// columns: broker, name, paths, pairs, share, between
//
// In Neo4j Browser, set the parameters first:
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param asOf => date('2025-06-02');
// :param maxHops => 4;
// :param attenuation => 0.8;
//
// For every ordered pair (s, t) of the actors, the strongest path from s to t is found
// as in influence-paths, of either kind (relationships in force on $asOf, direction
// respected, every hop but the last positive, simple paths, strength = product of
// weights x attenuation^(hops - 1); ties go to fewer hops, then actor IDs). An actor
// X of the list brokers that pair when X is not s or t and the path passes through X or
// through someone acting for X: an actor joined to X by a chain of affiliations (an
// influence relationship without a CAMEO code, e.g. SPEAKS_FOR, MEMBER_OF, LEADS, followed
// from the member to the body), so that an envoy on the path counts for their state.
// paths = the pairs X brokers; pairs = the ordered pairs of the others that are joined by
// a path at all; share = paths / pairs; between lists the pairs brokered. Paths are
// matched in two parts, as in influence-paths, so that a fifth hop is expanded only when
// $maxHops is 5.
CALL () {
  UNWIND $actors AS aid
  CALL (aid) {
    // part: resolve-actor of=aid as=x vars=aid return=true
    CALL (aid) {
      MATCH (n:Actor {id: toLower(trim(aid))}) RETURN n, 0 AS tier
      UNION
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(trim(aid), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS n
      WITH n WHERE toLower(n.name) = toLower(trim(aid)) OR toLower(trim(aid)) IN [x IN coalesce(n.aliases, []) | toLower(x)]
      RETURN n, CASE WHEN toLower(n.name) = toLower(trim(aid)) THEN 1 ELSE 2 END AS tier
    }
    RETURN n AS x ORDER BY tier, n.id LIMIT 1
    // end part: resolve-actor
  }
  RETURN collect(DISTINCT x) AS xs
}
UNWIND xs AS s
UNWIND xs AS t
WITH xs, s, t WHERE s <> t
CALL (s, t) {
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
  WITH p, nodes(p) AS ns, relationships(p) AS rs
  WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
  // each hop as followed: its sign and weight in the direction of travel
  WITH p, ns, rs, [i IN range(0, size(rs) - 1) |
         CASE WHEN startNode(rs[i]) = ns[i] OR rs[i].reverseWeight IS NULL
              THEN {sign: rs[i].sign, weight: rs[i].weight}
              ELSE {sign: rs[i].reverseSign, weight: rs[i].reverseWeight} END] AS scored
  WITH p, ns, rs,
       reduce(s = 1, h IN scored | s * h.sign) AS sign,
       reduce(w = 1.0, h IN scored | w * h.weight) * $attenuation ^ (size(rs) - 1) AS strength,
       CASE WHEN scored[-1].sign > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
  WITH p, strength, ns
  ORDER BY strength DESC, size(ns), [n IN ns | n.id], [r IN relationships(p) | r.id]
  LIMIT 1
  RETURN ns[1..-1] AS inner
}
WITH xs, s, t, COLLECT {
  UNWIND inner AS n
  MATCH (n) ((u)-[f]->(w:Actor) WHERE f.strength IS NOT NULL AND f.cameo IS NULL){0,3} (x:Actor)
  WHERE x IN xs AND x <> s AND x <> t
  RETURN DISTINCT x.id
} AS brokers
WITH xs, collect({s: s.id, t: t.id, brokers: brokers}) AS found
UNWIND xs AS x
WITH x, [f IN found WHERE f.s <> x.id AND f.t <> x.id] AS others
WITH x, size(others) AS pairs, [f IN others WHERE x.id IN f.brokers | f.s + ' -> ' + f.t] AS between
RETURN x.id AS broker, x.name AS name, size(between) AS paths, pairs,
       CASE WHEN pairs = 0 THEN 0.0 ELSE round(toFloat(size(between)) / pairs, 3) END AS share,
       between
ORDER BY paths DESC, broker
