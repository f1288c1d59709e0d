// name: brokers
// description: How often each of the given actors sits on the strongest influence path between an ordered pair of the others, ranked.
// param: actors actors default usa,israel,hamas,egypt,qatar,iran,houthis - the actors, both the candidate brokers and the ends of the paths
// param: asOf date default 2025-06-02 - only relationships in force on this day are followed
// param: maxHops int default 4 min 2 max 5 - the longest path considered, in relationships
// param: attenuation float default 0.8 min 0 max 1 - each hop after the first multiplies a path's strength by this
// param: confidence string default graded in graded,flat,steep - the weights of the confidence levels (vocabulary.yaml)
// param: aggregation string default noisy-or in noisy-or,max - how a pair's channels combine
// param: reading string default dyad in dyad,relationship - a hop is a net tie, or one relationship
// param: scaleType string default none - a relationship type to scale (sensitivity runs)
// param: scale float default 1 min 0 max 2 - the factor for scaleType
// columns: broker, name, paths, pairs, share, between
// key: broker
//
// In Neo4j Browser, set the parameters first:
// :param actors => ['usa', 'israel', 'hamas', 'egypt', 'qatar', 'iran', 'houthis'];
// :param asOf => date('2025-06-02');
// :param maxHops => 4;
// :param attenuation => 0.8;
// :param confidence => 'graded';
// :param aggregation => 'noisy-or';
// :param reading => 'dyad';
// :param scaleType => 'none';
// :param scale => 1.0;
//
// For every ordered pair (s, t) of the actors, the strongest route from s to t is found
// as in influence-paths, of either kind (README, "The influence model": net ties per
// ordered pair on $asOf, every hop but the last net positive, no actor the source is
// hostile to on the way, strength = product of |net| x attenuation^(hops - 1); ties go
// to fewer hops, then actor IDs). An actor
// X of the list brokers that pair when X is not s or t and the path passes through X or
// through someone acting for X: an actor joined to X by a chain of affiliations (an
// influence relationship without a CAMEO code, e.g. SPEAKS_FOR, MEMBER_OF, LEADS, followed
// from the member to the body), so that an envoy on the path counts for their state.
// paths = the pairs X brokers; pairs = the ordered pairs of the others that are joined by
// a path at all; share = paths / pairs; between lists the pairs brokered. This is
// betweenness (Freeman 1977) on each pair's strongest route, not mediation: a pair with a
// strong tie of its own, friendly or hostile, usually has that direct tie as its
// strongest route, and then nobody brokers it. So Qatar and Egypt, which mediate between
// Israel and Hamas, show 0 on 2 June 2025 (ask mediators), while Hamas brokers Iran -> US:
// Iran's strongest route to the US is its hold through Hamas on the US hostages
// (coercive, 0.25, against a direct tie of -0.19). Paths are matched from each actor once
// to all the others, in two parts as in influence-paths, so that a fifth hop is expanded
// only when $maxHops is 5.
CALL () {
  UNWIND $actors AS aid
  CALL (aid) {
    // part: resolve-actor of=aid as=x vars=aid return=true
    CALL (aid) {
      WITH trim(aid) AS input
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
                    '; give the ID' END}).x) END] AS x
    }
    RETURN x
    // end part: resolve-actor
  }
  RETURN collect(DISTINCT x) AS xs
}
UNWIND xs AS s
CALL (s, xs) {
  // part: candidate-paths s=s t=t among=xs
  MATCH p = (s)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.fwdInfluence ELSE r.revInfluence END > 0 AND CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END > 0){0,3}
            (m:Actor)-[last]-(t)
  WHERE t IN xs AND t <> s AND length(p) <= $maxHops
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd) AND CASE WHEN startNode(last) = m THEN last.fwdInfluence ELSE last.revInfluence END > 0
    AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  RETURN p
  UNION ALL
  MATCH p = (s)
            ((x)-[r]-(y:Actor)
              WHERE (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
                AND CASE WHEN startNode(r) = x THEN r.fwdInfluence ELSE r.revInfluence END > 0 AND CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END > 0){4}
            (m:Actor)-[last]-(t)
  WHERE $maxHops >= 5 AND t IN xs AND t <> s
    AND (last.sinceStart IS NULL OR last.sinceStart <= $asOf) AND (last.untilEnd IS NULL OR $asOf <= last.untilEnd) AND CASE WHEN startNode(last) = m THEN last.fwdInfluence ELSE last.revInfluence END > 0
    AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  RETURN p
  // end part: candidate-paths
}
// the net ties of every pair on the candidate paths, computed once for all
WITH xs, collect(p) AS paths
// part: dyads-of-paths paths=paths
CALL (paths) {
  UNWIND paths AS p
  UNWIND range(0, length(p) - 1) AS i
  UNWIND [[nodes(p)[i], nodes(p)[i + 1]], [nodes(p)[i + 1], nodes(p)[i]]]
         + CASE WHEN i = 0 THEN [] ELSE [[nodes(p)[0], nodes(p)[i]]] END AS pair
  WITH DISTINCT pair[0] AS x, pair[1] AS y
  CALL (x, y) {
    MATCH (x)-[r]-(y)
    WHERE r.fwdInfluence IS NOT NULL AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)
    WITH r, startNode(r) = x AS forward,
         CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $asOf THEN 1.0
              ELSE (duration.inDays(r.sinceStart, $asOf).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
           * CASE WHEN r.untilStart IS NULL OR $asOf <= r.untilStart THEN 1.0
                  ELSE (duration.inDays($asOf, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END AS chance
    WITH r, forward, chance, CASE WHEN startNode(r) = x OR r.reverseSign IS NULL THEN r.sign ELSE r.reverseSign END AS sign,
         CASE WHEN forward THEN r.fwdInfluence ELSE r.revInfluence END
           * CASE WHEN type(r) = $scaleType THEN $scale ELSE 1.0 END
           * {flat: {high: 1.0, low: 1.0, medium: 1.0}, graded: {high: 1.0, medium: 0.7, low: 0.4}, steep: {high: 1.0, medium: 0.5, low: 0.2}}[$confidence][r.confidence] * chance AS i
    WHERE i > 0
    WITH r, forward, chance, sign, i ORDER BY i DESC, r.id
    WITH type(r) AS type, forward, sign, max(i) AS i, collect({r: r, i: i, chance: chance}) AS rels
    ORDER BY i DESC, type, forward DESC
    WITH collect({type: type, forward: forward, sign: sign, i: i, rels: rels}) AS channels
    WITH channels, [c IN channels WHERE c.sign > 0 | c.i] AS co, [c IN channels WHERE c.sign < 0 | c.i] AS cf
    WITH channels,
         CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN co | CASE WHEN v > m THEN v ELSE m END)
              ELSE 1 - reduce(q = 1.0, v IN co | q * (1 - v)) END AS cooperation,
         CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN cf | CASE WHEN v > m THEN v ELSE m END)
              ELSE 1 - reduce(q = 1.0, v IN cf | q * (1 - v)) END AS conflict
    RETURN {x: x, y: y, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
            channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS d
  }
  WITH x, collect(d) AS ds
  RETURN collect({x: x, ds: ds}) AS dyads
}
// end part: dyads-of-paths
// part: routes paths=paths keep=xs
UNWIND paths AS p
WITH xs, dyads, p, nodes(p) AS ns, relationships(p) AS rs
WITH xs, p, ns, rs, [i IN range(0, size(rs) - 1) | [d IN [[g IN dyads WHERE g.x = ns[i] | [d IN g.ds WHERE d.y = ns[i + 1]][0]][0]] |
       CASE WHEN $reading = 'relationship' THEN
         [c IN d.channels WHERE c.type = type(rs[i]) AND c.forward = (startNode(rs[i]) = ns[i]) |
           {x: d.x, y: d.y, cooperation: CASE WHEN c.sign > 0 THEN c.i ELSE 0.0 END,
            conflict: CASE WHEN c.sign < 0 THEN c.i ELSE 0.0 END, net: c.sign * c.i, channels: [c],
            uncertain: any(e IN c.rels WHERE e.chance < 1)}][0]
       ELSE d END][0]] AS hops
WHERE all(h IN hops WHERE h IS NOT NULL) AND all(h IN hops[..-1] WHERE h.net > 0) AND hops[-1].net <> 0
  AND ($reading = 'relationship' OR
       (all(k IN range(0, size(ns) - 3) WHERE [g IN dyads WHERE g.x = ns[k + 1] | [d IN g.ds WHERE d.y = ns[k]][0]][0].net >= 0)
        AND all(k IN range(2, size(ns) - 2) WHERE [g IN dyads WHERE g.x = ns[0] | [d IN g.ds WHERE d.y = ns[k]][0]][0].net >= 0)))
WITH xs, p, ns, rs,
     [h IN hops | h {.*, label: reduce(l = '', c IN [c IN h.channels WHERE c.sign * h.net > 0][..1] |
        CASE WHEN c.forward OR c.rels[0].r.symmetric THEN ' -[' ELSE ' <-[' END + c.type
        + CASE WHEN size([x IN h.channels WHERE x.sign * h.net > 0]) > 1
               THEN '+' + toString(size([x IN h.channels WHERE x.sign * h.net > 0]) - 1) ELSE '' END
        + CASE WHEN h.uncertain THEN '?' ELSE '' END
        + CASE WHEN c.forward AND NOT c.rels[0].r.symmetric THEN ']-> ' ELSE ']- ' END),
        lead: [c IN h.channels WHERE c.sign * h.net > 0][0].rels[0].r}] AS hops,
     reduce(acc = 1, h IN hops | acc * sign(h.net)) AS sign,
     reduce(acc = 1.0, h IN hops | acc * abs(h.net)) * $attenuation ^ (size(hops) - 1) AS strength,
     CASE WHEN hops[-1].net > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
WITH xs, kind, sign, strength, hops, [n IN ns | n.id] AS ids,
     CASE WHEN $reading = 'relationship' THEN [r IN rs | type(r)] ELSE [] END AS types, p
// the path drawn for a route: the one over each hop's leading relationship, if the
// candidates have it (a hop's last relationship may be one of the other sign)
ORDER BY size([i IN range(0, size(rs) - 1) WHERE rs[i] = hops[i].lead]) DESC, [r IN rs | r.id]
WITH xs, kind, sign, strength, [h IN hops | h {.*, lead: null}] AS hops, ids, types, collect(p)[0] AS p
// end part: routes
WITH xs, nodes(p)[0] AS s, nodes(p)[-1] AS t, p, strength, ids, types
ORDER BY strength DESC, size(ids), ids, types
WITH xs, s, t, collect(nodes(p)[1..-1])[0] AS inner
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
